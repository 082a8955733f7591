/**
 * The inner kernel of every matrix product: `out += A B` on row-major
 * blocks of Float64Arrays (matmulKernel in kernels.ts walks the batch
 * axes and calls it once per batch entry). It picks the WebAssembly SIMD
 * kernel where that pays, a dot-product loop for matrix-vector products,
 * and blocked JS loops otherwise; all three sum each output element's
 * products in the same order, so the choice never changes a bit.
 */
import { worthWasm, matmulWasm } from "./simd-matmul.ts";

/**
 * out[oc..] += A[oa..] (n x k) times B[ob..] (k x m), row-major. Four rows of
 * A share each pass over a row of B, so B streams from memory a quarter as
 * often as in the plain i-p-j loop (measured 2.5-9x faster on 64..512-wide
 * products); each output element still sums its k products in order p = 0,
 * 1, ..., so results are bit-identical to the plain loop. Large enough
 * products run in the WebAssembly SIMD kernel (lib/tensor/simd-matmul.ts,
 * bit-identical too); a matrix-vector product (m = 1) runs as dot products,
 * one accumulator per row in a register instead of a store per product.
 *
 * @example
 * ```ts
 * matmulInto(a.data, 0, b.data, 0, out, 0, n, k, m);
 * ```
 */
export function matmulInto(a: Float64Array, oa: number, b: Float64Array, ob: number, out: Float64Array, oc: number, n: number, k: number, m: number): void {
  if (worthWasm(n, k, m)) return matmulWasm(a, oa, b, ob, out, oc, n, k, m);
  if (m === 1) return matvecInto(a, oa, b, ob, out, oc, n, k);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const r0 = oc + i * m;
    const r1 = r0 + m;
    const r2 = r1 + m;
    const r3 = r2 + m;
    const a0 = oa + i * k;
    for (let p = 0; p < k; p++) {
      const x0 = a[a0 + p];
      const x1 = a[a0 + k + p];
      const x2 = a[a0 + 2 * k + p];
      const x3 = a[a0 + 3 * k + p];
      const br = ob + p * m;
      for (let j = 0; j < m; j++) {
        const y = b[br + j];
        out[r0 + j] += x0 * y;
        out[r1 + j] += x1 * y;
        out[r2 + j] += x2 * y;
        out[r3 + j] += x3 * y;
      }
    }
  }
  for (; i < n; i++) {
    const row = oc + i * m;
    for (let p = 0; p < k; p++) {
      const x = a[oa + i * k + p];
      const br = ob + p * m;
      for (let j = 0; j < m; j++) out[row + j] += x * b[br + j];
    }
  }
}

/**
 * out[oc + i] += Σ_p A[i, p] b[p], p in order (the sum the general loop
 * forms, so bit-identical). Four rows share each load of b[p] and keep
 * their sums in registers (measured 2.5x faster than one row at a time).
 */
function matvecInto(a: Float64Array, oa: number, b: Float64Array, ob: number, out: Float64Array, oc: number, n: number, k: number): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const r0 = oa + i * k;
    const r1 = r0 + k;
    const r2 = r1 + k;
    const r3 = r2 + k;
    let s0 = out[oc + i]!;
    let s1 = out[oc + i + 1]!;
    let s2 = out[oc + i + 2]!;
    let s3 = out[oc + i + 3]!;
    for (let p = 0; p < k; p++) {
      const y = b[ob + p]!;
      s0 += a[r0 + p]! * y;
      s1 += a[r1 + p]! * y;
      s2 += a[r2 + p]! * y;
      s3 += a[r3 + p]! * y;
    }
    out[oc + i] = s0;
    out[oc + i + 1] = s1;
    out[oc + i + 2] = s2;
    out[oc + i + 3] = s3;
  }
  for (; i < n; i++) {
    const row = oa + i * k;
    let acc = out[oc + i]!;
    for (let p = 0; p < k; p++) acc += a[row + p]! * b[ob + p]!;
    out[oc + i] = acc;
  }
}
