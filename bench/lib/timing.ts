/**
 * Timing for benchmarks (wall clock unless a `clock` is given). `measure`
 * warms a call up, batches it if it is too short for the timer, and reports
 * the median over samples taken until a minimum time has passed. `compare`
 * times a call between two timings of a baseline (the plain-JS primal) and
 * reports the ratio; `alternate` times the two in alternating batches and
 * reports the median per-round ratio.
 */

/** How to time a call. */
export interface TimingOptions {
  /** Keep sampling until this much time has been spent (ms). */
  minMs?: number;
  /** At least this many samples (unless `maxMs` is reached first). */
  minSamples?: number;
  /** Stop sampling after this long even if `minSamples` is not reached (ms). */
  maxMs?: number;
  /** Time spent warming up before sampling (ms). */
  warmupMs?: number;
  /** A call slower than this is timed once, without further warm-up (ms). */
  singleMs?: number;
  /** Each sample runs enough calls to last about this long (ms). */
  batchMs?: number;
  /** The clock, in ms (performance.now by default; CPU time for a shared machine). */
  clock?: () => number;
}

/** The median time of one call and how it was obtained. */
export interface Timing {
  /** Median milliseconds per call. */
  ms: number;
  /** Number of samples taken. */
  samples: number;
  /** Calls per sample. */
  batch: number;
}

/** A call timed against a baseline. */
export interface Comparison {
  /** Median ms per call of the measured function. */
  ms: number;
  /** Mean of the baseline's median ms per call before and after. */
  baseMs: number;
  /** ms / baseMs. */
  ratio: number;
  samples: number;
}

const DEFAULTS: Required<TimingOptions> = { minMs: 250, minSamples: 5, maxMs: 2000, warmupMs: 60, singleMs: 1500, batchMs: 2, clock: () => performance.now() };

/** Results of timed calls land here so the optimiser cannot drop them. */
let sink: unknown = null;

function runBatch(fn: () => unknown, k: number, clock: () => number): number {
  const t0 = clock();
  for (let i = 0; i < k; i++) sink = fn();
  return clock() - t0;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/** Warms fn up and returns its estimated ms per call (the first call alone if it is slow). */
function warmUp(fn: () => unknown, o: Required<TimingOptions>): number {
  const first = runBatch(fn, 1, o.clock);
  if (first >= o.singleMs) return first;
  let next = 1;
  let calls = 1;
  let spent = first;
  while (spent < o.warmupMs) {
    spent += runBatch(fn, next, o.clock);
    calls += next;
    next *= 2;
  }
  return Math.max(spent / calls, 1e-6);
}

function sampleUntilDone(o: Required<TimingOptions>, take: () => void, count: () => number): void {
  const t0 = o.clock();
  for (;;) {
    take();
    const elapsed = o.clock() - t0;
    if (elapsed >= o.maxMs || (count() >= o.minSamples && elapsed >= o.minMs)) break;
  }
}

/**
 * Times `fn`: warm-up, batching of fast calls, median over samples.
 *
 * @example
 * ```ts
 * const { ms } = measure(() => Math.sqrt(2));
 * ```
 */
export function measure(fn: () => unknown, options: TimingOptions = {}): Timing {
  const o = { ...DEFAULTS, ...options };
  const perCall = warmUp(fn, o);
  if (perCall >= o.singleMs) return { ms: perCall, samples: 1, batch: 1 };
  const batch = Math.max(1, Math.ceil(o.batchMs / perCall));
  const samples: number[] = [];
  sampleUntilDone(o, () => samples.push(runBatch(fn, batch, o.clock) / batch), () => samples.length);
  return { ms: median(samples), samples: samples.length, batch };
}

/**
 * Times `fn` between two timings of `baseline` and divides by their mean, so
 * that slow drifts of the load on a shared machine affect both sides alike.
 * (Alternating batches of the two, `alternate`, cancels faster drift, but
 * a long allocation-heavy call's garbage is then collected inside the
 * baseline's batches, so long calls are timed this way.)
 *
 * @example
 * ```ts
 * compare(() => gradient(x), () => primal(x)).ratio;
 * ```
 */
export function compare(fn: () => unknown, baseline: () => unknown, options: TimingOptions = {}): Comparison {
  const o = { ...DEFAULTS, ...options };
  const baseOpts = { ...o, minMs: o.minMs / 2 };
  const before = measure(baseline, baseOpts);
  const t = measure(fn, o);
  const after = measure(baseline, baseOpts);
  const baseMs = (before.ms + after.ms) / 2;
  return { ms: t.ms, baseMs, ratio: t.ms / baseMs, samples: t.samples };
}

/** A call timed in alternation with a baseline. */
export interface Alternation extends Comparison {
  /** The last result of the measured call. */
  result: unknown;
}

/**
 * Times `fn` and `baseline` in alternating batches (each about `batchMs`)
 * until `minMs` of the two is spent, and returns the median of the
 * per-round ratios with both medians. A shared machine's speed drifts by up
 * to 2x over seconds; a ratio of medians taken one after the other carried
 * that drift, a ratio taken round by round mostly cancels it. A call of
 * `separateMs` or more is timed by `compare` instead: its garbage would be
 * collected inside the baseline's batches (ba3's primal measured 37 ms
 * there against 9 ms alone).
 *
 * @example
 * ```ts
 * alternate(() => gradient(x), () => primal(x)).ratio; // 2.4
 * ```
 */
export function alternate(fn: () => unknown, baseline: () => unknown, options: TimingOptions & { separateMs?: number } = {}): Alternation {
  const o = { ...DEFAULTS, ...options };
  const separateMs = options.separateMs ?? 20;
  const perCall = warmUp(fn, o);
  const basePerCall = warmUp(baseline, o);
  if (perCall >= separateMs) {
    const c = compare(fn, baseline, options);
    return { ...c, result: sink };
  }
  const batch = Math.max(1, Math.ceil(o.batchMs / perCall));
  const baseBatch = Math.max(1, Math.ceil(o.batchMs / basePerCall));
  const ratios: number[] = [];
  const times: number[] = [];
  const bases: number[] = [];
  let result: unknown = null;
  sampleUntilDone(o, () => {
    const base = runBatch(baseline, baseBatch, o.clock) / baseBatch;
    const t = runBatch(fn, batch, o.clock) / batch;
    result = sink;
    bases.push(base);
    times.push(t);
    ratios.push(t / base);
  }, () => ratios.length);
  return { ms: median(times), baseMs: median(bases), ratio: median(ratios), samples: ratios.length, result };
}
