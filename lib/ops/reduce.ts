/**
 * Reductions: sum, mean, prod, max, min, logsumexp, norm. Each takes an
 * optional `axis` (negative counts from the end; omitted = every axis, giving
 * a number) and `keepdims`. Each is declared once by its value on a Tensor
 * and its local slope (d out / d x, elementwise in x's shape); the tangent
 * map `sum(slope * t)` and its transpose `slope * broadcast(g)` are derived
 * here with the algebra's ops, so they are differentiable again.
 *
 * Conventions: on a plain scalar each returns it (norm returns |x|). A JS
 * array of scalars is reduced as a vector, with the same values and
 * derivatives, using elementwise ops (so it also works with multi-lane
 * tangents). max/min split the gradient evenly between tied elements. norm is
 * the 2-norm with derivative x / norm, taken as 0 at the zero vector.
 * logsumexp is max-shifted (no overflow) and its derivative is the softmax.
 * prod's derivative is the product of the other elements, also where x has
 * zeros (its second derivative at a point with two or more zeros in one
 * slice is taken as 0).
 */
import { structural, G, type Algebra } from "../registry/op.ts";
import { Lifted, primal, type Value } from "../registry/lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { fail, describe, ShapeError, TypeMismatchError } from "../errors.ts";
import { reduceAlong, around } from "../tensor/kernels.ts";
import { softmaxAlong } from "../tensor/softmax.ts";
import { valueShape, normAxis, result, tangentOf, cotangentOf, fitKind } from "./tensor-rules.ts";
import { reduceList, type ListKind } from "./reduce-list.ts";
import { batchReduce } from "./batch-rules.ts";
import { wrapLike, examplesAlong } from "../registry/batched.ts";

interface ReduceParams {
  axis: number | null;
  keepdims: boolean;
}

/**
 * A reduction as users call it.
 *
 * @example
 * ```ts
 * const r: Reduction = mean;
 * r(tensor([[1, 2], [3, 4]]), 1); // Tensor [1.5, 3.5]
 * r([1, 2, 3]);                    // 2
 * ```
 */
export interface Reduction {
  (x: number | readonly number[], axis?: number | null, keepdims?: boolean): number;
  (x: Tensor, axis?: number | null, keepdims?: boolean): number | Tensor;
  <L extends Lifted>(x: L | readonly L[], axis?: number | null, keepdims?: boolean): L;
  (x: Value | readonly Value[], axis?: number | null, keepdims?: boolean): Value;
}

type Slope = (A: Algebra, x: Value, keptOut: () => Value, p: ReduceParams) => Value;

interface ReductionSpec {
  name: ListKind;
  /** The value on a Tensor along a valid axis (null = all), one entry per output element. */
  compute: (x: Tensor, axis: number | null) => Float64Array;
  /** d out / d x in x's shape (a number when constant). */
  slope: Slope;
  /** Linear in x (sum, mean): the backward reads only x's shape, never its contents. */
  linear?: boolean;
  /** Whether a reduction over no elements is an error (max, min). */
  needsElements?: boolean;
  /** Conventions for the op reference (non-smooth points, NaN, Infinity). */
  notes: string;
}

function keepShape(shape: readonly number[], p: ReduceParams): number[] {
  return shape.map((d, k) => (p.axis === null || k === p.axis ? 1 : d));
}

function outShape(shape: readonly number[], p: ReduceParams): number[] {
  if (p.keepdims) return keepShape(shape, p);
  return p.axis === null ? [] : shape.filter((_, k) => k !== p.axis);
}

/** g (shaped like the output) spread back over x's shape. */
function expand(A: Algebra, g: Value, xShape: readonly number[], p: ReduceParams): Value {
  const kept = p.axis !== null && !p.keepdims ? A.reshape(g, keepShape(xShape, p)) : g;
  return A.broadcastTo(kept, xShape);
}

function declare(spec: ReductionSpec): Reduction {
  const { name, slope } = spec;
  const kept = (A: Algebra, out: Value, x: Value, p: ReduceParams) => () =>
    p.axis !== null && !p.keepdims ? A.reshape(out, keepShape(valueShape(name, x), p)) : out;
  return structural<ReduceParams, Reduction>({
    name, arity: 1, notes: spec.notes, ...(spec.linear === true ? { reads: [] } : {}),
    // G holds every op by name as an OpFn; this name is one of the reductions declared here, so it has their signature.
    batch: batchReduce((x, axis, keepdims) => (G[name] as unknown as Reduction)(x, axis, keepdims)),
    compute: ([x], p) => {
      const t = x as Tensor;
      return result(spec.compute(t, p.axis), outShape(t.shape, p));
    },
    jvp: (A, [x], out, [t], p) => {
      const tt = tangentOf(A, name, t, x);
      if (tt === null) return 0;
      const d = slope(A, x, kept(A, out, x, p), p);
      if (typeof d === "number") return A.mul(d, A.sum(tt, p.axis, p.keepdims));
      return A.sum(A.mul(d, tt), p.axis, p.keepdims);
    },
    vjp: (A, [x], out, g, p) => {
      const gc = cotangentOf(A, name, g, out);
      const d = slope(A, x, kept(A, out, x, p), p);
      const xs = valueShape(name, x);
      if (typeof d === "number") return [fitKind(A, expand(A, d === 1 ? gc : A.mul(d, gc), xs, p), x)];
      // A slope in x's shape: the product broadcasts g itself (no x-sized copy of g), and a unit g
      // (a full reduction's own gradient) leaves the slope as it is. Values are never written in place.
      if (gc === 1) return [fitKind(A, d, x)];
      const gk = p.axis !== null && !p.keepdims ? A.reshape(gc, keepShape(xs, p)) : gc;
      return [fitKind(A, A.mul(d, gk), x)];
    },
  }, (run) => ((x: Value | readonly Value[], axis?: number | null, keepdims?: boolean) => call(spec, run, x, axis, keepdims)) as Reduction);
}

/** The public call: validates axis and keepdims, handles scalars and arrays, else runs the op. */
function call(spec: ReductionSpec, run: (args: Value[], p: ReduceParams) => Value, x: Value | readonly Value[], axis: unknown, keepdims: unknown): Value {
  const name = spec.name;
  if (Array.isArray(x)) return reduceList(name, x, axis, keepdims);
  const s = valueShape(name, x);
  if (keepdims !== undefined && typeof keepdims !== "boolean") {
    fail(name, `keepdims ${describe(keepdims)} is not a boolean`, "pass true or false", TypeMismatchError);
  }
  const ax = axis === undefined || axis === null ? null : normAxis(name, axis, s.length);
  if (typeof primal(x as Value) === "number") return name === "norm" ? G.abs(x as Value) : (x as Value);
  if (spec.needsElements === true && (ax === null ? s.reduce((a, b) => a * b, 1) : s[ax]) === 0) {
    fail(name, `the reduction over ${ax === null ? "all axes" : `axis ${ax}`} of shape [${s.join(", ")}] has no elements`,
      "reduce a non-empty tensor (max and min have no identity)", ShapeError);
  }
  return run([x as Value], { axis: ax, keepdims: keepdims === true });
}

function count(x: Value, p: ReduceParams): number {
  const s = valueShape("mean", x);
  return p.axis === null ? s.reduce((a, b) => a * b, 1) : s[p.axis];
}

/** Visits [outer, n, inner] around the axis: `visit(j, e)` for output slot j and element e. */
function eachSlot(shape: readonly number[], axis: number | null, size: number, visit: (j: number, e: number) => void): void {
  const [outer, n, inner] = axis === null ? [1, size, 1] : around(shape, axis);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < n; k++) {
      const row = (o * n + k) * inner;
      for (let i = 0; i < inner; i++) visit(o * inner + i, row + i);
    }
  }
}

/** 1/count on the elements equal to their slice's max (or min), 0 elsewhere: ties share the gradient; NaN throughout a NaN slice. */
function tieWeights(x: Value, out: Value, p: ReduceParams): Value {
  // Under vmap the values hold every example: slices are taken per example.
  const { t: xp, axis } = examplesAlong(x, p.axis);
  const op = primal(out);
  const ov = typeof op === "number" ? Float64Array.of(op) : op.data;
  const d = xp.data;
  const w = new Float64Array(xp.size);
  const counts = new Float64Array(ov.length);
  const [outer, n, inner] = axis === null ? [1, xp.size, 1] : around(xp.shape, axis);
  for (let pass = 0; pass < 2; pass++) {
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < n; k++) {
        const row = (o * n + k) * inner;
        for (let i = 0; i < inner; i++) {
          const j = o * inner + i;
          const v = d[row + i];
          // A NaN slice has no largest element to route the gradient to: every element's slope is NaN.
          if (ov[j] !== ov[j]) {
            w[row + i] = NaN;
            continue;
          }
          if (v !== ov[j]) continue;
          if (pass === 0) counts[j]++;
          else w[row + i] = 1 / counts[j];
        }
      }
    }
  }
  return wrapLike(x, new Tensor(w, primalShape(x)));
}

/** The shape of x's primal (every example's under vmap). */
function primalShape(x: Value): number[] {
  const p = primal(x);
  return typeof p === "number" ? [] : p.shape;
}

/** Masks over x's shape (1 where the condition holds, else 0). */
interface Pivots {
  /** One-hot per slice: the element of smallest magnitude. */
  pivot: Tensor;
  /** The other exact zeros (the set Z of their slice). */
  zeros: Tensor;
  /** pivot + zeros: the elements prod's slope never divides by. */
  skip: Tensor;
  /** Elements of Z in a slice where Z has exactly one / exactly two elements. */
  single: Tensor;
  pair: Tensor;
  /** Whether any slice has an element in Z. */
  anyZeros: boolean;
}

/** Per slice: the pivot (element of smallest magnitude), the other exact zeros Z, and the size of Z. */
function pivots(x: Tensor, axis: number | null): Pivots {
  const d = x.data;
  const [outer, , inner] = axis === null ? [1, 0, 1] : around(x.shape, axis);
  const best = new Int32Array(outer * inner).fill(-1);
  eachSlot(x.shape, axis, x.size, (j, e) => {
    if (best[j] < 0 || Math.abs(d[e]) < Math.abs(d[best[j]])) best[j] = e;
  });
  const pivot = new Float64Array(x.size);
  for (const e of best) if (e >= 0) pivot[e] = 1;
  const zeros = d.map((v, e) => (v === 0 && pivot[e] === 0 ? 1 : 0));
  const inZ = new Float64Array(outer * inner);
  eachSlot(x.shape, axis, x.size, (j, e) => void (inZ[j] = inZ[j] + zeros[e]));
  const single = new Float64Array(x.size);
  const pair = new Float64Array(x.size);
  eachSlot(x.shape, axis, x.size, (j, e) => {
    single[e] = zeros[e] * (inZ[j] === 1 ? 1 : 0);
    pair[e] = zeros[e] * (inZ[j] === 2 ? 1 : 0);
  });
  const skip = d.map((_, e) => pivot[e] + zeros[e]);
  const t = (m: Float64Array) => new Tensor(m, x.shape);
  return { pivot: t(pivot), zeros: t(zeros), skip: t(skip), single: t(single), pair: t(pair), anyZeros: zeros.includes(1) };
}

/**
 * prod's slope, the product of the other elements of each slice, without
 * dividing by the smallest element (the pivot): P_pivot is the product of
 * the rest, and P_i = x_pivot * (that product / x_i) elsewhere. Dividing only
 * by elements at least as large as the pivot keeps the slope and its own
 * derivatives accurate near zeros (out / x would cancel catastrophically
 * there).
 *
 * Another exact zero i (in Z, the zeros besides the pivot) gets
 * P_i = x_pivot * R * prod(Z without i), R the product of the elements in
 * neither. prod(Z without i) is 0 in value, but its first derivative is not
 * when Z has two elements, and the Hessian is the slope's first derivative:
 * it is written as a function exact to first order in Z's elements (1 for
 * one element, the other element for two, 0 for more, where every first
 * derivative of it is 0 too). So Hessians are exact at any zeros; a third
 * derivative is not where a slice holds four or more exact zeros.
 */
const prodSlope: Slope = (A, x, _keptOut, p) => {
  const view = examplesAlong(x, p.axis);
  const raw = pivots(view.t, view.axis);
  const like = (t: Tensor) => wrapLike(x, new Tensor(t.data, primalShape(x)));
  const m = { pivot: like(raw.pivot), zeros: like(raw.zeros), skip: like(raw.skip), single: like(raw.single), pair: like(raw.pair), anyZeros: raw.anyZeros };
  const keep = p.axis !== null;
  const rest = A.prod(A.where(m.pivot, 1, x), p.axis, keep);
  const atPivot = A.sum(A.mul(m.pivot, x), p.axis, keep);
  const others = A.div(rest, A.where(m.skip, 1, x));
  if (!m.anyZeros) return A.where(m.pivot, rest, A.mul(atPivot, others));
  const neither = A.prod(A.where(m.skip, 1, x), p.axis, keep);
  const otherZero = A.sub(A.sum(A.mul(m.zeros, x), p.axis, keep), x);
  const restOfZ = A.where(m.single, 1, A.where(m.pair, otherZero, 0));
  const elsewhere = A.mul(atPivot, A.where(m.zeros, A.mul(neither, restOfZ), others));
  return A.where(m.pivot, rest, elsewhere);
};

/** norm's slope x / norm, 0 where the norm is 0. */
const normSlope: Slope = (A, x, keptOut) => {
  const k = keptOut();
  const kp = primal(k);
  const plainZero = typeof kp === "number" ? (kp === 0 ? 1 : 0) : new Tensor(kp.data.map((v) => (v === 0 ? 1 : 0)), kp.shape);
  const anyZero = typeof plainZero === "number" ? plainZero === 1 : plainZero.data.includes(1);
  const zero = wrapLike(k, plainZero);
  if (!anyZero) return A.div(x, k);
  return A.where(zero, 0, A.div(x, A.where(zero, 1, k)));
};

/**
 * logsumexp's slope, softmax(x) = e / sum(e) with e = exp(x - m). exp(x - lse)
 * would cancel catastrophically for large x; m, the slice max, is a constant
 * because softmax is shift-invariant, so the result stays differentiable.
 * On a plain Tensor (the first-order gradient) the kernel softmaxAlong
 * computes the same operations in three passes instead of five.
 */
function softmax(A: Algebra, x: Value, p: ReduceParams): Value {
  // A constant Tensor needs no differentiable formula: the fused kernel computes the same values.
  if (x instanceof Tensor) return softmaxAlong(x, p.axis);
  const view = examplesAlong(x, p.axis);
  const shift = reduceAlong(view.t, view.axis, "max").map((v) => (Number.isFinite(v) ? v : 0));
  const h = x instanceof Lifted ? x.hiddenAxes : 0;
  const kept = primalShape(x).map((d, i) => (i < h ? d : p.axis === null || i === p.axis + h ? 1 : d));
  const e = A.exp(A.sub(x, wrapLike(x, new Tensor(shift, kept))));
  return A.div(e, A.sum(e, p.axis, true));
}

function lseAlong(x: Tensor, axis: number | null): Float64Array {
  const shift = reduceAlong(x, axis, "max").map((v) => (Number.isFinite(v) ? v : 0));
  const s = new Float64Array(shift.length);
  const d = x.data;
  const [outer, n, inner] = axis === null ? [1, x.size, 1] : around(x.shape, axis);
  for (let o = 0; o < outer; o++) {
    if (inner === 1) {
      const m = shift[o];
      let acc = 0;
      for (let e = o * n; e < (o + 1) * n; e++) acc += Math.exp(d[e] - m);
      s[o] = acc;
      continue;
    }
    for (let k = 0; k < n; k++) {
      const row = (o * n + k) * inner;
      for (let i = 0; i < inner; i++) s[o * inner + i] += Math.exp(d[row + i] - shift[o * inner + i]);
    }
  }
  return s.map((v, j) => shift[j] + Math.log(v));
}

function normAlong(x: Tensor, axis: number | null): Float64Array {
  const d = x.data;
  const [outer, n, inner] = axis === null ? [1, x.size, 1] : around(x.shape, axis);
  const big = new Float64Array(outer * inner);
  const s = new Float64Array(outer * inner);
  for (let pass = 0; pass < 2; pass++) {
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < n; k++) {
        const row = (o * n + k) * inner;
        for (let i = 0; i < inner; i++) {
          const j = o * inner + i;
          const a = Math.abs(d[row + i]);
          if (pass === 0) {
            if (a > big[j] || a !== a) big[j] = a;
          } else {
            const r = a / big[j];
            s[j] += r * r;
          }
        }
      }
    }
  }
  // Scaling by the largest magnitude keeps squares from overflowing; 0 and Infinity need no scaling.
  return s.map((v, j) => (big[j] === 0 || big[j] === Infinity ? big[j] : big[j] * Math.sqrt(v)));
}

/** Sum of elements (over `axis`, or all). @example `sum(tensor([[1, 2], [3, 4]]), 0) // Tensor [4, 6]` */
export const sum = declare({
  name: "sum", compute: (x, axis) => reduceAlong(x, axis, "sum"), slope: () => 1, linear: true,
  notes: "gradient 1 for every element; NaN or Infinity in an element reaches the result (IEEE).",
});

/** Arithmetic mean (over `axis`, or all); NaN over no elements. @example `mean(tensor([1, 2, 3])) // 2` */
export const mean = declare({
  name: "mean", linear: true,
  compute: (x, axis) => {
    const n = axis === null ? x.size : x.shape[axis];
    return reduceAlong(x, axis, "sum").map((v) => v / n);
  },
  slope: (_A, x, _k, p) => 1 / count(x, p),
  notes: "gradient 1/n; the mean over no elements is NaN.",
});

/** Product of elements; d/dx_i is the product of the others (exact at zeros). @example `prod(tensor([2, 3, 4])) // 24` */
export const prod = declare({
  name: "prod", compute: (x, axis) => reduceAlong(x, axis, "prod"), slope: prodSlope,
  notes: "d/dx_i is the product of the other elements, exact at zeros (never divides by one); Hessians are exact at zeros too; a third derivative is not exact where a slice holds four or more exact zeros.",
});

/** Largest element (reduces; on a plain scalar returns it). Ties share the gradient evenly. @example `max(tensor([1, 3, 2])) // 3` */
export const max = declare({
  name: "max", compute: (x, axis) => reduceAlong(x, axis, "max"), needsElements: true,
  notes: "tied maxima share the gradient evenly; a NaN element makes the result NaN and the derivative NaN for every element of its slice; no elements is an error.",
  slope: (_A, x, keptOut, p) => tieWeights(x, keptOut(), p),
});

/** Smallest element (reduces; on a plain scalar returns it). Ties share the gradient evenly. @example `min(tensor([1, 3, 2])) // 1` */
export const min = declare({
  name: "min", compute: (x, axis) => reduceAlong(x, axis, "min"), needsElements: true,
  notes: "tied minima share the gradient evenly; a NaN element makes the result NaN and the derivative NaN for every element of its slice; no elements is an error.",
  slope: (_A, x, keptOut, p) => tieWeights(x, keptOut(), p),
});

/** log(sum(exp(x))), max-shifted so it never overflows; its derivative is softmax(x). @example `logsumexp(tensor([0, 0])) // ln 2` */
export const logsumexp = declare({
  name: "logsumexp", compute: lseAlong,
  notes: "max-shifted, so it never overflows; derivative softmax(x); all elements -Infinity gives -Infinity.",
  slope: (A, x, _keptOut, p) => softmax(A, x, p),
});

/** Euclidean 2-norm; derivative x / norm, taken as 0 at the zero vector. @example `norm(tensor([3, 4])) // 5` */
export const norm = declare({
  name: "norm", compute: normAlong, slope: normSlope,
  notes: "2-norm, scaled so it neither overflows nor underflows; derivative x / norm, taken as 0 at the zero vector.",
});
