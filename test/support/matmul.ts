/**
 * Truth for the matrix-product kernels: the textbook triple loop, and
 * reproducible test matrices.
 */

/**
 * Each output element as Σ_p a[i, p] b[p, j], added in order p = 0..k-1
 * onto its initial value (`init`, zeros when absent): the order every
 * kernel must reproduce bit for bit.
 *
 * @example
 * ```ts
 * tripleLoop(Float64Array.from([1, 2]), Float64Array.from([3, 4]), 1, 2, 1); // [11]
 * ```
 */
export function tripleLoop(a: Float64Array, b: Float64Array, n: number, k: number, m: number, init?: Float64Array): Float64Array {
  const out = init === undefined ? new Float64Array(n * m) : init.slice();
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = out[i * m + j]!;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * m + j]!;
      out[i * m + j] = s;
    }
  }
  return out;
}

/**
 * `size` numbers in [-0.5, 0.5) from a linear congruential generator; with
 * `mixed`, scaled by 10^-3 .. 10^3 in turn, so that a reordered or fused sum
 * would show in the last bits.
 *
 * @example
 * ```ts
 * seeded(4, 1, true); // the same four numbers on every run
 * ```
 */
export function seeded(size: number, seed: number, mixed = false): Float64Array {
  const x = new Float64Array(size);
  let s = seed;
  for (let i = 0; i < size; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    x[i] = (s / 2147483648 - 0.5) * (mixed ? 10 ** ((i % 7) - 3) : 1);
  }
  return x;
}
