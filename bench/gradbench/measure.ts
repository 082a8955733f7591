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

import { alternate } from "../lib/timing.ts";

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

/**
 * `run` timed in alternation with `base` (see `alternate` in bench/lib/timing.ts):
 * the median per-round ratio run / base with both medians, and run's last result.
 * Calls of 20 ms or more are timed apart, between two timings of the base.
 *
 * @example
 * ```ts
 * measurePair(() => plain(x), () => gradient(x)).ratio; // 2.7
 * ```
 */
export function measurePair(base: () => unknown, run: () => unknown): { ratio: number; baseMs: number; ms: number; result: unknown } {
  const a = alternate(run, base, { warmupMs: WARM_MS, minMs: 2 * DEFAULTS.targetMs, batchMs: 1, separateMs: 20 });
  return { ratio: a.ratio, baseMs: a.baseMs, ms: a.ms, result: a.result };
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
