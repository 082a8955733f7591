/**
 * Wall-clock timing for benchmarks. `measure` warms a call up, batches it
 * if it is too short for the timer, and reports the median over samples
 * taken until a minimum time has passed. `compare` times a call between
 * two timings of a baseline (the plain-JS primal) and reports the ratio.
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

const DEFAULTS: Required<TimingOptions> = { minMs: 250, minSamples: 5, maxMs: 2000, warmupMs: 60, singleMs: 1500, batchMs: 2 };

/** Results of timed calls land here so the optimiser cannot drop them. */
let sink: unknown = null;

function runBatch(fn: () => unknown, k: number): number {
  const t0 = performance.now();
  for (let i = 0; i < k; i++) sink = fn();
  return performance.now() - t0;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/** Warms fn up and returns its estimated ms per call (the first call alone if it is slow). */
function warmUp(fn: () => unknown, o: Required<TimingOptions>): number {
  const first = runBatch(fn, 1);
  if (first >= o.singleMs) return first;
  let next = 1;
  let calls = 1;
  let spent = first;
  while (spent < o.warmupMs) {
    spent += runBatch(fn, next);
    calls += next;
    next *= 2;
  }
  return Math.max(spent / calls, 1e-6);
}

function sampleUntilDone(o: Required<TimingOptions>, take: () => void, count: () => number): void {
  const t0 = performance.now();
  for (;;) {
    take();
    const elapsed = performance.now() - t0;
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
  sampleUntilDone(o, () => samples.push(runBatch(fn, batch) / batch), () => samples.length);
  return { ms: median(samples), samples: samples.length, batch };
}

/**
 * Times `fn` between two timings of `baseline` and divides by their mean, so
 * that slow drifts of the load on a shared machine affect both sides alike.
 * (Alternating short batches of the two was tried and rejected: it slowed
 * allocation-heavy calls by 2-4x against timing them on their own.)
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
