/**
 * Plain loops over Float64Array behind the structural tensor ops
 * (reductions, linear algebra, shape ops). They know nothing about
 * derivatives: the op declarations call them from `compute`, and the rules
 * reach them again through the algebra. Most axis-wise kernels view a shape
 * as [outer, n, inner] around one axis, so a block of `inner` contiguous
 * values moves at a time (`subarray` + `set`, no per-element closures).
 */
import { Tensor, stridesOf, allocate } from "./tensor.ts";
import { broadcastStrides, stepPair } from "./broadcast.ts";
import { matmulInto } from "./matmul.ts";

/**
 * The sizes before, at and after `axis`: a row-major tensor is `outer` blocks of `n` rows of `inner` values.
 *
 * @example
 * ```ts
 * around([2, 3, 4], 1); // [2, 3, 4]
 * ```
 */
export function around(shape: readonly number[], axis: number): [outer: number, n: number, inner: number] {
  let outer = 1;
  let inner = 1;
  for (let k = 0; k < axis; k++) outer *= shape[k];
  for (let k = axis + 1; k < shape.length; k++) inner *= shape[k];
  return [outer, shape[axis], inner];
}

/** Which reduction a kernel runs (see {@link reduceAlong}). */
export type ReduceKind = "sum" | "prod" | "max" | "min";

/**
 * Reduces `x` along `axis` (or over everything when `axis` is null).
 * max/min propagate NaN; an empty reduction gives the identity (0, 1, -Inf, +Inf).
 *
 * @example
 * ```ts
 * reduceAlong(tensor([[1, 2], [3, 4]]), 0, "sum"); // Float64Array [4, 6]
 * ```
 */
export function reduceAlong(x: Tensor, axis: number | null, kind: ReduceKind): Float64Array {
  const [outer, n, inner] = axis === null ? [1, x.size, 1] : around(x.shape, axis);
  const out = new Float64Array(outer * inner);
  const d = x.data;
  const init = kind === "sum" ? 0 : kind === "prod" ? 1 : kind === "max" ? -Infinity : Infinity;
  out.fill(init);
  if (inner === 1) {
    for (let o = 0; o < outer; o++) out[o] = reduceRun(d, o * n, n, kind, init);
    return out;
  }
  for (let o = 0; o < outer; o++) {
    const ob = o * inner;
    for (let k = 0; k < n; k++) {
      const row = (o * n + k) * inner;
      if (kind === "sum") for (let i = 0; i < inner; i++) out[ob + i] += d[row + i];
      else if (kind === "prod") for (let i = 0; i < inner; i++) out[ob + i] *= d[row + i];
      else if (kind === "max") {
        for (let i = 0; i < inner; i++) {
          const v = d[row + i];
          if (v > out[ob + i] || v !== v) out[ob + i] = v;
        }
      } else {
        for (let i = 0; i < inner; i++) {
          const v = d[row + i];
          if (v < out[ob + i] || v !== v) out[ob + i] = v;
        }
      }
    }
  }
  return out;
}

/** Reduces the contiguous run d[from .. from + n) (one loop per kind, no branch per element beyond the comparison). */
function reduceRun(d: Float64Array, from: number, n: number, kind: ReduceKind, init: number): number {
  let acc = init;
  const end = from + n;
  if (kind === "sum") for (let e = from; e < end; e++) acc += d[e];
  else if (kind === "prod") for (let e = from; e < end; e++) acc *= d[e];
  else if (kind === "max") {
    for (let e = from; e < end; e++) {
      const v = d[e];
      if (v > acc || v !== v) acc = v;
    }
  } else {
    for (let e = from; e < end; e++) {
      const v = d[e];
      if (v < acc || v !== v) acc = v;
    }
  }
  return acc;
}

/**
 * Copies rows `start..end` of `axis` (a slice with step 1).
 *
 * @example
 * ```ts
 * sliceAlong(tensor([1, 2, 3, 4]), 1, 3, 0); // Tensor [2, 3]
 * ```
 */
export function sliceAlong(x: Tensor, start: number, end: number, axis: number): Tensor {
  const [outer, n, inner] = around(x.shape, axis);
  const len = end - start;
  const out = new Float64Array(outer * len * inner);
  const block = len * inner;
  for (let o = 0; o < outer; o++) {
    const from = (o * n + start) * inner;
    out.set(x.data.subarray(from, from + block), o * block);
  }
  const shape = x.shape.slice();
  shape[axis] = len;
  return new Tensor(out, shape);
}

/**
 * Joins tensors along `axis` (their other extents already checked equal).
 *
 * @example
 * ```ts
 * concatAlong([tensor([1]), tensor([2, 3])], 0); // Tensor [1, 2, 3]
 * ```
 */
export function concatAlong(parts: readonly Tensor[], axis: number): Tensor {
  const first = parts[0];
  const [outer, , inner] = around(first.shape, axis);
  let total = 0;
  for (const p of parts) total += p.shape[axis];
  const out = allocate("concat", outer * total * inner);
  let at = 0;
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const block = p.shape[axis] * inner;
      out.set(p.data.subarray(o * block, (o + 1) * block), at);
      at += block;
    }
  }
  const shape = first.shape.slice();
  shape[axis] = total;
  return new Tensor(out, shape);
}

/**
 * Zero-pads `x` with `before` and `after` rows along `axis`.
 *
 * @example
 * ```ts
 * padAlong(tensor([1, 2]), 1, 2, 0); // Tensor [0, 1, 2, 0, 0]
 * ```
 */
export function padAlong(x: Tensor, before: number, after: number, axis: number): Tensor {
  const [outer, n, inner] = around(x.shape, axis);
  const total = before + n + after;
  const out = allocate("pad", outer * total * inner);
  const block = n * inner;
  for (let o = 0; o < outer; o++) out.set(x.data.subarray(o * block, (o + 1) * block), (o * total + before) * inner);
  const shape = x.shape.slice();
  shape[axis] = total;
  return new Tensor(out, shape);
}

/**
 * Permutes axes: output axis k is input axis `perm[k]`.
 *
 * @example
 * ```ts
 * permute(tensor([[1, 2, 3]]), [1, 0]).shape; // [3, 1]
 * ```
 */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  const shape = perm.map((p) => x.shape[p]);
  const out = new Float64Array(x.size);
  const d = x.data;
  if (perm.length === 2 && perm[0] === 1) {
    const [r, c] = x.shape as [number, number];
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = d[i * c + j];
    return new Tensor(out, shape);
  }
  const own = stridesOf(x.shape);
  const st = perm.map((p) => own[p]);
  odometer(shape, st, (i, off) => (out[i] = d[off]));
  return new Tensor(out, shape);
}

/**
 * Copies `x` into the broadcast `shape` (`x.shape` right-aligned, extents equal or 1; already checked).
 *
 * @example
 * ```ts
 * expandTo(tensor([1, 2]), [2, 2]).toArray(); // [[1, 2], [1, 2]]
 * ```
 */
export function expandTo(x: Tensor, shape: readonly number[]): Tensor {
  const st = broadcastStrides(x.shape, shape);
  let size = 1;
  for (const d of shape) size *= d;
  const out = allocate("broadcastTo", size);
  const d = x.data;
  if (x.size === 1) out.fill(d[0]);
  else odometer(shape, st, (i, off) => (out[i] = d[off]));
  return new Tensor(out, shape);
}

/** Visits every row-major position i of `shape` with the matching offset under `strides`. */
function odometer(shape: readonly number[], strides: readonly number[], visit: (i: number, off: number) => void): void {
  const rank = shape.length;
  let size = 1;
  for (const d of shape) size *= d;
  const idx = new Array<number>(rank).fill(0);
  let off = 0;
  for (let i = 0; i < size; i++) {
    visit(i, off);
    for (let ax = rank - 1; ax >= 0; ax--) {
      idx[ax]++;
      off += strides[ax];
      if (idx[ax] < shape[ax]) break;
      off -= strides[ax] * shape[ax];
      idx[ax] = 0;
    }
  }
}

/**
 * Batched matrix product of a [...batchA, n, k] and b [...batchB, k, m]
 * into [...batch, n, m] (batch shapes already broadcast into `batch`), with
 * the i-k-j loop order so the innermost loop runs over contiguous memory.
 *
 * @example
 * ```ts
 * matmulKernel(tensor([[1, 2]]), tensor([[3], [4]]), []); // Tensor [[11]]
 * ```
 */
export function matmulKernel(a: Tensor, b: Tensor, batch: readonly number[]): Tensor {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const n = a.shape[ra - 2];
  const k = a.shape[ra - 1];
  const m = b.shape[rb - 1];
  let count = 1;
  for (const d of batch) count *= d;
  const out = allocate("matmul", count * n * m);
  const sa = broadcastStrides(a.shape.slice(0, ra - 2), batch);
  const sb = broadcastStrides(b.shape.slice(0, rb - 2), batch);
  const ad = a.data;
  const bd = b.data;
  const offs = [0, 0];
  const idx = new Array<number>(batch.length).fill(0);
  for (let t = 0; t < count; t++) {
    matmulInto(ad, offs[0] * n * k, bd, offs[1] * k * m, out, t * n * m, n, k, m);
    stepPair(idx, batch, batch.length - 1, sa, sb, offs);
  }
  return new Tensor(out, [...batch, n, m]);
}
