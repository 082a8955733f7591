/**
 * Tolerances for comparing derivatives, each derived from where its error
 * comes from.
 *
 * Forward vs reverse mode: both multiply the same declared partials and
 * only add the chain-rule products in a different order, so they agree to a
 * few ulps of the sum of the products' magnitudes (support/magnitude.ts;
 * for a single op, of the result itself). `RELATIVE_AD` = 1e-12 (about 4500
 * ulps) is the bar DESIGN.md sets.
 *
 * AD vs Richardson finite differences (numericGradient / numericJacobian
 * with method 'richardson', whose documented steps are
 * h0 = eps^(1/5) max(1, |x_i|), then h0/2, ..., h0/32):
 *
 * 1. Rounding. If every evaluation of f carries an absolute error of at most
 *    E, one central difference with step h is off by at most 2E / 2h = E/h.
 *    A tableau entry combines central differences with weights whose
 *    absolute values sum to less than prod_j (4^j + 1)/(4^j - 1) < 2, and the
 *    smallest step in it is h0/32, so rounding moves the kept entry by at
 *    most 2 E / (h0/32) = 64 E / h0.
 * 2. Truncation. The kept entry has cancelled at least the h² term, leaving
 *    O(h0^4 f^(5)) with h0^4 <= 4e-10 on the declared domains, and Ridders'
 *    selection keeps the entry whose estimated error is smallest.
 *    TRUNCATION = 1e-8 |f'| is the allowance for it; over 3000 draws per op
 *    the whole tolerance was never more than 2% used.
 * 3. E itself: an op's value is accurate to ULPS_PER_OP ulps of its result
 *    (the Math functions are within 1-2 ulps) plus UNDERFLOW (the standard
 *    model's absolute term for subnormal results), taken at the largest |f|
 *    the steps reach; in a program each node's error is carried to the
 *    output weighted by |partial| (support/rounding.ts).
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
