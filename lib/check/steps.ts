/**
 * Which finite-difference steps to try at a coordinate x.
 *
 * The right step depends on the scale on which f varies, which is not known
 * in advance: h ∝ max(1, |x|) suits power laws at large x but is far too
 * wide for sin at 1e6 (a step of 6 across a period of 2π), and h ∝ 1 leaves
 * log's domain at x = 1e-10. So a ladder of first steps is tried, from
 * scale · max(1, |x|) down to scale · min(1, |x|) (never below a few hundred
 * ulps of x, where x ± h stops being resolvable), and the caller keeps, per
 * output element, the estimate whose error estimate is smallest.
 */

const EPS = Number.EPSILON;
/** At most this many first steps per coordinate (each costs one difference scheme). */
const MAX_STEPS = 8;
/** Successive steps differ by at least 2^5, the span one Richardson tableau of 6 rows covers. */
const MIN_LOG2_RATIO = 5;

/**
 * First steps to try at x, largest first, for a method whose step scale
 * (at |x| = 1) is `scale`; all are x-scaled powers-of-two apart, so each
 * is exact relative to the others.
 *
 * @example
 * ```ts
 * candidateSteps(0, 6e-6, 2);   // [6e-6]
 * candidateSteps(1e6, 6e-6, 2); // [6.1, 0.19, 5.9e-3, 1.8e-4, 6e-6]
 * ```
 *
 * `shrink` is how far the scheme divides its first step (2 for a central
 * difference checked at h/2, 32 for a Richardson tableau): its smallest step
 * stays at least 4 ulps of x, where x ± h is still resolved.
 */
export function candidateSteps(x: number, scale: number, shrink: number): number[] {
  const ax = Math.abs(x);
  const hi = scale * Math.max(1, ax);
  const floor = 4 * shrink * Math.max(EPS * ax, Number.MIN_VALUE);
  const lo = ax === 0 ? hi : Math.min(hi, Math.max(floor, scale * Math.min(1, ax)));
  const span = Math.log2(hi / lo);
  if (!(span >= 1)) return [hi];
  const count = Math.min(MAX_STEPS, Math.ceil(span / MIN_LOG2_RATIO) + 1);
  const factor = 2 ** Math.ceil(span / (count - 1));
  const steps: number[] = [];
  for (let h = hi; h > lo * (1 + 1e-9) && steps.length < count - 1; h /= factor) steps.push(h);
  steps.push(lo);
  return steps;
}

/**
 * An estimate with its error bound, per output element.
 *
 * @example
 * ```ts
 * const e: Estimate = { value: Float64Array.of(1), error: Float64Array.of(1e-12) };
 * ```
 */
export interface Estimate {
  value: Float64Array;
  error: Float64Array;
  /**
   * 1 where every difference behind the estimate was exactly zero
   * (f(x + h) === f(x - h)): below f's resolution, a flat difference says
   * nothing about the slope, and its error estimate (rounding of values that
   * cancelled) is spuriously small. Absent: no element is flat.
   */
  flat?: Uint8Array;
  /** The largest |f| the estimate's points gave, per element (the scale of f's rounding). */
  scale?: Float64Array;
  /** The smallest step behind the estimate. */
  step?: number;
}

/**
 * Adds to each estimate the rounding error of its smallest step at the
 * largest |f| any step saw. Each estimate's own points can be too close to
 * a cancellation to show f's scale (acos(x) - acos(y) is about 1e-17 within
 * 1e-17 of x = y = 0, yet each term carries rounding of π/2's size), so a
 * narrow step would claim a precision its differences do not have; the
 * widest steps see more of f.
 *
 * @example
 * ```ts
 * withSharedRounding(estimates); // errors now include rounding at the largest |f| seen
 * ```
 */
export function withSharedRounding(estimates: readonly Estimate[]): Estimate[] {
  const m = estimates[0]?.value.length ?? 0;
  const scale = new Float64Array(m);
  for (const e of estimates) if (e.scale) for (let j = 0; j < m; j++) if (e.scale[j] > scale[j]) scale[j] = e.scale[j];
  return estimates.map((e) => (e.step === undefined ? e : { ...e, error: e.error.map((err, j) => err + roundingError(scale[j], e.step!)) }));
}

/** How much worse than the best so far an estimate may be before the walk stops. */
const STOP_FACTOR = 100;

/**
 * Picks, element by element, from estimates ordered from the smallest step
 * up: walks while the error estimates fall and stops once one exceeds the
 * best so far by STOP_FACTOR. Why not the global minimum: a step many
 * periods wide (sin at 1e6 with h = 6) gives nearly the same wrong slope
 * at h and h/2, so its error estimate is spuriously small; the true error
 * curve is U-shaped in h (rounding below, truncation above), and the first
 * minimum from below is the real one. NaN estimates are skipped until one
 * is finite and end the walk after it (the step left f's domain). Flat
 * estimates (see `Estimate.flat`) are skipped when any step saw f change:
 * acos(x) - acos(y) at x ≈ 1e-300 rounds to the same value on both sides of
 * every step below 1e-16, which alone would report a slope of 0.
 *
 * @example
 * ```ts
 * firstMinimum([small, medium, large]).value; // per element, the estimate at the first minimum
 * ```
 */
export function firstMinimum(estimates: readonly Estimate[]): Float64Array {
  const m = estimates[0].value.length;
  const out = new Float64Array(m).fill(NaN);
  for (let j = 0; j < m; j++) {
    let bestError = Infinity;
    const varies = estimates.some((e) => e.flat?.[j] !== 1);
    for (const e of estimates) {
      if (varies && e.flat?.[j] === 1) continue;
      const v = e.value[j];
      const err = v === v ? e.error[j] : Infinity;
      if (err < bestError) {
        bestError = err;
        out[j] = v;
      } else if (bestError < Infinity && !(err <= STOP_FACTOR * bestError)) break;
    }
  }
  return out;
}

/**
 * The rounding part of a difference's error: f values of magnitude `fmag`
 * carry a few ulps of error each (and at least the subnormal spacing, since
 * near 0 the relative precision runs out), divided by the step.
 *
 * @example
 * ```ts
 * roundingError(1, 1e-5); // ≈ 9e-11
 * ```
 */
export function roundingError(fmag: number, h: number): number {
  return (4 * (EPS * fmag + Number.MIN_VALUE)) / h;
}
