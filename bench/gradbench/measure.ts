/**
 * Timing for the benchmark runner: the median time of one call, measured
 * in batches when a call is too short for the clock, after a warm-up of up
 * to WARM_CALLS calls or WARM_MS (none when the first call already takes
 * long). One warm-up call was not enough: V8 keeps a large generated
 * function (a compiled sweep) in its slower tiers for tens of calls, so an
 * ode gradient measured 0.59 ms right after one warm-up call and 0.12 ms a
 * second later. Every route (plain, primal, taped, compiled, TF.js) gets the
 * same warm-up.
 */

const WARM_CALLS = 10;
const WARM_MS = 100;

/** How long to keep measuring one function. */
export interface MeasureOptions {
  /** Stop after this much measured time (ms) once `minRuns` are done. */
  targetMs: number;
  minRuns: number;
  maxRuns: number;
}

const DEFAULTS: MeasureOptions = { targetMs: 300, minRuns: 3, maxRuns: 50 };

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
  let t0 = process.hrtime.bigint();
  let result = run();
  const first = elapsedMs(t0);
  if (first > 2 * o.targetMs) return { ms: first, result };
  let warm = first;
  let last = first;
  for (let calls = 1; calls < WARM_CALLS && warm < WARM_MS; calls++) {
    t0 = process.hrtime.bigint();
    result = run();
    last = elapsedMs(t0);
    warm += last;
  }
  // Batches of about a millisecond, sized by a warm call (the first one is the slowest).
  const batch = last < 1 ? Math.min(1000, Math.ceil(1 / Math.max(last, 1e-4))) : 1;
  const times: number[] = [];
  let total = 0;
  while (times.length < o.maxRuns && (times.length < o.minRuns || total < o.targetMs)) {
    t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) result = run();
    const t = elapsedMs(t0);
    times.push(t / batch);
    total += t;
  }
  times.sort((a, b) => a - b);
  return { ms: times[times.length >> 1]!, result };
}
