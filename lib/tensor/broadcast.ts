/**
 * NumPy broadcasting: the result shape of several operands, elementwise
 * evaluation over broadcast operands, and the reverse step that sums a
 * broadcast gradient back down to an operand's shape.
 */
import { fail, ShapeError } from "../errors.ts";
import { Tensor, stridesOf, allocate } from "./tensor.ts";
import { loopsFor, type Loops } from "./loops.ts";

/**
 * The broadcast shape of several shapes (right-aligned, extents equal or 1).
 *
 * @example
 * ```ts
 * broadcastShapes([[2, 1], [3]], "add"); // [2, 3]
 * ```
 */
export function broadcastShapes(shapes: readonly (readonly number[])[], api: string): number[] {
  let rank = 0;
  for (const s of shapes) rank = Math.max(rank, s.length);
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const k = rank - s.length + i;
      const d = s[i];
      if (d === out[k] || d === 1) continue;
      if (out[k] === 1) out[k] = d;
      else {
        fail(api, `shapes ${shapes.map((x) => `[${x.join(", ")}]`).join(" and ")} do not broadcast (axis ${k}: ${out[k]} vs ${d})`,
          "make the extents equal or 1 on every right-aligned axis (reshape or broadcastTo first)", ShapeError);
      }
    }
  }
  return out;
}

/**
 * Strides of `shape` viewed inside the broadcast `target` shape (right-aligned, 0 on broadcast axes).
 *
 * @example
 * ```ts
 * broadcastStrides([3, 1], [2, 3, 4]); // [0, 1, 0]
 * ```
 */
export function broadcastStrides(shape: readonly number[], target: readonly number[]): number[] {
  const own = stridesOf(shape);
  const out = new Array<number>(target.length).fill(0);
  for (let i = 0; i < shape.length; i++) {
    const k = target.length - shape.length + i;
    out[k] = shape[i] === 1 ? 0 : own[i];
  }
  return out;
}

/**
 * Applies a scalar function elementwise over numbers and tensors with broadcasting.
 *
 * @example
 * ```ts
 * mapBroadcast((a, b) => a + b, [tensor([1, 2]), 10], "add"); // Tensor [11, 12]
 * ```
 */
export function mapBroadcast(fn: (...xs: number[]) => number, args: readonly (number | Tensor)[], api: string, stable = false): Tensor {
  const shapes = args.map((a) => (typeof a === "number" ? [] : a.shape));
  const shape = broadcastShapes(shapes, api);
  const size = shape.reduce((p, d) => p * d, 1);
  const out = allocate(api, size);
  // A stable function (a registered op's value) gets loops compiled for it; a one-off closure does not.
  const loops = stable && size > 16 ? loopsFor(fn) : null;
  if (args.length === 1) {
    const x = (args[0] as Tensor).data;
    if (loops !== null) loops.unary(x, out);
    else for (let i = 0; i < size; i++) out[i] = fn(x[i]);
    return new Tensor(out, shape);
  }
  if (args.length === 2 && sameOrScalar(args, size)) {
    if (loops !== null) binaryLoops(loops, args[0], args[1], out);
    else binaryFast(fn, args[0], args[1], out);
    return new Tensor(out, shape);
  }
  if (loops !== null && args.length === 2 && shape.length > 0) broadcastRows(loops, args[0], args[1], shape, out);
  else generalMap(fn, args, shape, out);
  return new Tensor(out, shape);
}

/** Binary broadcasting one output row (last axis) at a time through a compiled strided loop. */
function broadcastRows(loops: Loops, a: number | Tensor, b: number | Tensor, shape: number[], out: Float64Array): void {
  const rank = shape.length;
  const last = shape[rank - 1];
  if (last === 0) return;
  const ad = typeof a === "number" ? Float64Array.of(a) : a.data;
  const bd = typeof b === "number" ? Float64Array.of(b) : b.data;
  const sa = typeof a === "number" ? new Array<number>(rank).fill(0) : broadcastStrides(a.shape, shape);
  const sb = typeof b === "number" ? new Array<number>(rank).fill(0) : broadcastStrides(b.shape, shape);
  const idx = new Array<number>(rank).fill(0);
  const offs = [0, 0];
  for (let o = 0; o < out.length; o += last) {
    loops.strided(ad, offs[0], sa[rank - 1], bd, offs[1], sb[rank - 1], out, o, last);
    stepPair(idx, shape, rank - 2, sa, sb, offs);
  }
}

/**
 * Advances a row-major index over axes 0..top of `shape` by one step and
 * moves two operands' offsets (`offs[0]`, `offs[1]`) along their strides,
 * wrapping axes that reach their extent: the walk over broadcast operands.
 *
 * @example
 * ```ts
 * const idx = [0, 0], offs = [0, 0];
 * stepPair(idx, [2, 3], 1, [3, 1], [0, 1], offs); // idx [0, 1], offs [1, 1]
 * ```
 */
export function stepPair(idx: number[], shape: readonly number[], top: number, sa: readonly number[], sb: readonly number[], offs: number[]): void {
  for (let ax = top; ax >= 0; ax--) {
    idx[ax]++;
    offs[0] += sa[ax];
    offs[1] += sb[ax];
    if (idx[ax] < shape[ax]) return;
    offs[0] -= sa[ax] * shape[ax];
    offs[1] -= sb[ax] * shape[ax];
    idx[ax] = 0;
  }
}

function sameOrScalar(args: readonly (number | Tensor)[], size: number): boolean {
  return args.every((a) => typeof a === "number" || a.size === size || a.size === 1);
}

/** Same-size or scalar-broadcast binary map through compiled loops (the output has more than one element). */
function binaryLoops(loops: Loops, a: number | Tensor, b: number | Tensor, out: Float64Array): void {
  const as = typeof a === "number" || a.size === 1 ? null : a.data;
  const bs = typeof b === "number" || b.size === 1 ? null : b.data;
  const av = typeof a === "number" ? a : a.data[0];
  const bv = typeof b === "number" ? b : b.data[0];
  if (as !== null && bs !== null) loops.same(as, bs, out);
  else if (as !== null) loops.right(as, bv, out);
  else loops.left(av, bs!, out);
}

function binaryFast(fn: (a: number, b: number) => number, a: number | Tensor, b: number | Tensor, out: Float64Array): void {
  const n = out.length;
  const as = typeof a === "number" ? null : a.size === 1 && n !== 1 ? null : a.data;
  const bs = typeof b === "number" ? null : b.size === 1 && n !== 1 ? null : b.data;
  const av = typeof a === "number" ? a : a.data[0];
  const bv = typeof b === "number" ? b : b.data[0];
  if (as !== null && bs !== null) for (let i = 0; i < n; i++) out[i] = fn(as[i], bs[i]);
  else if (as !== null) for (let i = 0; i < n; i++) out[i] = fn(as[i], bv);
  else if (bs !== null) for (let i = 0; i < n; i++) out[i] = fn(av, bs[i]);
  else for (let i = 0; i < n; i++) out[i] = fn(av, bv);
}

function generalMap(fn: (...xs: number[]) => number, args: readonly (number | Tensor)[], shape: number[], out: Float64Array): void {
  const rank = shape.length;
  const strides = args.map((a) => (typeof a === "number" ? new Array<number>(rank).fill(0) : broadcastStrides(a.shape, shape)));
  const datas = args.map((a) => (typeof a === "number" ? Float64Array.of(a) : a.data));
  const idx = new Array<number>(rank).fill(0);
  const offs = new Array<number>(args.length).fill(0);
  const xs = new Array<number>(args.length);
  for (let i = 0; i < out.length; i++) {
    for (let k = 0; k < args.length; k++) xs[k] = datas[k][offs[k]];
    out[i] = fn(...xs);
    for (let ax = rank - 1; ax >= 0; ax--) {
      idx[ax]++;
      for (let k = 0; k < args.length; k++) offs[k] += strides[k][ax];
      if (idx[ax] < shape[ax]) break;
      for (let k = 0; k < args.length; k++) offs[k] -= strides[k][ax] * shape[ax];
      idx[ax] = 0;
    }
  }
}

/**
 * Sums a tensor over the axes that broadcasting added or stretched, so the
 * result has `shape`: the adjoint of broadcasting.
 *
 * @example
 * ```ts
 * sumToShape(ones([2, 3]), [3]); // Tensor [2, 2, 2]
 * ```
 */
export function sumToShape(t: Tensor, shape: readonly number[]): Tensor | number {
  if (shape.length === 0) {
    let s = 0;
    for (let i = 0; i < t.size; i++) s += t.data[i];
    return s;
  }
  if (sameShape(t.shape, shape)) return t;
  const size = shape.reduce((p, d) => p * d, 1);
  const out = new Float64Array(size);
  const st = broadcastStrides(shape, t.shape);
  const rank = t.shape.length;
  const idx = new Array<number>(rank).fill(0);
  let off = 0;
  for (let i = 0; i < t.size; i++) {
    out[off] = out[off] + t.data[i];
    for (let ax = rank - 1; ax >= 0; ax--) {
      idx[ax]++;
      off += st[ax];
      if (idx[ax] < t.shape[ax]) break;
      off -= st[ax] * t.shape[ax];
      idx[ax] = 0;
    }
  }
  return new Tensor(out, shape);
}

/**
 * True when two shapes are equal.
 *
 * @example
 * ```ts
 * sameShape([2, 3], [2, 3]); // true
 * ```
 */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
