/**
 * Small random tensor shapes and values for the tensor-op properties:
 * shapes up to 4x4x3, pairs of shapes that broadcast, and tensors whose
 * elements are distinct (so max/min have no ties and finite differences
 * never straddle one).
 */
import fc from "fast-check";
import { Tensor, type Domain } from "../../lib/index.ts";

/** Largest extent per axis: shapes stay within 4x4x3 (48 elements). */
const LIMITS = [4, 4, 3];

/**
 * A shape of rank minRank..maxRank with extents 1..4 (the third axis 1..3).
 *
 * @example
 * ```ts
 * fc.sample(shape(1, 3), 1); // [[3, 1, 2]]
 * ```
 */
export function shape(minRank = 1, maxRank = 3): fc.Arbitrary<number[]> {
  return fc.integer({ min: minRank, max: maxRank }).chain((rank) =>
    fc.tuple(...Array.from({ length: rank }, (_, k) => fc.integer({ min: 1, max: LIMITS[k]! }))));
}

/** Number of elements of a shape. */
export function sizeOf(s: readonly number[]): number {
  return s.reduce((p, d) => p * d, 1);
}

/**
 * A tensor of `s` whose elements are distinct multiples of 1/20 in [-2, 2].
 *
 * @example
 * ```ts
 * fc.sample(distinctTensor([2, 2]), 1); // Tensor[2,2] with 4 different values
 * ```
 */
export function distinctTensor(s: readonly number[]): fc.Arbitrary<Tensor> {
  const n = sizeOf(s);
  return fc.uniqueArray(fc.integer({ min: -40, max: 40 }), { minLength: n, maxLength: n })
    .map((ints) => new Tensor(Float64Array.from(ints, (v) => v / 20), s));
}

/**
 * A tensor of `s` with elements drawn from `d` (kept a margin inside it).
 *
 * @example
 * ```ts
 * fc.sample(tensorIn([3], { lo: 0.1, hi: 2 }), 1);
 * ```
 */
export function tensorIn(s: readonly number[], d: Domain): fc.Arbitrary<Tensor> {
  const n = sizeOf(s);
  const margin = (d.hi - d.lo) * 1e-3;
  const value = d.integer === true
    ? fc.integer({ min: d.lo, max: d.hi })
    : fc.double({ min: d.lo + margin, max: d.hi - margin, noNaN: true, noDefaultInfinity: true });
  return fc.array(value, { minLength: n, maxLength: n }).map((xs) => new Tensor(Float64Array.from(xs), s));
}

/**
 * `count` shapes that broadcast together: each is a right-aligned suffix of
 * one base shape with some extents set to 1.
 *
 * @example
 * ```ts
 * fc.sample(broadcastShapes(2), 1); // [[[2, 1, 3], [4, 3]]] style pairs
 * ```
 */
export function broadcastShapes(count: number): fc.Arbitrary<number[][]> {
  return shape(1, 3).chain((base) => {
    const one = fc.tuple(fc.integer({ min: 0, max: base.length }), fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length }))
      .map(([drop, squeeze]) => base.slice(drop).map((d, k) => (squeeze[k + drop] ? 1 : d)));
    return fc.tuple(...Array.from({ length: count }, () => one));
  });
}

/**
 * A permutation of 0..n-1.
 *
 * @example
 * ```ts
 * fc.sample(permutation(3), 1); // [[2, 0, 1]]
 * ```
 */
export function permutation(n: number): fc.Arbitrary<number[]> {
  return fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n });
}
