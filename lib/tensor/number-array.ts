/**
 * Copying typed-array storage out as a plain `number[]`. `Array.from` on a
 * Float64Array goes through the iterator protocol in V8 and measured about
 * 8x slower than an indexed loop (230 µs against 27 µs for 10^4 elements,
 * Node 20); on a compiled gradient of a `number[]` input it was a quarter
 * of the call.
 */

/**
 * The elements of `a` as a new `number[]`.
 *
 * @example
 * ```ts
 * numberArray(new Float64Array([1, 2])); // [1, 2]
 * ```
 */
export function numberArray(a: ArrayLike<number>): number[] {
  const n = a.length;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = a[i]!;
  return out;
}
