/**
 * The elementwise ops of lib/ops/piecewise.ts: the generic checks of
 * test/support/scalar-rules.ts against the hand-derived formulas below, and
 * each op's convention where it is not smooth.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { clamp, erf, hypot, maximum, minimum, relu, sigmoid, softplus, where, jvp, grad, hessian, jacrev, Tensor, type Lifted, type Value } from "../../lib/index.ts";
import * as piecewise from "../../lib/ops/piecewise.ts";
import { close } from "../support/close.ts";
import { scalarRuleTests, fwd, rev, gradAt, grad3, type U, type B, type T3 } from "../support/scalar-rules.ts";
import { noGrad, variable, defineOp, hvp, gt, lt, mul, sum, tensor, jacobian, explainJacobian, compileGrad, isGradEnabled, ShapeError, TypeMismatchError, type Var } from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";

scalarRuleTests("piecewise", piecewise, {
  sigmoid: { fn: sigmoid, value: (x) => 1 / (1 + Math.exp(-x)), d1: (x) => Math.exp(-x) / (1 + Math.exp(-x)) ** 2, at: [-6, 0, 2.5] },
  softplus: { fn: softplus, value: (x) => Math.log1p(Math.exp(x)), d1: (x) => 1 / (1 + Math.exp(-x)), at: [-6, 0, 2.5] },
  relu: { fn: relu, value: (x) => Math.max(x, 0), d1: (x) => (x > 0 ? 1 : 0), at: [-2, 0.5, 3] },
  erf: { fn: erf, value: (x) => (x === 0 ? 0 : NaN), d1: (x) => (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x), at: [-1.5, 0, 0.7] },
}, {
  hypot: { fn: hypot, value: Math.hypot, d: (a, b) => [a / Math.hypot(a, b), b / Math.hypot(a, b)], at: [[3, 4], [-1, 0.5]] },
  maximum: { fn: maximum, value: Math.max, d: (a, b) => (a > b ? [1, 0] : [0, 1]), at: [[2, -3], [0.5, 4]] },
  minimum: { fn: minimum, value: Math.min, d: (a, b) => (a < b ? [1, 0] : [0, 1]), at: [[2, -3], [0.5, 4]] },
}, ["where", "clamp"]);

test("erf(x) equals the published values to 1e-15 relative", () => {
  const known: [number, number][] = [
    [0.5, 0.5204998778130465], [1, 0.8427007929497149], [2, 0.9953222650189527],
    [3, 0.9999779095030014], [-1, -0.8427007929497149],
  ];
  for (const [x, want] of known) close(erf(x), want, 1e-15, `erf(${x})`);
  assert.is(erf(0), 0);
});

test("relu(0) = 0 with derivative 0 at the kink; relu(NaN) is NaN", () => {
  assert.is(relu(0), 0);
  assert.is(fwd(relu as U, 0), 0);
  assert.is(rev(relu as U, 0), 0);
  assert.ok(Number.isNaN(relu(NaN)));
});

test("maximum(a, a) and minimum(a, a) split the gradient 0.5 / 0.5", () => {
  for (const f of [maximum, minimum] as B[]) {
    assert.equal(gradAt(f, 2, 2), [0.5, 0.5]);
    assert.is(fwd((t) => f(t, 2), 2), 0.5);
    assert.is(fwd((t) => f(2, t), 2), 0.5);
    assert.is(fwd((t) => f(t, t), 2), 1);
  }
});

test("hypot(0, 0) = 0 with partials 0 at the origin", () => {
  assert.is(hypot(0, 0), 0);
  assert.equal(gradAt(hypot as B, 0, 0), [0, 0]);
  assert.is(fwd((t) => (hypot as B)(t, 0), 0), 0);
});

test("where(c, a, b) selects a for non-zero c and b for 0 or NaN", () => {
  assert.is(where(1, 2, 3), 2);
  assert.is(where(-0.5, 2, 3), 2);
  assert.is(where(0, 2, 3), 3);
  assert.is(where(NaN, 2, 3), 3);
});

test("where: the condition is not differentiated; the gradient reaches only the selected side", () => {
  const f = where as unknown as T3;
  assert.equal(grad3(f, 1, 2, 3), [0, 1, 0]);
  assert.equal(grad3(f, 0, 2, 3), [0, 0, 1]);
  assert.equal(grad3(f, NaN, 2, 3), [0, 0, 1]);
  assert.is(fwd((c) => f(c, 2, 3), 1), 0);
  assert.is(fwd((a) => f(1, a, 3), 2), 1);
  assert.is(fwd((b) => f(1, 2, b), 3), 0);
});

test("where on Tensors selects elementwise: grad of a is the mask", () => {
  const cond = new Tensor(Float64Array.of(1, 0, 1), [3]);
  const a = new Tensor(Float64Array.of(5, 6, 7), [3]);
  const r = jvp((x: Lifted) => (where as unknown as T3)(cond, x, 0), a, new Tensor(Float64Array.of(1, 1, 1), [3]));
  assert.equal((r.value as Tensor).toArray(), [5, 0, 7]);
  assert.equal((r.tangent as Tensor).toArray(), [1, 0, 1]);
});

test("clamp(x, lo, hi) equals min(max(x, lo), hi)", () => {
  assert.is(clamp(5, 0, 1), 1);
  assert.is(clamp(-5, 0, 1), 0);
  assert.is(clamp(0.25, 0, 1), 0.25);
});

test("clamp: d/dx = 1 on the closed interval, including both bounds", () => {
  const f = clamp as unknown as T3;
  for (const x of [-1, 0.3, 2]) {
    assert.equal(grad3(f, x, -1, 2), [1, 0, 0], `at ${x}`);
    assert.is(fwd((t) => f(t, -1, 2), x), 1, `forward at ${x}`);
  }
});

test("clamp: outside the interval the active bound gets the gradient", () => {
  const f = clamp as unknown as T3;
  assert.equal(grad3(f, -3, -1, 2), [0, 1, 0]);
  assert.equal(grad3(f, 5, -1, 2), [0, 0, 1]);
  assert.is(fwd((lo) => f(-3, lo, 2), -1), 1);
  assert.is(fwd((hi) => f(5, -1, hi), 2), 1);
  assert.is(fwd((t) => f(t, -1, 2), 5), 0);
});

test("clamp(x, lo, hi) with lo > hi is hi for every x, and the gradient goes to hi in both modes", () => {
  const f = (v: Lifted[]) => clamp(v[0]!, v[1]!, v[2]!);
  for (const x of [-1, 1.5, 5]) {
    assert.is(clamp(x, 2, 1), 1);
    assert.equal(grad(f)([x, 2, 1]), [0, 0, 1]);
    assert.equal(jvp((v: Lifted[]) => [f(v)], [x, 2, 1], [1, 10, 100]).tangent, [100]);
  }
  // lo <= hi is unchanged: below, inside and above the interval.
  assert.equal(grad(f)([-1, 0, 1]), [0, 1, 0]);
  assert.equal(grad(f)([0.5, 0, 1]), [1, 0, 0]);
  assert.equal(grad(f)([2, 0, 1]), [0, 0, 1]);
});

test("hypot's second derivatives at the origin are 0 in both routes (the partials' convention), not 0/0", () => {
  const f = (v: Lifted[]) => hypot(v[0]!, v[1]!);
  assert.equal(hessian(f)([0, 0]), [[0, 0], [0, 0]]);
  assert.equal(jacrev((v: Lifted[]) => grad(f)(v) as Value[])([0, 0]), [[0, 0], [0, 0]]);
});

test("where(gt(x, 0), a, b) says that the comparison's boolean is for branching and how to write it", () => {
  const relu = (x: Lifted) => where(gt(x, 0) as never, mul(x, x), 0);
  throwsKind(() => grad(relu)(3), TypeMismatchError, "where",
    /argument 1 is boolean true, not a number, Tensor, Dual or Var; a comparison such as gt\(x, 0\) gives a boolean to branch on: write cond \? a : b/);
  // The branch it suggests works, also under compileGrad (the comparison is guarded).
  const g = compileGrad((x: Lifted) => (lt(x, 0) ? mul(x, -1) : mul(x, x)));
  assert.is(g(2), 4);
  assert.is(g(-2), -1);
});

test.run();
