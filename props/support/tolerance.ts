/**
 * Tolerances for comparing derivatives, each derived from where its error
 * comes from.
 *
 * Forward vs reverse mode: both evaluate the same partials and only sum the
 * chain-rule products in a different order, so they agree to a few ulps of
 * the largest product summed; `RELATIVE_AD` = 1e-12 (about 4500 ulps) is the
 * bar DESIGN.md sets.
 *
 * AD vs Richardson finite differences (numericGradient / numericJacobian
 * with method 'richardson', whose documented steps are h0 = eps^(1/5) max(1, |x_i|),
 * then h0/2, ..., h0/32):
 *
 * 1. Rounding. If every evaluation of f carries an absolute error of at most
 *    E, one central difference with step h has error <= 2E / 2h = E/h. A
 *    tableau entry is a combination of central differences whose weights sum
 *    in absolute value to at most prod_j (4^j + 1)/(4^j - 1) < 2, and the
 *    smallest step in it is h0/32, so the kept entry is off by at most
 *    2 E / (h0/32) = 64 E / h0 from rounding.
 * 2. Truncation. The kept entry has cancelled at least the h² term; what is
 *    left is O(h0^4 f^(5)). For the declared domains h0 <= 4.4e-3, so
 *    h0^4 <= 4e-10, and the registry's functions have fifth derivatives within
 *    ~25 times the first on these ranges (tan near its domain edge is the
 *    largest); TRUNCATION = 1e-8 relative to |f'| covers that with a margin.
 * 3. E itself: an op's value is accurate to ULPS_PER_OP ulps of its result
 *    (the Math functions are within 1-2 ulps; series-based special functions
 *    may lose more) plus UNDERFLOW (the standard model's absolute term for
 *    results in the subnormal range), taken at the largest |f| the steps
 *    reach; in a program every node's error is propagated to the output by
 *    the node's sensitivity (a running error bound, see `Program`).
 *
 * Tolerance on an entry with true value d: 64 E / h0 + TRUNCATION |d|.
 */

/** Unit roundoff of float64: half an ulp of 1. */
export const UNIT_ROUNDOFF = 2 ** -53;
/** Absolute rounding error of a result in the subnormal range: the smallest subnormal. */
export const UNDERFLOW = 2 ** -1074;
/** Forward vs reverse agreement, relative. */
export const RELATIVE_AD = 1e-12;
/** Ulps of error allowed in one evaluation of an op's value. */
export const ULPS_PER_OP = 16;
/** Remaining truncation error of a Richardson estimate, relative to the derivative. */
export const TRUNCATION = 1e-8;

/**
 * The first Richardson step numericGradient uses for coordinate x (its documented default).
 *
 * @example
 * ```ts
 * firstStep(3); // 3 * eps^(1/5)
 * ```
 */
export function firstStep(x: number): number {
  return Number.EPSILON ** 0.2 * Math.max(1, Math.abs(x));
}

/**
 * The bound on |AD - Richardson| for one derivative entry (see the module comment).
 *
 * @example
 * ```ts
 * richardsonTolerance(1e-16, firstStep(1), 0.5); // 64e-16 / 7.4e-4 + 5e-9
 * ```
 */
export function richardsonTolerance(evalError: number, h0: number, derivativeValue: number): number {
  return (64 * evalError) / h0 + TRUNCATION * Math.abs(derivativeValue);
}

/**
 * Whether a and b agree to `rel` relative to the larger magnitude, plus `abs`.
 * NaN never agrees; equal infinities do.
 *
 * @example
 * ```ts
 * closeTo(1, 1 + 1e-13, 1e-12); // true
 * ```
 */
export function closeTo(a: number, b: number, rel: number, abs = 0): boolean {
  if (a === b) return true;
  return Math.abs(a - b) <= abs + rel * Math.max(Math.abs(a), Math.abs(b));
}
