// The PyTorch-style imperative workflow: leaves made by variable(), .grad,
// backward, zeroGrad, detach, noGrad, hooks, retainGraph, createGraph and
// gradients(), with the errors each misuse raises.
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  variable, gradients, noGrad, isGradEnabled, add, mul, sub, sin, cos, sum, primal, tensor, ones, type Tensor,
  GraphError, ShapeError, TypeMismatchError, type Var, type Value,
} from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";
import { vec } from "../support/tensors.ts";

const mat = (rows: number[][]) => tensor(rows);
const arr = (v: Value | null) => Array.from((primal(v!) as Tensor).data);

test("x.grad is null until a backward reaches x, then accumulates: d(x²)/dx = 2x twice gives 4x", () => {
  const x = variable(3);
  const unused = variable(7);
  assert.is(x.grad, null);
  const y = mul(x, x);
  assert.is(x.grad, null); // recording alone does not touch .grad
  y.backward();
  assert.is(x.grad, 6);
  assert.is(unused.grad, null); // never reached
  mul(x, x).backward();
  assert.is(x.grad, 12);
});

test("x.zeroGrad() resets an accumulated gradient to 0 (a zero Tensor for a Tensor x) and keeps null as null", () => {
  const x = variable(2);
  mul(x, 5).backward();
  x.zeroGrad();
  assert.is(x.grad, 0);
  mul(x, 5).backward();
  assert.is(x.grad, 5);
  const t = variable(vec(1, 2, 3));
  mul(t, t).backward(vec(1, 1, 1));
  assert.equal(arr(t.grad), [2, 4, 6]);
  t.zeroGrad();
  assert.equal(arr(t.grad), [0, 0, 0]);
  assert.equal((t.grad as Tensor).shape, [3]);
  const fresh = variable(1);
  fresh.zeroGrad();
  assert.is(fresh.grad, null);
});

test("variable(v) is a leaf that requires grad; variable(v, { requiresGrad: false }) requires none", () => {
  const a = variable(1);
  assert.ok(a.requiresGrad);
  assert.ok(a.isLeaf);
  assert.is(a.gradFn, null);
  const c = variable(1, { requiresGrad: false });
  assert.not.ok(c.requiresGrad);
  assert.ok(c.isLeaf);
});

test("add(a, b) of leaves requires grad, is not a leaf and has gradFn 'add'; constants do not make it require grad", () => {
  const a = variable(1);
  const b = variable(2);
  const c = add(a, b);
  assert.ok(c.requiresGrad);
  assert.not.ok(c.isLeaf);
  assert.is(c.gradFn, "add");
  assert.is(mul(c, 3).gradFn, "mul");
  const k = variable(4, { requiresGrad: false });
  assert.ok(add(a, k).requiresGrad);
  const kk = add(k, variable(5, { requiresGrad: false }));
  assert.not.ok(kk.requiresGrad);
  assert.ok(kk.isLeaf);
  assert.is(kk.gradFn, null);
});

test("y.detach() has y's value, requires no grad, and stops the gradient: d(u x)/dx = u for u = (x x).detach()", () => {
  const x = variable(3);
  const y = mul(x, x);
  const u = y.detach();
  assert.is(u.value, 9);
  assert.not.ok(u.requiresGrad);
  assert.ok(u.isLeaf);
  assert.is(u.gradFn, null);
  mul(u, x).backward();
  assert.is(x.grad, 9); // not 3 x² = 27
  throwsKind(() => u.backward(), GraphError, "backward", /does not require grad/);
});

test("noGrad(fn) returns fn's result computed without recording, and restores recording even when fn throws", () => {
  const x = variable(2);
  assert.ok(isGradEnabled());
  const y = noGrad(() => {
    assert.not.ok(isGradEnabled());
    return mul(x, x);
  });
  assert.ok(isGradEnabled());
  assert.is(y.value, 4);
  assert.not.ok(y.requiresGrad);
  assert.is(y.gradFn, null);
  throwsKind(() => y.backward(), GraphError, "backward", /noGrad/);
  assert.throws(() => noGrad(() => { throw new Error("boom"); }), /boom/);
  assert.ok(isGradEnabled());
  assert.ok(mul(x, x).requiresGrad);
});

test("x.registerHook(h) on a leaf sees dy/dx, and its return value replaces x.grad", () => {
  const x = variable(3);
  const seen: Value[] = [];
  x.registerHook((g) => void seen.push(g));
  mul(x, x).backward();
  assert.equal(seen, [6]);
  assert.is(x.grad, 6);
  const z = variable(3);
  z.registerHook((g) => mul(g as number, 10));
  mul(z, z).backward();
  assert.is(z.grad, 60);
});

test("a leaf's hook fires on every later backward until remove(), then never again", () => {
  const x = variable(2);
  let calls = 0;
  const handle = x.registerHook(() => void calls++);
  mul(x, x).backward();
  mul(x, 4).backward(); // a new graph after the tape was freed: the hook is still there
  assert.is(calls, 2);
  handle.remove();
  mul(x, x).backward();
  assert.is(calls, 2);
  assert.is(x.grad, 4 + 4 + 4);
});

test("y.registerHook(h) on an intermediate sees dz/dy and a replacement flows on to the leaves", () => {
  // z = 3 y, y = x²: dz/dy = 3; the hook scales it by 10, so x.grad = 30 · 2x
  const x = variable(2);
  const y = mul(x, x);
  const seen: Value[] = [];
  const h = y.registerHook((g) => {
    seen.push(g);
    return mul(g as number, 10);
  });
  mul(y, 3).backward(undefined, { retainGraph: true });
  assert.equal(seen, [3]);
  assert.is(x.grad, 120);
  h.remove();
  x.zeroGrad();
  mul(y, 3).backward(); // the same intermediate, hook removed
  assert.equal(seen, [3]);
  assert.is(x.grad, 12);
});

test("registerHook rejects a non-function and a Var that requires no grad", () => {
  throwsKind(() => variable(1).registerHook(42 as never), TypeMismatchError, "registerHook", /expected a function/);
  throwsKind(() => variable(1, { requiresGrad: false }).registerHook(() => undefined), GraphError, "registerHook", /does not require grad/);
});

test("y.backward(1, { retainGraph: true }) lets a second backward run and accumulate: 2 · cos(x)", () => {
  const x = variable(0.5);
  const y = sin(x);
  y.backward(1, { retainGraph: true });
  y.backward();
  assert.is(x.grad, 2 * Math.cos(0.5));
});

test("a second y.backward() without retainGraph throws a GraphError naming retainGraph", () => {
  const x = variable(0.5);
  const y = sin(x);
  y.backward();
  throwsKind(() => y.backward(), GraphError, "backward", /freed.*retainGraph/);
  throwsKind(() => gradients(y, [x]), GraphError, "gradients", /retainGraph/);
});

test("backward({ createGraph: true }) makes x.grad differentiable: for x³, grad 3x² then 6x", () => {
  const x = variable(2);
  mul(mul(x, x), x).backward(undefined, { createGraph: true });
  const g = x.grad as Var;
  assert.is(primal(g), 12);
  assert.ok(g.requiresGrad);
  x.zeroGrad();
  g.backward();
  assert.is(x.grad, 12); // 6x at 2
});

test("gradients(y, [x], { createGraph: true }) twice gives d²/dx² sin x = -sin x", () => {
  const x = variable(0.3);
  const [d1] = gradients(sin(x), [x], { createGraph: true });
  assert.is(primal(d1!), Math.cos(0.3));
  const [d2] = gradients(d1 as Var, [x]);
  assert.ok(Math.abs((d2 as number) + Math.sin(0.3)) < 1e-15);
  assert.is(x.grad, null);
});

test("gradients(outputs, inputs, { gradOutputs }) returns seeded gradients and leaves .grad untouched", () => {
  const x = variable(vec(1, 2, 3));
  const other = variable(5);
  const y = mul(x, x);
  const [gx, go] = gradients(y, [x, other], { gradOutputs: vec(1, 0, 2) });
  assert.equal(arr(gx!), [2, 0, 12]); // 2x · seed
  assert.is(go, 0); // not reached: a zero of the input's kind
  assert.is(x.grad, null);
  assert.is(other.grad, null);
});

test("gradients([y1, y2], [a, b]) sums the outputs' gradients, one per output seed", () => {
  const a = variable(1);
  const b = variable(2);
  const g = gradients([mul(a, b), sub(a, b)], [a, b], { gradOutputs: [1, 3] });
  assert.equal(g, [2 + 3, 1 - 3]);
  throwsKind(() => gradients([mul(a, b), add(a, b)], [a], { gradOutputs: [1] }), ShapeError, "gradients", /1 gradOutputs for 2 outputs/);
});

test("gradients rejects non-Var inputs and outputs", () => {
  const x = variable(1);
  throwsKind(() => gradients(mul(x, 2), [3 as never]), TypeMismatchError, "gradients", /expected Vars/);
  throwsKind(() => gradients([], [x]), TypeMismatchError, "gradients", /no outputs/);
});

test("y.backward() on a non-scalar y throws a GraphError telling to pass a seed", () => {
  const x = variable(mat([[1, 2], [3, 4]]));
  const y = mul(x, x);
  throwsKind(() => y.backward(), GraphError, "backward", /shape \[2, 2\].*not a scalar.*pass a seed/);
  throwsKind(() => gradients(y, [x]), GraphError, "gradients", /seed/);
});

test("y.backward(seed) with a seed of the wrong shape throws a ShapeError naming both shapes", () => {
  const x = variable(mat([[1, 2], [3, 4]]));
  const y = mul(x, x);
  throwsKind(() => y.backward(vec(1, 1)), ShapeError, "backward", /seed has shape \[2\] but the output has shape \[2, 2\]/);
  throwsKind(() => y.backward(1), ShapeError, "backward", /seed has shape \[\]/);
  throwsKind(() => mul(variable(2), 3).backward(vec(1)), ShapeError, "backward", /output has shape \[\]/);
  throwsKind(() => y.backward("1" as never), TypeMismatchError, "backward", /seed/);
});

test("y.backward(seed) on a Tensor y gives the vector-Jacobian product: seed · f'(x) elementwise", () => {
  // y = cos x elementwise, seed s: x.grad = -s sin x
  const x = variable(vec(0.1, 0.2, 0.3));
  cos(x).backward(vec(1, -2, 0.5));
  const want = [0.1, 0.2, 0.3].map((v, i) => -[1, -2, 0.5][i]! * Math.sin(v));
  assert.equal(arr(x.grad), want);
});

test("y.backward(ones) equals sum(y).backward() for a Tensor y", () => {
  const a = variable(mat([[1, -2], [0.5, 3]]));
  mul(a, a).backward(ones([2, 2]));
  const b = variable(mat([[1, -2], [0.5, 3]]));
  (sum(mul(b, b)) as Var).backward();
  assert.equal(arr(a.grad), [2, -4, 1, 6]);
  assert.equal(arr(b.grad), [2, -4, 1, 6]);
});

test("variable(...) rejects values that are not numbers or Tensors", () => {
  throwsKind(() => variable([1, 2] as never), TypeMismatchError, "variable", /tensor\(/);
  throwsKind(() => variable("3" as never), TypeMismatchError, "variable", /cannot wrap/);
});

test.run();
