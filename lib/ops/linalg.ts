/**
 * Linear algebra: matmul, dot and outer are declared as bilinear (their
 * product and its two transposes give both rules); transpose is linear, its
 * own transpose being the inverse permutation. All rules use the algebra's
 * ops, so Hessians through them work.
 */
import { G, type Algebra, type OpFunction } from "../registry/op.ts";
import type { Value } from "../registry/lifted.ts";
import { Tensor, allocate } from "../tensor/tensor.ts";
import { fail, describe, ShapeError, TypeMismatchError } from "../errors.ts";
import { matmulKernel, permute } from "../tensor/kernels.ts";
import { valueShape, asTensor, result, fmt, type ProductFn, type TensorFn } from "./tensor-rules.ts";
import { bilinear } from "./bilinear.ts";
import { linear } from "./linear.ts";
import { batchMatmul, batchDot, batchOuter, batchTranspose } from "./batch-rules.ts";

interface MatmulPlan {
  /** Operand shapes with 1-D operands promoted: a to [1, k], b to [k, 1]. */
  a2: number[];
  b2: number[];
  batch: number[];
  out: number[];
}

function batchOf(a: readonly number[], b: readonly number[]): number[] | null {
  const r = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1;
    const y = b[b.length - r + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

function plan(as: readonly number[], bs: readonly number[]): MatmulPlan {
  const bad = (why: string, fix: string) => fail("matmul", `shapes ${fmt(as)} and ${fmt(bs)} ${why}`, fix, ShapeError);
  if (as.length === 0 || bs.length === 0) bad("include a scalar", "use mul to scale by a scalar");
  const a2 = as.length === 1 ? [1, as[0]] : as.slice();
  const b2 = bs.length === 1 ? [bs[0], 1] : bs.slice();
  const k = a2[a2.length - 1];
  if (k !== b2[b2.length - 2]) bad(`do not fit: inner extents ${k} and ${b2[b2.length - 2]} differ`, "make a's last extent equal b's first (or second-to-last) extent");
  const batch = batchOf(a2.slice(0, -2), b2.slice(0, -2));
  if (batch === null) bad("have batch axes that do not broadcast", "make the leading extents equal or 1");
  const out = [...batch!, ...(as.length === 1 ? [] : [a2[a2.length - 2]]), ...(bs.length === 1 ? [] : [b2[b2.length - 1]])];
  return { a2, b2, batch: batch!, out };
}

function swapLast(rank: number): number[] {
  const p = Array.from({ length: rank }, (_, i) => i);
  [p[rank - 2], p[rank - 1]] = [p[rank - 1], p[rank - 2]];
  return p;
}

/** matmul's transpose for batched operands: promote 1-D operands, multiply, sum broadcast batch axes away. */
function batchedTranspose(A: Algebra, g: Value, a: Value, b: Value, p: MatmulPlan, side: 0 | 1): Value {
  const { a2, b2, batch } = p;
  const gp = A.reshape(g, [...batch, a2[a2.length - 2], b2[b2.length - 1]]);
  if (side === 0) return A.reshape(A.sumToShape(A.matmul(gp, A.transpose(A.reshape(b, b2), swapLast(b2.length))), a2), valueShape("matmul", a));
  return A.reshape(A.sumToShape(A.matmul(A.transpose(A.reshape(a, a2), swapLast(a2.length)), gp), b2), valueShape("matmul", b));
}

/** The transpose of matmul in operand `side` (0 = a, 1 = b), applied to the output's cotangent g. */
function matmulTranspose(side: 0 | 1) {
  return (A: Algebra, g: Value, a: Value, b: Value, p: MatmulPlan): Value => {
    const ra = valueShape("matmul", a).length;
    const rb = valueShape("matmul", b).length;
    if (ra > 2 || rb > 2) return batchedTranspose(A, g, a, b, p, side);
    if (ra === 1 && rb === 1) return A.mul(g, side === 0 ? b : a);
    if (ra === 1) return side === 0 ? A.matmul(b, g) : A.outer(a, g);
    if (rb === 1) return side === 0 ? A.outer(g, b) : A.matmul(g, a);
    return side === 0 ? A.matmul(g, A.transpose(b)) : A.matmul(A.transpose(a), g);
  };
}

/**
 * Matrix product with NumPy's rules: (n,k)x(k,m), (k)x(k,m), (n,k)x(k),
 * (k)x(k) (a number), and batched (...,n,k)x(...,k,m) with broadcast batch axes.
 *
 * @example `matmul(tensor([[1, 2], [3, 4]]), tensor([1, 1])) // Tensor [3, 7]`
 */
export const matmul: OpFunction<ProductFn<number | Tensor>> = bilinear<MatmulPlan, ProductFn<number | Tensor>>({
  name: "matmul",
  batch: batchMatmul,
  notes: "NumPy matmul: 1-D operands are promoted and leading batch axes broadcast; bilinear, so exact; NaN and Infinity propagate (IEEE).",
  compute: (a, b, p) => {
    const ta = asTensor(a);
    const tb = asTensor(b);
    const r = matmulKernel(new Tensor(ta.data, p.a2), new Tensor(tb.data, p.b2), p.batch);
    return result(r.data, p.out);
  },
  product: (A, a, b) => A.matmul(a, b),
  left: matmulTranspose(0),
  right: matmulTranspose(1),
}, (run) => (a, b) => run([a, b], plan(valueShape("matmul", a), valueShape("matmul", b))) as never);

/**
 * Inner product of two 1-D vectors (a number); with a scalar operand it is
 * plain multiplication, as in NumPy.
 *
 * @example `dot(tensor([1, 2]), tensor([3, 4])) // 11`
 */
export const dot: OpFunction<ProductFn<number | Tensor>> = bilinear<undefined, ProductFn<number | Tensor>>({
  name: "dot",
  batch: batchDot,
  notes: "inner product of 1-D vectors (or a product of scalars); bilinear; NaN and Infinity propagate (IEEE).",
  compute: (a, b) => {
    const x = (a as Tensor).data;
    const y = (b as Tensor).data;
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i] * y[i];
    return s;
  },
  product: (A, a, b) => A.dot(a, b),
  left: (A, g, _a, b) => A.mul(g, b),
  right: (A, g, a) => A.mul(g, a),
}, (run) => (a, b) => {
  const as = valueShape("dot", a);
  const bs = valueShape("dot", b);
  if (as.length === 0 || bs.length === 0) return G.mul(a, b) as never;
  if (as.length !== 1 || bs.length !== 1 || as[0] !== bs[0]) {
    fail("dot", `shapes ${fmt(as)} and ${fmt(bs)} are not two 1-D vectors of one length`,
      as.length === 1 && bs.length === 1 ? "pass vectors of equal length" : "use matmul for matrices", ShapeError);
  }
  return run([a, b], undefined) as never;
});

/** Outer product of two 1-D vectors: out[i][j] = a[i] b[j]. @example `outer(tensor([1, 2]), tensor([3, 4, 5])).shape // [2, 3]` */
export const outer: OpFunction<ProductFn<Tensor>> = bilinear<undefined, ProductFn<Tensor>>({
  name: "outer",
  batch: batchOuter,
  notes: "outer product of two 1-D vectors; bilinear; NaN and Infinity propagate (IEEE).",
  compute: (a, b) => {
    const x = (a as Tensor).data;
    const y = (b as Tensor).data;
    const out = allocate("outer", x.length * y.length);
    for (let i = 0; i < x.length; i++) {
      const xi = x[i];
      const row = i * y.length;
      for (let j = 0; j < y.length; j++) out[row + j] = xi * y[j];
    }
    return new Tensor(out, [x.length, y.length]);
  },
  product: (A, a, b) => A.outer(a, b),
  left: (A, g, _a, b) => A.matmul(g, b),
  right: (A, g, a) => A.matmul(a, g),
}, (run) => (a, b) => {
  const as = valueShape("outer", a);
  const bs = valueShape("outer", b);
  if (as.length !== 1 || bs.length !== 1) {
    fail("outer", `shapes ${fmt(as)} and ${fmt(bs)} are not two 1-D vectors`, "reshape the operands to 1-D first (reshape(x, [-1]))", ShapeError);
  }
  return run([a, b], undefined) as never;
});

function inversePermutation(perm: readonly number[]): number[] {
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, k) => (inverse[p] = k));
  return inverse;
}

function checkPerm(perm: unknown, rank: number): number[] {
  const ok = Array.isArray(perm) && perm.length === rank && perm.every((p) => Number.isInteger(p) && p >= 0 && p < rank)
    && new Set(perm).size === rank;
  if (!ok) {
    fail("transpose", `${describe(perm)} ${Array.isArray(perm) ? `[${perm.join(", ")}] ` : ""}is not a permutation of the ${rank} axes`,
      `pass each of 0..${rank - 1} once, or omit it to reverse the axes`, Array.isArray(perm) ? ShapeError : TypeMismatchError);
  }
  return (perm as number[]).slice();
}

/**
 * Permutes axes: output axis k is input axis perm[k]; by default the axes
 * are reversed (a matrix transpose). Scalars and 1-D tensors come back as they are.
 *
 * @example `transpose(tensor([[1, 2, 3]])).shape // [3, 1]`
 */
export const transpose: OpFunction<TensorFn<[perm?: readonly number[]], number | Tensor>> = linear<number[], TensorFn<[perm?: readonly number[]], number | Tensor>>({
  name: "transpose",
  batch: batchTranspose,
  notes: "permutes axes (reverses them by default); linear, so its gradient permutes back.",
  compute: (x, perm) => permute(x as Tensor, perm),
  map: (A, x, perm) => A.transpose(x, perm),
  transpose: (A, g, _x, perm) => A.transpose(g, inversePermutation(perm)),
}, (run) => (x, perm) => {
  const rank = valueShape("transpose", x).length;
  const p = perm === undefined ? Array.from({ length: rank }, (_, i) => rank - 1 - i) : checkPerm(perm, rank);
  return (p.every((v, i) => v === i) ? x : run([x], p)) as never;
});
