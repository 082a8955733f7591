import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  matmul, dot, outer, transpose, sum, mul, sin, tensor, randn, variable, grad, jvp, vjp, jacfwd, jacrev, hessian, gradients,
  findOp, Tensor, Var, ShapeError, TypeMismatchError, PerturbationError, type Value,
} from "../../lib/index.ts";
import { G } from "../../lib/registry/op.ts";
import { throwsKind } from "../support/errors.ts";
import { near } from "../support/close.ts";
import { modesAgree } from "../support/agree.ts";

/** Plain nested-loop product of row-major matrices, the reference for matmul. */
function naive(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
}
const T2 = (m: number[][]) => m[0]!.map((_, j) => m.map((r) => r[j]!));

const A = [[1, 2, 3], [4, 5, 6]];
const B = [[1, -1], [0, 2], [3, 1]];

test("matmul (n,k)x(k,m) matches the hand product", () => {
  near(matmul(tensor(A), tensor(B)), naive(A, B).flat());
  assert.equal((matmul(tensor(A), tensor(B)) as Tensor).shape, [2, 2]);
});

test("matmul with 1-D operands: (k)x(k,m) -> (m), (n,k)x(k) -> (n), (k)x(k) -> number", () => {
  near(matmul(tensor([1, 1]), tensor(A)), [5, 7, 9]);
  near(matmul(tensor(A), tensor([1, 0, -1])), [-2, -2]);
  assert.is(matmul(tensor([1, 2]), tensor([3, 4])), 11);
});

test("matmul batches over leading axes and broadcasts them", () => {
  const a = randn([2, 1, 2, 3], { seed: 1 });
  const b = randn([4, 3, 2], { seed: 2 });
  const c = matmul(a, b) as Tensor;
  assert.equal(c.shape, [2, 4, 2, 2]);
  const rows = (t: Tensor, off: number, r: number, k: number) => Array.from({ length: r }, (_, i) => Array.from(t.data.subarray(off + i * k, off + (i + 1) * k)));
  near(Array.from(c.data.subarray(((1 * 4 + 3) * 4), ((1 * 4 + 3) * 4) + 4)), naive(rows(a, 6, 2, 3), rows(b, 18, 3, 2)).flat());
});

test("vjp of matmul: the cotangents are g B^T and A^T g", () => {
  const g = [[1, 2], [-1, 0.5]];
  const { pullback } = vjp((a) => matmul(a, tensor(B)), tensor(A));
  near(pullback(tensor(g)), naive(g, T2(B)).flat());
  const pb = vjp((b) => matmul(tensor(A), b), tensor(B)).pullback;
  near(pb(tensor(g)), naive(T2(A), g).flat());
});

test("grad of sum(matmul(a, b)) with respect to both operands (reverse imperative)", () => {
  const a = variable(tensor(A));
  const b = variable(tensor(B));
  sum(matmul(a, b)).backward();
  const ones = [[1, 1], [1, 1]];
  near(a.grad, naive(ones, T2(B)).flat());
  near(b.grad, naive(T2(A), ones).flat());
});

test("jvp of matmul is ta b + a tb (bilinear)", () => {
  const ta = [[1, 0, 0], [0, 0, 1]];
  const out = jvp((a) => matmul(a, a.reshape([3, 2])), tensor(A), tensor(ta));
  const a2 = [[1, 2], [3, 4], [5, 6]];
  const ta2 = [[1, 0], [0, 0], [0, 1]];
  const want = naive(ta, a2).flat().map((v, i) => v + naive(A, ta2).flat()[i]!);
  near(out.tangent, want);
});

test("jacfwd == jacrev == central differences for matmul in every operand layout", () => {
  const b = randn([3, 2], { seed: 5 });
  const v = randn([3], { seed: 6 });
  const m = randn([2, 3], { seed: 7 });
  modesAgree((x) => matmul(x, b), randn([2, 3], { seed: 8 }));
  modesAgree((x) => matmul(m, x), randn([3, 2], { seed: 9 }));
  modesAgree((x) => matmul(x, b), v);
  modesAgree((x) => matmul(m, x), v);
  modesAgree((x) => matmul(x, sin(x)), v);
  modesAgree((x) => matmul(x, transpose(x)), randn([2, 3], { seed: 10 }));
  modesAgree((x) => matmul(x, b), randn([2, 2, 3], { seed: 11 }));
  modesAgree((x) => matmul(randn([2, 1, 2, 3], { seed: 12 }), x), randn([2, 3, 2], { seed: 13 }));
  modesAgree((x) => matmul(x, randn([2, 3, 2], { seed: 14 })), v);
});

test("hessian(x => dot(x, matmul(M, x)))(x) equals M + M^T", () => {
  const M = [[2, 1, 0], [0, 3, -1], [4, 0, 1]];
  const h = hessian((x) => dot(x, matmul(tensor(M), x)))(tensor([0.5, -1, 2]));
  near(h, M.flatMap((row, i) => row.map((v, j) => v + M[j]![i]!)));
});

test("second derivatives by reverse over reverse through matmul: d/dx sum(g) for g = grad sum((Mx)²)", () => {
  const M = tensor([[1, 2], [3, 4]]);
  const x = variable(tensor([1, -1]));
  const y = matmul(M, x);
  const [g] = gradients(sum(mul(y, y)), [x], { createGraph: true });
  // g = 2 M^T M x, so d sum(g)/dx = 2 M^T M 1.
  near(g, [2 * (1 * -1 + 3 * -1), 2 * (2 * -1 + 4 * -1)]);
  near(gradients(sum(g as Var), [x])[0], [2 * (10 + 14), 2 * (14 + 20)]);
});

test("matmul reports mismatched shapes, naming both", () => {
  throwsKind(() => matmul(tensor(A), tensor(A)), ShapeError, "matmul", /shapes \[2, 3\] and \[2, 3\] do not fit: inner extents 3 and 2 differ/);
  throwsKind(() => matmul(2, tensor(A)), ShapeError, "matmul", /shapes \[\] and \[2, 3\] include a scalar/);
  throwsKind(() => matmul(randn([2, 2, 3], { seed: 1 }), randn([3, 3, 2], { seed: 1 })), ShapeError, "matmul", /batch axes that do not broadcast/);
  throwsKind(() => matmul([1, 2] as never, tensor(A)), TypeMismatchError, "matmul", /got array\(2\); wrap arrays with tensor/);
});

test("dot of vectors is a number; its gradients are the other vector", () => {
  assert.is(dot(tensor([1, 2, 3]), tensor([4, 5, 6])), 32);
  near(grad((x) => dot(x, tensor([4, 5, 6])))(tensor([1, 2, 3])), [4, 5, 6]);
  near(grad((x) => mul(2, dot(x, x)))(tensor([1, -2])), [4, -8]);
  near(jvp((x) => dot(x, x), tensor([1, 2]), tensor([1, 1])).tangent, [6]);
  modesAgree((x) => dot(sin(x), x), tensor([0.3, -1, 2]));
});

test("dot with a scalar operand multiplies (NumPy)", () => {
  near(dot(2, tensor([1, 2])), [2, 4]);
  assert.is(dot(3, 4), 12);
});

test("dot rejects matrices and vectors of different lengths", () => {
  throwsKind(() => dot(tensor([1, 2]), tensor([1, 2, 3])), ShapeError, "dot", /shapes \[2\] and \[3\].*pass vectors of equal length/);
  throwsKind(() => dot(tensor(A), tensor(A)), ShapeError, "dot", /use matmul for matrices/);
});

test("outer(a, b)[i][j] = a_i b_j; its cotangents are g b and a^T g", () => {
  near(outer(tensor([1, 2]), tensor([3, 4, 5])), [3, 4, 5, 6, 8, 10]);
  const g = [[1, 0, 2], [0, 1, 0]];
  near(vjp((a) => outer(a, tensor([3, 4, 5])), tensor([1, 2])).pullback(tensor(g)), [3 + 10, 4]);
  near(vjp((b) => outer(tensor([1, 2]), b), tensor([3, 4, 5])).pullback(tensor(g)), [1, 2, 2]);
  modesAgree((x) => outer(x, sin(x)), tensor([0.2, -0.7]));
  throwsKind(() => outer(tensor(A), tensor([1])), ShapeError, "outer", /shapes \[2, 3\] and \[1\] are not two 1-D vectors/);
});

test("transpose reverses axes by default and applies a permutation", () => {
  near(transpose(tensor(A)), T2(A).flat());
  const t = randn([2, 3, 4], { seed: 3 });
  const p = transpose(t, [1, 2, 0]) as Tensor;
  assert.equal(p.shape, [3, 4, 2]);
  assert.is(p.data[(2 * 4 + 1) * 2 + 1], t.data[(1 * 3 + 2) * 4 + 1]);
  assert.equal((transpose(t) as Tensor).shape, [4, 3, 2]);
  const v = tensor([1, 2]);
  assert.is(transpose(v), v);
  assert.is(transpose(5), 5);
});

test("transpose's transpose is the inverse permutation: jacfwd == jacrev == differences", () => {
  modesAgree((x) => transpose(x, [2, 0, 1]), randn([2, 3, 2], { seed: 4 }));
  near(vjp((x) => transpose(x), tensor(A)).pullback(tensor(B)), T2(B).flat());
});

test("transpose rejects something that is not a permutation of the axes", () => {
  throwsKind(() => transpose(tensor(A), [0, 0]), ShapeError, "transpose", /\[0, 0\] is not a permutation of the 2 axes/);
  throwsKind(() => transpose(tensor(A), [0]), ShapeError, "transpose", /permutation of the 2 axes/);
  throwsKind(() => transpose(tensor(A), "01" as never), TypeMismatchError, "transpose", /string "01" is not a permutation/);
});

test("matmul's transpose skips the cotangent of an operand marked not needed", () => {
  const spec = findOp("matmul")!.structural!;
  const a = tensor(A);
  const b = tensor(B);
  const g = tensor([[1, 2], [-1, 0.5]]);
  const p = { a2: [2, 3], b2: [3, 2], batch: [], out: [2, 2] };
  const [ga, gb] = spec.vjp(G, [a, b], matmul(a, b), g, p, [true, false]);
  near(ga!, naive([[1, 2], [-1, 0.5]], T2(B)).flat());
  assert.is(gb, null);
  const [ca, cb] = findOp("dot")!.structural!.vjp(G, [tensor([1, 2]), tensor([3, 4])], 11, 2, undefined, [false, true]);
  assert.is(ca, null);
  near(cb!, [2, 4]);
});

test("a multi-lane tangent reaching matmul's rule throws PerturbationError", () => {
  const lanes = new Float64Array([1, 0]) as unknown as Value;
  const p = { a2: [1, 2], b2: [2, 1], batch: [], out: [] };
  throwsKind(() => findOp("matmul")!.structural!.jvp(G, [tensor([1, 2]), tensor([1, 1])], 3, [lanes, null], p), PerturbationError, "matmul", /multi-lane/);
});

test.run();
