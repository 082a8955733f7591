/**
 * Batching rules of the structural ops (the `batch` field of their
 * declarations): each runs the op once on a whole batch, the batch axis
 * first, by calling the op (or a sibling) with its params shifted past the
 * batch axis. Operands not batched are shared by every example; a rule
 * gives them the batch axis only where the op cannot broadcast them.
 */
import { G, type BatchRule } from "../registry/op.ts";
import { exampleShape, type Value } from "../registry/lifted.ts";

/** `x` as a batch: its own batch axis when batched, else repeated `size` times. */
function withBatch(x: Value, batched: boolean, size: number): Value {
  if (batched) return x;
  const s = exampleShape(x);
  return G.broadcastTo(G.reshape(x, [1, ...s]), [size, ...s]);
}

/** A batch [B, ...s] as [B, 1, ..., 1, ...s] of `rank` axes after the batch axis. */
function padAfterBatch(x: Value, rank: number): Value {
  const s = exampleShape(x);
  if (s.length - 1 >= rank) return x;
  return G.reshape(x, [s[0], ...new Array<number>(rank - s.length + 1).fill(1), ...s.slice(1)]);
}

/**
 * A reduction over `axis` (null: every axis) of each example: the axis
 * shifts past the batch axis; a full reduction reduces the flattened example.
 *
 * @example
 * ```ts
 * batchReduce(G.sum)([x], [true], 4, { axis: 0, keepdims: false }); // sum(x, 1)
 * ```
 */
export function batchReduce(reduce: (x: Value, axis: number | null, keepdims: boolean) => Value): BatchRule<{ axis: number | null; keepdims: boolean }> {
  return ([x], _b, size, p) => {
    if (p.axis !== null) return reduce(x, p.axis + 1, p.keepdims);
    const s = exampleShape(x);
    const flat = reduce(G.reshape(x, [size, -1]), 1, false);
    return p.keepdims ? G.reshape(flat, [size, ...s.slice(1).map(() => 1)]) : flat;
  };
}

/** reshape: the batch axis leads the new shape. @example `batchReshape([x], [true], 4, [6]) // reshape(x, [4, 6])` */
export const batchReshape: BatchRule<number[]> = ([x], _b, size, shape) => G.reshape(x, [size, ...shape]);

/** broadcastTo: the batch is padded to the target's rank, then broadcast behind its batch axis. @example `batchBroadcastTo([x], [true], 4, [2, 3])` */
export const batchBroadcastTo: BatchRule<number[]> = ([x], _b, size, shape) => G.broadcastTo(padAfterBatch(x, shape.length), [size, ...shape]);

/**
 * sumToShape: the leading axes broadcasting added are summed away first
 * (they sit behind the batch axis, where sumToShape cannot see them).
 *
 * @example `batchSumToShape([x], [true], 4, [3]) // x of [4, 2, 3] summed to [4, 3]`
 */
export const batchSumToShape: BatchRule<number[]> = ([x], _b, size, shape) => {
  let y = x;
  for (let r = exampleShape(y).length - 1; r > shape.length; r--) y = G.sum(y, 1);
  return G.sumToShape(y, [size, ...shape]);
};

/** transpose: the batch axis stays first. @example `batchTranspose([x], [true], 4, [1, 0]) // transpose(x, [0, 2, 1])` */
export const batchTranspose: BatchRule<number[]> = ([x], _b, _size, perm) => G.transpose(x, [0, ...perm.map((p) => p + 1)]);

/** index along each example's axis 0: a one-row slice of axis 1. @example `batchIndex([x], [true], 4, 2)` */
export const batchIndex: BatchRule<number> = ([x], _b, size, i) => {
  const s = exampleShape(x);
  return G.reshape(G.slice(x, i, i + 1, 1), [size, ...s.slice(2)]);
};

/** slice: the axis shifts past the batch axis. @example `batchSlice([x], [true], 4, { start: 1, end: 3, axis: 0 })` */
export const batchSlice: BatchRule<{ start: number; end: number; axis: number }> = ([x], _b, _size, p) => G.slice(x, p.start, p.end, p.axis + 1);

/** padZeros: the axis shifts past the batch axis. @example `batchPadZeros([x], [true], 4, { before: 1, after: 0, axis: 0 })` */
export const batchPadZeros: BatchRule<{ before: number; after: number; axis: number }> = ([x], _b, _size, p) => G.padZeros(x, p.before, p.after, p.axis + 1);

/** concat: shared parts are repeated over the batch, then one join behind the batch axis. @example `batchConcat([a, b], [true, false], 4, 0)` */
export const batchConcat: BatchRule<number> = (xs, batched, size, axis) => G.concat(xs.map((x, k) => withBatch(x, batched[k], size)), axis + 1);

/** stack: shared parts are repeated over the batch, then one stack behind the batch axis. @example `batchStack([a, b], [true, true], 4, 0)` */
export const batchStack: BatchRule<number> = (xs, batched, size, axis) => G.stack(xs.map((x, k) => withBatch(x, batched[k], size)), axis + 1);

/**
 * matmul: a shared right factor of rank <= 2 takes the batch as extra rows
 * of one product, and a shared left factor of rank <= 2 takes a batched
 * right factor of rank <= 2 as extra columns, so the product runs as one
 * large (blocked) matmul; every output element still sums its products in
 * the same order, so results equal the per-example ones bit for bit.
 * Otherwise 1-D operands are promoted to matrices per example (a row for
 * the left, a column for the right), batched operands padded to a common
 * rank so the batch axis meets only batch axes, and one batched matmul
 * runs. The result is reshaped to the examples' output shape (`out`, from
 * the plan).
 *
 * @example `batchMatmul([x, w], [true, false], 4, plan) // one matmul of [4, n] by w`
 */
export const batchMatmul: BatchRule<{ out: number[] }> = ([a, b], batched, size, p) => {
  const sa = exampleShape(a).slice(batched[0] ? 1 : 0);
  const sb = exampleShape(b).slice(batched[1] ? 1 : 0);
  if (batched[0] && !batched[1] && sb.length <= 2) return G.reshape(G.matmul(G.reshape(a, [-1, sa[sa.length - 1]]), b), [size, ...p.out]);
  if (!batched[0] && batched[1] && sa.length <= 2 && sb.length <= 2) return asColumns(a, b, sa, sb, size, p.out);
  const promote = (x: Value, s: number[], isB: boolean, on: boolean): [Value, number] => {
    if (s.length !== 1) return [x, s.length];
    const m = isB ? [s[0], 1] : [1, s[0]];
    return [G.reshape(x, on ? [size, ...m] : m), 2];
  };
  let [pa, ra] = promote(a, sa, false, batched[0]);
  let [pb, rb] = promote(b, sb, true, batched[1]);
  const rank = Math.max(ra, rb);
  // An operand not batched broadcasts over the leading axes by itself.
  if (batched[0]) pa = padAfterBatch(pa, rank);
  if (batched[1]) pb = padAfterBatch(pb, rank);
  return G.reshape(G.matmul(pa, pb), [size, ...p.out]);
};

/** A shared [n, k] (or [k]) times each example's [k, m] (or [k]): the examples side by side as the columns of one product. */
function asColumns(a: Value, b: Value, sa: number[], sb: number[], size: number, out: number[]): Value {
  // Vector examples: row j of B Aᵀ is A b_j, summed in the same order, with one transpose of the shared A.
  if (sb.length === 1 && sa.length === 2) return G.matmul(b, G.transpose(a));
  const k = sb[0];
  const m = sb.length === 2 ? sb[1] : 1;
  const n = sa.length === 2 ? sa[0] : 1;
  const cols = G.reshape(G.transpose(G.reshape(b, [size, k, m]), [1, 0, 2]), [k, size * m]);
  return G.reshape(G.transpose(G.reshape(G.matmul(a, cols), [n, size, m]), [1, 0, 2]), [size, ...out]);
}

/** dot of two vectors per example: a matrix-vector product, or a rowwise sum when both are batched. @example `batchDot([x, y], [true, false], 4, undefined)` */
export const batchDot: BatchRule<undefined> = ([a, b], batched) => {
  if (batched[0] && batched[1]) return G.sum(G.mul(a, b), 1);
  return batched[0] ? G.matmul(a, b) : G.matmul(b, a);
};

/** outer per example: a column times a row, batched on whichever operands carry the batch. @example `batchOuter([x, y], [true, false], 4, undefined)` */
export const batchOuter: BatchRule<undefined> = ([a, b], batched, size) => {
  const n = exampleShape(a).slice(batched[0] ? 1 : 0)[0];
  const m = exampleShape(b).slice(batched[1] ? 1 : 0)[0];
  const col = G.reshape(a, batched[0] ? [size, n, 1] : [n, 1]);
  const row = G.reshape(b, batched[1] ? [size, 1, m] : [1, m]);
  return G.matmul(col, row);
};
