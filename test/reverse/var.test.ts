import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  variable, mul, add, sin, Tensor, Var,
  GraphError, ShapeError, TypeMismatchError, type DualtapeError, type Value,
} from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";
import { vec } from "../support/tensors.ts";

test("a Var computed from a leaf is not a leaf and names its op in gradFn", () => {
  const x = variable(2);
  const y = sin(mul(x, x)) as Var;
  assert.not.ok(y.isLeaf);
  assert.ok(y.requiresGrad);
  assert.is(y.gradFn, "sin");
  assert.is(y.value, Math.sin(4));
});

test("gradFn reads '<freed>' after a backward freed the graph", () => {
  const x = variable(2);
  const y = mul(x, x) as Var;
  y.backward();
  assert.is(y.gradFn, "<freed>");
});

test("y.backward() accumulates dy/dx into x.grad: y = x sin x at 3", () => {
  const x = variable(3);
  (mul(x, sin(x)) as Var).backward();
  assert.is(x.grad, Math.sin(3) + 3 * Math.cos(3));
});

test("zeroGrad() resets a number grad to 0 and a Tensor grad to zeros; a null grad stays null", () => {
  const x = variable(2);
  (mul(x, x) as Var).backward();
  x.zeroGrad();
  assert.is(x.grad, 0);
  const t = variable(vec(1, 2));
  (mul(t, t) as Var).backward(vec(1, 1));
  t.zeroGrad();
  assert.equal((t.grad as Tensor).toArray(), [0, 0]);
  const fresh = variable(1);
  fresh.zeroGrad();
  assert.is(fresh.grad, null);
});

test("gradients accumulate across backward calls until zeroGrad", () => {
  const x = variable(3);
  (mul(x, x) as Var).backward();
  (mul(x, x) as Var).backward();
  assert.is(x.grad, 12);
  x.zeroGrad();
  (mul(x, 2) as Var).backward();
  assert.is(x.grad, 2);
});

test("registerHook on an intermediate sees the incoming gradient and may replace it", () => {
  const x = variable(3);
  const q = mul(x, x) as Var;
  const seen: unknown[] = [];
  const h = q.registerHook((g) => {
    seen.push(g);
    return mul(g, 10);
  });
  const r = mul(q, 2) as Var;
  r.backward(1, { retainGraph: true });
  assert.equal(seen, [2]);
  assert.is(x.grad, 2 * 10 * 6);
  h.remove();
  x.grad = null;
  r.backward();
  assert.is(x.grad, 12);
  assert.equal(seen, [2]);
});

test("a hook that returns nothing keeps the gradient", () => {
  const x = variable(3);
  const q = mul(x, x) as Var;
  let calls = 0;
  q.registerHook(() => {
    calls++;
  });
  (mul(q, 2) as Var).backward();
  assert.is(calls, 1);
  assert.is(x.grad, 12);
});

test("registerHook on a leaf persists across backward calls until removed", () => {
  const x = variable(5);
  const h = x.registerHook((g) => mul(g, 0.5));
  (mul(x, 4) as Var).backward();
  assert.is(x.grad, 2);
  x.grad = null;
  (mul(x, 4) as Var).backward();
  assert.is(x.grad, 2);
  h.remove();
  x.grad = null;
  (mul(x, 4) as Var).backward();
  assert.is(x.grad, 4);
});

test("several hooks on one Var run in order, each seeing the previous replacement", () => {
  const x = variable(1);
  const seen: unknown[] = [];
  x.registerHook((g) => (seen.push(g), mul(g, 2)));
  x.registerHook((g) => (seen.push(g), add(g, 1)));
  (mul(x, 3) as Var).backward();
  assert.equal(seen, [3, 6]);
  assert.is(x.grad, 7);
});

test("a hook that returns a gradient of the wrong shape or kind is refused, naming the hook", () => {
  const t = variable(vec(1, 2));
  t.registerHook(() => vec(1, 2, 3));
  throwsKind(() => (mul(t, 3) as Var).backward(vec(1, 1)), ShapeError, "backward", /hook.*\[3\].*\[2\]|hook.*\[2\].*\[3\]/);
  const x = variable(2);
  x.registerHook(() => "bad" as never);
  throwsKind(() => (mul(x, 3) as Var).backward(), TypeMismatchError, "backward", /hook.*string "bad"/);
});

test("registerHook errors: non-function, a Var that requires no grad, a freed intermediate", () => {
  const x = variable(1);
  throwsKind(() => x.registerHook(3 as never), TypeMismatchError, "registerHook", /expected a function, got number 3/);
  throwsKind(() => variable(1, { requiresGrad: false }).registerHook(() => undefined), GraphError, "registerHook", /does not require grad/);
  const y = mul(x, x) as Var;
  y.backward();
  throwsKind(() => y.registerHook(() => undefined), GraphError, "registerHook", /freed by an earlier backward\(\).*retainGraph/);
});

test("backward(seed, null) is a clear DualtapeError, not a raw TypeError", () => {
  const x = variable(2);
  throwsKind(() => (mul(x, 3) as Var).backward(1, null as never), TypeMismatchError, "backward", /options/);
});

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

test.run();
