import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  sum, mean, prod, max, min, logsumexp, norm, mul, sin, tensor, zeros, dual, grad, vmap, jvp, jacfwd, jacrev, hessian, derivative,
  findOp, Tensor, ShapeError, TypeMismatchError, PerturbationError, type Lifted, type Value,
} from "../../lib/index.ts";
import { G } from "../../lib/registry/op.ts";
import { throwsKind } from "../support/errors.ts";
import { close, near } from "../support/close.ts";
import { flat } from "../support/tensors.ts";
import { modesAgree } from "../support/agree.ts";

const x23 = tensor([[1, -2, 3], [0.5, 4, -1]]);

test("sum over all axes is a number; over an axis drops it; keepdims keeps it", () => {
  assert.is(sum(x23), 5.5);
  near(sum(x23, 0), [1.5, 2, 2]);
  near(sum(x23, -1), [2, 3.5]);
  const k = sum(x23, 1, true) as Tensor;
  assert.equal(k.shape, [2, 1]);
  assert.equal((sum(x23, null, true) as Tensor).shape, [1, 1]);
});

test("grad(f)(x) equals 2x for f = sum(x * x)", () => {
  near(grad((x) => sum(mul(x, x)))(x23), flat(x23).map((v) => 2 * v));
});

test("jvp(sum(x, 1), x, v) equals sum(v, 1)", () => {
  const v = tensor([[1, 2, 3], [4, 5, 6]]);
  near(jvp((x) => sum(x, 1), x23, v).tangent, [6, 15]);
});

test("a tangent given as the number 1 for a Tensor counts every element: sum(dual(t)) has tangent size", () => {
  assert.is(sum(dual(zeros([2, 3]))).tangent, 6);
});

test("sum, mean, max and logsumexp of a plain number return it; norm returns |x|", () => {
  for (const r of [sum, mean, prod, max, min, logsumexp]) assert.is(r(-3), -3);
  assert.is(norm(-3), 3);
  assert.is(derivative((x) => norm(x))(-2), -1);
});

test("sum of a JS array of scalars adds them, and derivative sees each term: d/dt sum([t, t²]) = 1 + 2t", () => {
  assert.is(sum([1, 2, 3]), 6);
  assert.is(derivative((t) => sum([t, mul(t, t)]))(3), 7);
  assert.is(mean([1, 2, 6]), 3);
  assert.is(prod([2, 3, 4]), 24);
  assert.equal(grad((xs: Lifted[]) => prod(xs))([2, 3, 4]), [12, 8, 6]);
});

test("mean's gradient is 1/n (1/extent along an axis)", () => {
  assert.is(mean(x23), 5.5 / 6);
  near(mean(x23, 0), [0.75, 1, 1]);
  near(grad((x) => mean(x))(x23), new Array(6).fill(1 / 6));
  near(grad((x) => sum(mul(mean(x, 1), tensor([1, 2]))))(x23), [1 / 3, 1 / 3, 1 / 3, 2 / 3, 2 / 3, 2 / 3]);
});

test("prod's gradient is the product of the other elements, also at zeros", () => {
  assert.is(prod(tensor([2, 3, 4])), 24);
  near(grad((x) => prod(x))(tensor([2, 3, 4])), [12, 8, 6]);
  near(grad((x) => prod(x))(tensor([2, 0, 4])), [0, 8, 0]);
  near(grad((x) => prod(x))(tensor([0, 3, 0])), [0, 0, 0]);
  near(prod(tensor([[1, 2], [3, 4]]), 0), [3, 8]);
  near(grad((x) => sum(prod(x, 1)))(tensor([[1, 2], [0, 4]])), [2, 1, 4, 0]);
});

test("hessian(prod)(x) has entries prod of the others, also with one zero", () => {
  // d²/dx_i dx_j prod(x) = product of x_k for k not in {i, j}.
  const h = (x: number[]) => x.map((_, i) => x.map((_, j) => (i === j ? 0 : x.filter((_, k) => k !== i && k !== j).reduce((p, v) => p * v, 1))));
  near(hessian((x) => prod(x))(tensor([2, 3, 4])), h([2, 3, 4]).flat());
  near(hessian((x) => prod(x))(tensor([2, 0, 4])), h([2, 0, 4]).flat());
});

test("hessian(prod)(x) stays accurate when an element is tiny but not zero (no division by it)", () => {
  // Off-diagonal entries are products of the third element; the diagonal is exactly 0.
  const x = [2, 3e-17, 3];
  const H = hessian((t) => prod(t))(tensor(x)) as Tensor;
  near(H, [0, 3, 3e-17, 3, 0, 2, 3e-17, 2, 0], 1e-14);
});

test("max and min reduce; the gradient goes to the extreme element", () => {
  assert.is(max(x23), 4);
  assert.is(min(x23), -2);
  near(max(x23, 0), [1, 4, 3]);
  near(min(x23, 1), [-2, -1]);
  near(grad((x) => max(x))(x23), [0, 0, 0, 0, 1, 0]);
  near(grad((x) => sum(min(x, 0)))(x23), [0, 1, 0, 1, 0, 1]);
});

test("max splits the gradient evenly between tied elements (1/2 each, 1/3 each)", () => {
  near(grad((x) => max(x))(tensor([1, 3, 3])), [0, 0.5, 0.5]);
  near(grad((x) => min(x))(tensor([2, 2, 2])), [1 / 3, 1 / 3, 1 / 3]);
  assert.equal(grad((xs: Lifted[]) => max(xs))([5, 1, 5]), [0.5, 0, 0.5]);
  near(jvp((x) => max(x), tensor([1, 3, 3]), tensor([0, 2, 4])).tangent, [3]);
});

test("max of an empty tensor or array throws ShapeError", () => {
  throwsKind(() => max(zeros([0])), ShapeError, "max", /has no elements/);
  throwsKind(() => min(zeros([2, 0]), 1), ShapeError, "min", /axis 1 of shape \[2, 0\] has no elements/);
  throwsKind(() => max([]), ShapeError, "max", /array is empty/);
  assert.equal((max(zeros([0, 2]), 1) as Tensor).shape, [0]);
});

test("logsumexp is max-shifted (no overflow at 1000) and its gradient is softmax", () => {
  const x = tensor([1000, 1000 + Math.log(3)]);
  near(logsumexp(x), [1000 + Math.log(4)]);
  // Rounding 1000 + ln 3 (half an ulp of 1000 is 5.7e-14) and shifting by the max leave the
  // softmax ~4e-14 from 0.75, too near the default 1e-13 for a robust bar.
  near(grad((t) => logsumexp(t))(x), [0.25, 0.75], 1e-12);
  const y = tensor([0.5, -1, 2]);
  const e = flat(y).map(Math.exp);
  const z = e.reduce((a, b) => a + b, 0);
  near(logsumexp(y), [Math.log(z)]);
  near(grad((t) => logsumexp(t))(y), e.map((v) => v / z));
  assert.is(logsumexp(tensor([-Infinity, -Infinity])), -Infinity);
  near(logsumexp([0, Math.log(3)]), [Math.log(4)]);
});

test("hessian(logsumexp)(x) equals diag(s) - s s^T for s = softmax(x)", () => {
  const x = [0.3, -0.2, 1.1];
  const e = x.map(Math.exp);
  const z = e.reduce((a, b) => a + b, 0);
  const s = e.map((v) => v / z);
  near(hessian((t) => logsumexp(t))(tensor(x)), s.flatMap((si, i) => s.map((sj, j) => (i === j ? si : 0) - si * sj)));
});

test("logsumexp along an axis softmaxes each row", () => {
  const x = tensor([[0, Math.log(3)], [Math.log(2), Math.log(2)]]);
  near(logsumexp(x, 1), [Math.log(4), Math.log(4)]);
  near(grad((t) => sum(logsumexp(t, 1)))(x), [0.25, 0.75, 0.5, 0.5]);
});

test("norm is the 2-norm without overflow; its gradient is x / norm and 0 at the zero vector", () => {
  assert.is(norm(tensor([3, 4])), 5);
  near(norm(tensor([3e200, 4e200])), [5e200]);
  near(grad((x) => norm(x))(tensor([3, 4])), [0.6, 0.8]);
  near(grad((x) => norm(x))(zeros([3])), [0, 0, 0]);
  near(norm(tensor([[3, 0], [4, 0]]), 0), [5, 0]);
  near(grad((x) => sum(norm(x, 0)))(tensor([[3, 0], [4, 0]])), [0.6, 0, 0.8, 0]);
  assert.equal(grad((xs: Lifted[]) => norm(xs))([0, 0]), [0, 0]);
  near(grad((xs: Lifted[]) => norm(xs))([3, 4]), [0.6, 0.8]);
});

test("hessian(norm)(x) equals (I - x x^T / |x|²) / |x|", () => {
  const x = [1, 2, 2];
  near(hessian((t) => norm(t))(tensor(x)), x.flatMap((a, i) => x.map((b, j) => ((i === j ? 1 : 0) - (a * b) / 9) / 3)));
});

test("hessian(x => sum(x * x * x))(x) is diag(6x) on a Tensor input", () => {
  near(hessian((x) => sum(mul(mul(x, x), x)))(tensor([1, -2])), [6, 0, 0, -12]);
});

test("jacfwd == jacrev == central differences for every reduction, with and without an axis", () => {
  const x = tensor([[0.3, -1.2, 0.7], [1.5, 0.1, -0.4]]);
  for (const r of [sum, mean, prod, max, min, logsumexp, norm]) {
    modesAgree((t) => r(sin(t)), x);
    modesAgree((t) => r(t, 0), x);
    modesAgree((t) => r(t, -1, true), x);
  }
});

test("reductions on an array agree with the same reduction on a Tensor", () => {
  const xs = [0.5, -1, 2, 2];
  for (const r of [sum, mean, prod, max, min, logsumexp, norm]) {
    near(r(xs), flat(r(tensor(xs))));
    near(grad((v: Lifted[]) => r(v))(xs), flat(grad((t) => r(t))(tensor(xs))));
  }
});

test("reductions reject bad axes and keepdims", () => {
  throwsKind(() => sum(x23, 2), ShapeError, "sum", /axis 2 is out of range for a value of rank 2/);
  throwsKind(() => mean(x23, -3), ShapeError, "mean", /axis -3 is out of range/);
  throwsKind(() => max(x23, 0.5), TypeMismatchError, "max", /axis number 0.5 is not an integer/);
  throwsKind(() => sum(3, 0), ShapeError, "sum", /rank 0; scalars have no axes/);
  throwsKind(() => norm(x23, 0, "yes" as never), TypeMismatchError, "norm", /keepdims string "yes" is not a boolean/);
});

test("reductions reject bad operands and arrays they cannot reduce", () => {
  throwsKind(() => sum("x" as never), TypeMismatchError, "sum", /expected a number, Tensor, Dual or Var, got string/);
  throwsKind(() => sum([1, tensor([2])] as never), TypeMismatchError, "sum", /element 1 of the array is Tensor\[1\], not a scalar/);
  throwsKind(() => sum([1, 2], 1), ShapeError, "sum", /axis number 1 is out of range for an array/);
  throwsKind(() => prod([1, 2], 0, true), TypeMismatchError, "prod", /keepdims is not available for JS arrays/);
});

test("a multi-lane tangent reaching a tensor reduction's rule throws PerturbationError", () => {
  const x = tensor([1, 2]);
  const lanes = new Float64Array([1, 0]) as unknown as Value;
  throwsKind(() => findOp("sum")!.structural!.jvp(G, [x], 3, [lanes], { axis: null, keepdims: false }), PerturbationError, "sum", /multi-lane tangent/);
});


test("norm of an array equals the exact unscaled 2-norm in the normal range: norm([3, 4]) = 5, norm([1, 2, 2]) = 3", () => {
  assert.is(norm([3, 4]), 5);
  assert.is(norm([1, 2, 2]), 3);
  assert.is(norm([-3e-200, 0, 4e-200]) / 5e-200, 1);
});

test("hessian(norm)([3e200, 4e200]) times |x| equals I - x x^T / |x|² (no overflow in the second derivative)", () => {
  const H = hessian((xs: Lifted[]) => norm(xs))([3e200, 4e200]) as number[][];
  const u = [0.6, 0.8];
  near(H.flat().map((h) => h * 5e200), u.flatMap((a, i) => u.map((b, j) => (i === j ? 1 : 0) - a * b)));
});

test("hessian(logsumexp)(tensor([1e15, 1e15])) equals diag(s) - s s^T = [[1/4, -1/4], [-1/4, 1/4]] for s = [1/2, 1/2]", () => {
  near(hessian((t) => logsumexp(t))(tensor([1e15, 1e15])), [0.25, -0.25, -0.25, 0.25]);
});

test("norm([3e200, 4e200]) equals 5e200 like norm(tensor([3e200, 4e200]))", () => {
  close(norm(tensor([3e200, 4e200])) as number, 5e200);
  close(norm([3e200, 4e200]), 5e200);
});

test("grad(norm)([3e200, 4e200]) equals [0.6, 0.8] (x / |x|)", () => {
  const g = grad((x: Lifted[]) => norm(x))([3e200, 4e200]);
  close(g[0]!, 0.6);
  close(g[1]!, 0.8);
});

test("norm([3e-200, 4e-200]) equals 5e-200 and its gradient is [0.6, 0.8]", () => {
  close(norm([3e-200, 4e-200]) / 5e-200, 1);
  const g = grad((x: Lifted[]) => norm(x))([3e-200, 4e-200]);
  close(g[0]!, 0.6);
  close(g[1]!, 0.8);
});

test("grad(logsumexp)(tensor([1e15, 1e15])) equals softmax = [0.5, 0.5]", () => {
  const g = grad((t: Lifted) => logsumexp(t))(tensor([1e15, 1e15])) as Tensor;
  close(g.data[0]!, 0.5);
  close(g.data[1]!, 0.5);
});

test("grad(logsumexp)(tensor([1e8, 1e8, 1e8])) equals [1/3, 1/3, 1/3] as grad(logsumexp) of the number[] does", () => {
  const want = grad((x: Lifted[]) => logsumexp(x))([1e8, 1e8, 1e8]);
  want.forEach((w) => close(w, 1 / 3));
  const g = grad((t: Lifted) => logsumexp(t))(tensor([1e8, 1e8, 1e8])) as Tensor;
  for (const v of g.data) close(v, 1 / 3);
});

test("jacfwd(logsumexp along axis 1)(tensor([[1e12, 1e12]])) rows sum to 1 (softmax)", () => {
  const J = jacfwd((t: Lifted) => logsumexp(t, 1))(tensor([[1e12, 1e12]])) as Tensor;
  assert.equal(J.shape, [1, 1, 2]);
  close(J.data[0]! + J.data[1]!, 1);
  close(J.data[0]!, 0.5);
});

test("max and min of a slice holding NaN: NaN value and NaN derivative for every element, in both modes", () => {
  for (const r of [max, min]) {
    const g = grad((x: Lifted) => r(x) as Value)(tensor([NaN, 1, 2])) as Tensor;
    assert.ok(Array.from(g.data).every((d) => Number.isNaN(d)), `grad ${String(g)}`);
    const j = jacfwd((x: Lifted) => r(x) as Value)(tensor([1, NaN, 2])) as Tensor;
    assert.ok(Array.from(j.data).every((d) => Number.isNaN(d)), `jacfwd ${String(j)}`);
    // Along an axis only the NaN slice is NaN; the other slice keeps its routed gradient.
    const rows = grad((x: Lifted) => sum(r(x, 1) as Value))(tensor([[NaN, 1], [3, 4]])) as Tensor;
    assert.ok(Number.isNaN(rows.data[0]!) && Number.isNaN(rows.data[1]!));
    assert.equal(Array.from(rows.data.slice(2)), r === max ? [0, 1] : [1, 0]);
  }
});

test("max and min of a JS array holding NaN give NaN derivatives for every element, as the Tensor reduction", () => {
  for (const r of [max, min]) {
    const g = grad((x: Lifted[]) => r(x) as Value)([1, NaN, 2]) as number[];
    assert.ok(g.every((d) => Number.isNaN(d)), `grad ${g.join(", ")}`);
    const j = jacfwd((x: Lifted[]) => [r(x) as Value])([1, NaN, 2]) as number[][];
    assert.ok(j[0]!.every((d) => Number.isNaN(d)), `jacfwd ${j.join(", ")}`);
  }
});

test("hessian(prod)(tensor([2, 0, 0])) is [[0, 0, 0], [0, 0, 2], [0, 2, 0]] (d²(x0 x1 x2)/dx1 dx2 = x0), by every route", () => {
  const want = [[0, 0, 0], [0, 0, 2], [0, 2, 0]];
  const f = (x: Lifted) => prod(x);
  assert.equal((hessian(f)(tensor([2, 0, 0])) as Tensor).toArray(), want);
  assert.equal((jacrev((x: Lifted) => grad(f)(x) as Value)(tensor([2, 0, 0])) as Tensor).toArray(), want);
  // Two zeros beside the pivot: H[i][j] is the product of the third and fourth elements.
  assert.equal((hessian(f)(tensor([0, 5, 0, 7])) as Tensor).toArray(), [[0, 0, 35, 0], [0, 0, 0, 0], [35, 0, 0, 0], [0, 0, 0, 0]]);
  // Along an axis, each row is its own product.
  const rows = (hessian((x: Lifted) => sum(prod(x, 1)))(tensor([[2, 0, 0], [1, 2, 3]])) as Tensor).toArray() as number[][][][];
  assert.is(rows[0]![1]![0]![2], 2);
  assert.is(rows[1]![0]![1]![2], 2);
});

test("vmap of grad of max, logsumexp, prod and norm reads each example's own values (tie weights, shift, pivots, zero test)", () => {
  const X = tensor([[1, 3, 2], [5, 5, 0], [0, 2, 3], [0, 0, 0]]);
  const rows = (f: (x: Lifted) => Lifted) => (vmap(grad(f))(X) as Tensor).toArray() as number[][];
  assert.equal(rows((x) => max(x) as Lifted), [[0, 1, 0], [0.5, 0.5, 0], [0, 0, 1], [1 / 3, 1 / 3, 1 / 3]]);
  assert.equal(rows((x) => prod(x) as Lifted), [[6, 2, 3], [0, 0, 25], [6, 0, 0], [0, 0, 0]]);
  assert.equal(rows((x) => norm(x) as Lifted)[3], [0, 0, 0]);
  const soft = rows((x) => logsumexp(x) as Lifted);
  (X.toArray() as number[][]).forEach((r, i) => {
    const z = (r as number[]).reduce((s, v) => s + Math.exp(v), 0);
    r.forEach((v, j) => assert.ok(Math.abs(soft[i]![j]! - Math.exp(v) / z) < 1e-15));
  });
});

test.run();
