/**
 * A point or direction in R^n with moderate coordinates, printed exactly.
 */
import fc from "fast-check";

/**
 * n coordinates in [-bound, bound].
 *
 * @example
 * ```ts
 * fc.sample(point(2), 1); // [[0.31, -1.7]]
 * ```
 */
export function point(n: number, bound = 2): fc.Arbitrary<number[]> {
  const coordinate = fc.double({ min: -bound, max: bound, noNaN: true, noDefaultInfinity: true });
  return fc.array(coordinate, { minLength: n, maxLength: n });
}
