/**
 * Shape ops: reshape, broadcastTo, index, slice, concat, stack, plus the
 * internal sumToShape (the adjoint of broadcasting) and padZeros (the
 * adjoint of slicing). Each is linear, so its tangent map is the op itself
 * applied to the tangent and its transpose is the partner op: the
 * one-operand ops are declared with `linear` (map and transpose), and
 * broadcastTo and sumToShape with `linearPair`, as each other's transpose;
 * concat and stack split their cotangent back into the parts.
 *
 * Scalars are numbers: an op whose result has shape [] returns a number.
 * Results are fresh copies, so in-place writes to one never show through
 * another; a call that changes nothing (reshape or broadcastTo to the same
 * shape, concat of one part) returns its operand itself.
 */
import { structural, type OpFunction } from "../registry/op.ts";
import { linear, linearPair } from "./linear.ts";
import type { Value } from "../registry/lifted.ts";
import { Tensor, shapeSize, allocate } from "../tensor/tensor.ts";
import { sameShape, sumToShape as sumDown } from "../tensor/broadcast.ts";
import { fail, describe, ShapeError, TypeMismatchError } from "../errors.ts";
import { sliceAlong, concatAlong, padAlong, expandTo, around } from "../tensor/kernels.ts";
import {
  valueShape, normAxis, checkInteger, asTensor, result, zerosOf, fmt,
  tangentOf, cotangentOf, fitKind, type TensorFn, type ListFn,
} from "./tensor-rules.ts";
import { batchReshape, batchBroadcastTo, batchSumToShape, batchIndex, batchSlice, batchPadZeros, batchConcat, batchStack } from "./batch-rules.ts";

/** A shape op whose params are the shape it maps to. */
type ToShape = TensorFn<[shape: readonly number[]], number | Tensor>;
/** sumToShape and padZeros as users call them. */
type SumToShape = (x: Value, shape: readonly number[]) => Value;
type PadZeros = (x: Value, before: number, after: number, axis: number) => Value;

function copyOf(x: number | Tensor): Float64Array {
  return typeof x === "number" ? Float64Array.of(x) : x.data.slice();
}

function checkShape(api: string, shape: unknown): number[] {
  if (!Array.isArray(shape)) fail(api, `the shape ${describe(shape)} is not an array`, "pass the shape as an array of integers, e.g. [2, 3]", TypeMismatchError);
  shapeSize(shape, api);
  return shape.slice();
}

function resolveShape(x: Value, shape: unknown): number[] {
  if (!Array.isArray(shape)) fail("reshape", `the shape ${describe(shape)} is not an array`, "pass e.g. [2, 3] (one extent may be -1)", TypeMismatchError);
  const from = valueShape("reshape", x);
  const size = from.reduce((p, d) => p * d, 1);
  const free = shape.indexOf(-1);
  const out = shape.slice() as number[];
  if (free >= 0) {
    if (out.lastIndexOf(-1) !== free) fail("reshape", `shape ${fmt(out)} has more than one -1`, "leave at most one extent as -1", ShapeError);
    const known = out.filter((_, k) => k !== free);
    shapeSize(known, "reshape");
    const rest = known.reduce((p, d) => p * d, 1);
    // With a zero among the other extents any value of -1 fits (NumPy and
    // PyTorch refuse it too): the caller must say which.
    if (rest === 0) {
      fail("reshape", `the -1 in ${fmt(out)} is ambiguous because another extent is 0 (any size would fit)`,
        "give every extent explicitly when the shape has a 0", ShapeError);
    }
    out[free] = size / rest;
  }
  if ((free >= 0 && !Number.isInteger(out[free])) || shapeSize(out, "reshape") !== size) {
    fail("reshape", `cannot reshape ${fmt(from)} (${size} elements) into ${fmt(shape as number[])}`,
      "keep the number of elements the same", ShapeError);
  }
  return out;
}

/** Reshapes (row-major order kept); one extent may be -1. @example `reshape(arange(6), [2, -1]).shape // [2, 3]` */
export const reshape: OpFunction<ToShape> = linear<number[], ToShape>({
  name: "reshape",
  batch: batchReshape,
  notes: "one extent may be -1; the element count must match; linear.",
  compute: (x, shape) => result(copyOf(x), shape),
  map: (A, x, shape) => A.reshape(x, shape),
  transpose: (A, g, x) => A.reshape(g, valueShape("reshape", x)),
}, (run) => (x, shape) => {
  const to = resolveShape(x, shape);
  return (sameShape(valueShape("reshape", x), to) ? x : run([x], to)) as never;
});

function checkBroadcast(api: string, from: readonly number[], to: readonly number[]): void {
  const off = to.length - from.length;
  if (off < 0 || from.some((d, k) => d !== 1 && d !== to[off + k])) {
    fail(api, `shape ${fmt(from)} cannot be broadcast to ${fmt(to)}`,
      "each right-aligned extent must equal the target's or be 1, and the target may not have fewer axes", ShapeError);
  }
}

/** broadcastTo and sumToShape, declared as each other's transpose. */
const broadcastPair = linearPair<ToShape, SumToShape>({
  name: "broadcastTo",
  batch: batchBroadcastTo,
  notes: "NumPy broadcasting; the gradient sums over the broadcast axes.",
  compute: (x, shape) => (typeof x === "number" ? result(allocate("broadcastTo", shapeSize(shape, "broadcastTo")).fill(x), shape)
    : shape.length === 0 ? x.data[0] : expandTo(x, shape)),
  map: (A, x, shape) => A.broadcastTo(x, shape),
  expose: (run) => (x, shape) => {
    const to = checkShape("broadcastTo", shape);
    const from = valueShape("broadcastTo", x);
    checkBroadcast("broadcastTo", from, to);
    return (sameShape(from, to) ? x : run([x], to)) as never;
  },
}, {
  name: "sumToShape",
  batch: batchSumToShape,
  notes: "the adjoint of broadcasting: sums over the axes broadcasting added or stretched.",
  compute: (x, shape) => (typeof x === "number" ? x : sumDown(x, shape)),
  map: (A, x, shape) => A.sumToShape(x, shape),
  expose: (run) => (x, shape) => {
    const to = checkShape("sumToShape", shape);
    const from = valueShape("sumToShape", x);
    checkBroadcast("sumToShape", to, from);
    return sameShape(from, to) ? x : run([x], to);
  },
});

/** Repeats `x` along broadcast axes to `shape` (NumPy's broadcast_to; a copy). @example `broadcastTo(tensor([1, 2]), [3, 2])` */
export const broadcastTo: OpFunction<ToShape> = broadcastPair[0];

/**
 * Sums `x` down to `shape` over the axes broadcasting added or stretched:
 * the adjoint of broadcastTo (a gradient of a broadcast operand, reduced by hand).
 *
 * @example `sumToShape(ones([2, 3]), [3]) // Tensor [2, 2, 2]`
 */
export const sumToShape: OpFunction<SumToShape> = broadcastPair[1];

function rankAtLeast1(api: string, x: Value): number[] {
  const s = valueShape(api, x);
  if (s.length === 0) fail(api, "the operand is a scalar", "pass a Tensor with at least one axis", ShapeError);
  return s;
}

/**
 * `t[i]` along axis 0 (negative i counts from the end): a number for a 1-D tensor.
 *
 * @example `index(tensor([[1, 2], [3, 4]]), -1) // Tensor [3, 4]`
 */
export const index: OpFunction<TensorFn<[i: number], number | Tensor>> = linear<number, TensorFn<[i: number], number | Tensor>>({
  name: "index",
  batch: batchIndex,
  notes: "t[i] along axis 0, negative i counting from the end; the gradient scatters into zeros.",
  compute: (x, i) => {
    const t = x as Tensor;
    const [, , inner] = around(t.shape, 0);
    return result(t.data.slice(i * inner, (i + 1) * inner), t.shape.slice(1));
  },
  map: (A, x, i) => A.index(x, i),
  transpose: (A, g, x, i) => {
    const s = valueShape("index", x);
    return A.padZeros(A.reshape(g, [1, ...s.slice(1)]), i, s[0] - i - 1, 0);
  },
}, (run) => (t, i) => {
  const s = rankAtLeast1("index", t);
  const k = checkInteger("index", "the index", i);
  if (k < -s[0] || k >= s[0]) {
    fail("index", `index ${k} is out of range for axis 0 of extent ${s[0]} (shape ${fmt(s)})`, `use an index in ${-s[0]}..${s[0] - 1}`, ShapeError);
  }
  return run([t], k < 0 ? k + s[0] : k) as never;
});

interface SliceParams { start: number; end: number; axis: number }

function bound(v: number, n: number): number {
  return v < 0 ? Math.max(0, n + v) : Math.min(v, n);
}

/**
 * Rows `start..end` (end excluded) along `axis`, with Python's rules:
 * negative bounds count from the end, bounds are clipped, `end` defaults to
 * the extent. The axis is kept (a slice of one row has extent 1).
 *
 * @example `slice(arange(5), 1, -1) // Tensor [1, 2, 3]`
 */
export const slice: OpFunction<TensorFn<[start: number, end?: number, axis?: number], Tensor>> = linear<SliceParams, TensorFn<[start: number, end?: number, axis?: number], Tensor>>({
  name: "slice",
  batch: batchSlice,
  notes: "elements [start, end) along an axis; the gradient pads with zeros.",
  compute: (x, p) => sliceAlong(x as Tensor, p.start, p.end, p.axis),
  map: (A, x, p) => A.slice(x, p.start, p.end, p.axis),
  transpose: (A, g, x, p) => A.padZeros(g, p.start, valueShape("slice", x)[p.axis] - p.end, p.axis),
}, (run) => (t, start, end, axis = 0) => {
  const s = rankAtLeast1("slice", t);
  const ax = normAxis("slice", axis, s.length);
  const n = s[ax];
  const lo = bound(checkInteger("slice", "start", start), n);
  const hi = Math.max(lo, end === undefined ? n : bound(checkInteger("slice", "end", end), n));
  return run([t], { start: lo, end: hi, axis: ax }) as never;
});

interface PadParams { before: number; after: number; axis: number }

/**
 * Zero-pads `x` with `before` zeros ahead of and `after` zeros behind it
 * along `axis`: the adjoint of slice and index.
 *
 * @example `padZeros(tensor([1, 2]), 1, 2, 0) // Tensor [0, 1, 2, 0, 0]`
 */
export const padZeros: OpFunction<PadZeros> = linear<PadParams, PadZeros>({
  name: "padZeros",
  batch: batchPadZeros,
  notes: "the adjoint of slice: places a slice back among zeros.",
  compute: (x, p) => padAlong(asTensor(x), p.before, p.after, p.axis),
  map: (A, x, p) => A.padZeros(x, p.before, p.after, p.axis),
  transpose: (A, g, x, p) => A.slice(g, p.before, p.before + valueShape("padZeros", x)[p.axis], p.axis),
}, (run) => (x, before, after, axis) => {
  const s = rankAtLeast1("padZeros", x);
  const ax = normAxis("padZeros", axis, s.length);
  const b = checkInteger("padZeros", "before", before);
  const a = checkInteger("padZeros", "after", after);
  if (b < 0 || a < 0) fail("padZeros", `negative padding (${b}, ${a})`, "pad by counts >= 0", ShapeError);
  return run([x], { before: b, after: a, axis: ax }) as never;
});

function listShapes(api: string, xs: unknown): number[][] {
  if (!Array.isArray(xs)) fail(api, `expected an array of values, got ${describe(xs)}`, `call ${api}([a, b, ...], axis)`, TypeMismatchError);
  if (xs.length === 0) fail(api, "the array is empty", "pass at least one value", ShapeError);
  return xs.map((x) => valueShape(api, x));
}

function mismatch(api: string, shapes: number[][], what: string): never {
  return fail(api, `shapes ${shapes.map(fmt).join(", ")} ${what}`, api === "concat"
    ? "give every part the same rank and the same extents except along the axis" : "give every part the same shape", ShapeError);
}

/** Zero-filled tangents for the parts that carry none (null when no part carries one). */
function listTangents(A: Parameters<typeof tangentOf>[0], api: string, xs: Value[], ts: (Value | null)[]): Value[] | null {
  const tt = xs.map((x, k) => tangentOf(A, api, ts[k], x));
  if (tt.every((t) => t === null)) return null;
  return tt.map((t, k) => t ?? zerosOf(valueShape(api, xs[k])));
}

/** Joins tensors along an existing axis (NumPy's concatenate). @example `concat([tensor([1]), tensor([2, 3])]) // Tensor [1, 2, 3]` */
export const concat: OpFunction<ListFn<[axis?: number], Tensor>> = structural<number, ListFn<[axis?: number], Tensor>>({
  name: "concat", arity: -1, reads: [],
  batch: batchConcat,
  notes: "joins along an existing axis; the gradient splits back into the parts.",
  compute: (xs, axis) => concatAlong(xs as Tensor[], axis),
  jvp: (A, xs, _out, ts, axis) => {
    const tt = listTangents(A, "concat", xs, ts);
    return tt === null ? 0 : A.concat(tt, axis);
  },
  vjp: (A, xs, out, g, axis, needed) => {
    const gc = cotangentOf(A, "concat", g, out);
    let at = 0;
    return xs.map((x, k) => {
      const n = valueShape("concat", x)[axis];
      const from = at;
      at += n;
      return needed?.[k] === false ? null : A.slice(gc, from, from + n, axis);
    });
  },
}, (run) => (xs, axis = 0) => {
  const shapes = listShapes("concat", xs);
  const r = shapes[0].length;
  if (shapes.some((s) => s.length === 0)) mismatch("concat", shapes, "include a scalar, which has no axis to join along (use stack)");
  const ax = normAxis("concat", axis, r);
  if (shapes.some((s) => s.length !== r || s.some((d, k) => k !== ax && d !== shapes[0][k]))) mismatch("concat", shapes, `do not fit together along axis ${ax}`);
  return (xs.length === 1 ? xs[0] : run(xs.slice(), ax)) as never;
});

/** Joins values of one shape along a new axis (numbers give a 1-D tensor). @example `stack([1, 2, 3]) // Tensor [1, 2, 3]` */
export const stack: OpFunction<ListFn<[axis?: number], Tensor>> = structural<number, ListFn<[axis?: number], Tensor>>({
  name: "stack", arity: -1, reads: [],
  batch: batchStack,
  notes: "joins along a new axis; the gradient splits back into the parts.",
  compute: (xs, axis) => concatAlong(xs.map((x) => {
    const t = asTensor(x);
    return new Tensor(t.data, [...t.shape.slice(0, axis), 1, ...t.shape.slice(axis)]);
  }), axis),
  jvp: (A, xs, _out, ts, axis) => {
    const tt = listTangents(A, "stack", xs, ts);
    return tt === null ? 0 : A.stack(tt, axis);
  },
  vjp: (A, xs, out, g, axis, needed) => {
    const gc = cotangentOf(A, "stack", g, out);
    return xs.map((x, k) => (needed?.[k] === false ? null : fitKind(A, axis === 0 ? A.index(gc, k)
      : A.reshape(A.slice(gc, k, k + 1, axis), valueShape("stack", x)), x)));
  },
}, (run) => (xs, axis = 0) => {
  const shapes = listShapes("stack", xs);
  const first = shapes[0];
  if (shapes.some((s) => !sameShape(s, first))) mismatch("stack", shapes, "differ");
  return run(xs.slice(), normAxis("stack", axis, first.length + 1)) as never;
});
