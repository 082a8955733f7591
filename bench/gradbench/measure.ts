/**
 * Timing for the benchmark runner: the median time of one call, measured
 * in batches when a call is too short for the clock, after a warm-up of
 * WARM_MS, or WARM_CALLS calls if those come first (none when the first
 * call already takes long). One warm-up call was not enough: V8 keeps a
 * large generated function (a compiled sweep) in its slower tiers for tens
 * of calls, so an ode gradient measured 0.59 ms right after one warm-up call
 * and 0.12 ms a second later; ten calls were not enough at the smallest
 * sizes either (ode at n = 1000, s = 1 measured 3.3x and 6.5x the primal in
 * two runs, with 10 warm-up calls of 0.1 ms). Every route (plain, primal,
 * taped, compiled, TF.js) gets the same warm-up.
 */

const WARM_CALLS = 5000;
const WARM_MS = 100;

/** How long to keep measuring one function. */
export interface MeasureOptions {
  /** Stop after this much measured time (ms) once `minRuns` are done. */
  targetMs: number;
  minRuns: number;
  maxRuns: number;
}

const DEFAULTS: MeasureOptions = { targetMs: 300, minRuns: 3, maxRuns: 50 };

/** Warms `run` (see the module comment); `long` when the first call already took long (it is then the measurement). */
function warmUp(run: () => unknown, o: MeasureOptions): { last: number; result: unknown; long: boolean } {
  let t0 = process.hrtime.bigint();
  let result = run();
  const first = elapsedMs(t0);
  if (first > 2 * o.targetMs) return { last: first, result, long: true };
  let warm = first;
  let last = first;
  for (let calls = 1; calls < WARM_CALLS && warm < WARM_MS; calls++) {
    t0 = process.hrtime.bigint();
    result = run();
    last = elapsedMs(t0);
    warm += last;
  }
  return { last, result, long: false };
}

/** Calls per timed batch: about a millisecond, sized by a warm call (the first one is the slowest). */
const batchOf = (last: number): number => (last < 1 ? Math.min(1000, Math.ceil(1 / Math.max(last, 1e-4))) : 1);

/** Calls longer than this (ms) are timed apart from the base (see measurePair). */
const SEPARATE_MS = 20;

const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;

/**
 * Times `base` and `run` in alternating batches and returns the median of
 * the per-round ratios run / base with both medians. This machine's speed
 * drifts by up to 2x over seconds (its cores are shared); a ratio of two
 * medians taken seconds apart carried that drift, a ratio taken round by
 * round mostly cancels it. A run longer than SEPARATE_MS per call is timed
 * on its own between two timings of the base (its garbage would otherwise
 * be collected inside the base's batches: ba3's plain primal measured 37 ms
 * there against 9 ms alone).
 *
 * @example
 * ```ts
 * measurePair(() => plain(x), () => gradient(x)).ratio; // 2.7
 * ```
 */
export function measurePair(base: () => unknown, run: () => unknown, options: Partial<MeasureOptions> = {}): { ratio: number; baseMs: number; ms: number; result: unknown } {
  const o = { ...DEFAULTS, ...options };
  const wb = warmUp(base, o);
  const wr = warmUp(run, o);
  if (wr.long || wr.last > SEPARATE_MS) {
    // A call this long leaves garbage (ba's Jacobian: ~50 MB) whose collection would land in
    // the next base batch; time the base before and after instead.
    const before = measure(base, o).ms;
    const m = wr.long ? { ms: wr.last, result: wr.result } : measure(run, o);
    const after = measure(base, o).ms;
    const baseMs = (before + after) / 2;
    return { ratio: m.ms / baseMs, baseMs, ms: m.ms, result: m.result };
  }
  let result = wr.result;
  const bb = batchOf(wb.last);
  const br = batchOf(wr.last);
  const baseTimes: number[] = [];
  const runTimes: number[] = [];
  const ratios: number[] = [];
  let total = 0;
  while (ratios.length < o.maxRuns && (ratios.length < o.minRuns || total < 2 * o.targetMs)) {
    let t0 = process.hrtime.bigint();
    for (let i = 0; i < bb; i++) base();
    const tb = elapsedMs(t0);
    t0 = process.hrtime.bigint();
    for (let i = 0; i < br; i++) result = run();
    const tr = elapsedMs(t0);
    baseTimes.push(tb / bb);
    runTimes.push(tr / br);
    ratios.push(tr / br / (tb / bb));
    total += tb + tr;
  }
  return { ratio: median(ratios), baseMs: median(baseTimes), ms: median(runTimes), result };
}

function elapsedMs(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/**
 * The median milliseconds per call of `run` (and the last result).
 *
 * @example
 * ```ts
 * measure(() => f(x)).ms;
 * ```
 */
export function measure(run: () => unknown, options: Partial<MeasureOptions> = {}): { ms: number; result: unknown } {
  const o = { ...DEFAULTS, ...options };
  const warm = warmUp(run, o);
  if (warm.long) return { ms: warm.last, result: warm.result };
  let result = warm.result;
  const batch = batchOf(warm.last);
  const times: number[] = [];
  let total = 0;
  while (times.length < o.maxRuns && (times.length < o.minRuns || total < o.targetMs)) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) result = run();
    const t = elapsedMs(start);
    times.push(t / batch);
    total += t;
  }
  times.sort((a, b) => a - b);
  return { ms: times[times.length >> 1]!, result };
}
