/**
 * softmax along an axis on a plain Tensor, in three passes and one
 * allocation: the slice max, exp(x - max) with its running sum, and the
 * division. It performs the very operations of the algebra's formula
 * (exp(x - m) / sum(exp(x - m)), sums in the same order), so its values are
 * bit-identical to it; logsumexp's slope uses it when x is a constant
 * Tensor, where nothing needs to be differentiable.
 */
import { Tensor } from "./tensor.ts";
import { reduceAlong, around } from "./kernels.ts";

/**
 * e / Σ e along `axis` (all elements when null), with e = exp(x - m) and m
 * the slice max (0 for a slice whose max is not finite, as logsumexp shifts).
 *
 * @example
 * ```ts
 * softmaxAlong(tensor([0, 0]), null); // Tensor [0.5, 0.5]
 * ```
 */
export function softmaxAlong(x: Tensor, axis: number | null): Tensor {
  const shift = reduceAlong(x, axis, "max");
  for (let j = 0; j < shift.length; j++) if (!Number.isFinite(shift[j]!)) shift[j] = 0;
  const [outer, n, inner] = axis === null ? [1, x.size, 1] : around(x.shape, axis);
  const d = x.data;
  const e = new Float64Array(x.size);
  const s = new Float64Array(outer * inner);
  if (inner === 1) {
    for (let o = 0; o < outer; o++) contiguous(d, e, o * n, n, shift[o]!);
    return new Tensor(e, x.shape);
  }
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < n; k++) {
      const row = (o * n + k) * inner;
      for (let i = 0; i < inner; i++) {
        const v = Math.exp(d[row + i]! - shift[o * inner + i]!);
        e[row + i] = v;
        s[o * inner + i]! += v;
      }
    }
  }
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < n; k++) {
      const row = (o * n + k) * inner;
      for (let i = 0; i < inner; i++) e[row + i]! /= s[o * inner + i]!;
    }
  }
  return new Tensor(e, x.shape);
}

/** One contiguous slice d[from .. from + n) into e: the common case (a last or only axis), in tight loops. */
function contiguous(d: Float64Array, e: Float64Array, from: number, n: number, m: number): void {
  const end = from + n;
  let s = 0;
  for (let q = from; q < end; q++) {
    const v = Math.exp(d[q]! - m);
    e[q] = v;
    s += v;
  }
  for (let q = from; q < end; q++) e[q]! /= s;
}
