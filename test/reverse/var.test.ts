import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  variable, isVar, derivative, dual, mul, add, sin, Tensor, Var, Dual,
  GraphError, ShapeError, TypeMismatchError, type DualtapeError, type Lifted,
} from "../../lib/index.ts";
import { setLeafValue, imperativeTape } from "../../lib/reverse/variable.ts";
import { throwsKind } from "../support/errors.ts";
import { vec } from "../support/tensors.ts";

test("variable(3) is a leaf that requires grad, with grad null and no gradFn", () => {
  const x = variable(3);
  assert.is(x.value, 3);
  assert.is(x.grad, null);
  assert.ok(x.requiresGrad);
  assert.ok(x.isLeaf);
  assert.is(x.gradFn, null);
  assert.is(x.tape, imperativeTape());
  assert.is(x.level, imperativeTape().level);
});

test("variable(v, { requiresGrad: false }) is a constant leaf at level -1", () => {
  const c = variable(2, { requiresGrad: false });
  assert.not.ok(c.requiresGrad);
  assert.ok(c.isLeaf);
  assert.is(c.tape, null);
  assert.is(c.level, -1);
});

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

test("variable(tensor) is a tensor leaf; its grad has the tensor's shape", () => {
  const x = variable(vec(1, 2, 3));
  (mul(x, x) as Var).backward(vec(1, 1, 1));
  assert.equal((x.grad as Tensor).toArray(), [2, 4, 6]);
});

test("a constant Var contributes no gradient and gets none", () => {
  const x = variable(2);
  const c = variable(5, { requiresGrad: false });
  (mul(x, c) as Var).backward();
  assert.is(x.grad, 5);
  assert.is(c.grad, null);
});

test("variable(constantVar) unwraps the constant into a fresh leaf", () => {
  const c = variable(4, { requiresGrad: false });
  const x = variable(c);
  assert.is(x.value, 4);
  assert.ok(x.requiresGrad);
});

test("variable(hand-made dual) nests: the gradient is itself a Dual", () => {
  const x = variable(dual(3));
  (mul(x, x) as Var).backward();
  const g = x.grad as Dual;
  assert.instance(g, Dual);
  assert.is(g.value, 6);
  assert.is(g.tangent, 2);
});

test("variable rejects strings and arrays with TypeMismatchError", () => {
  throwsKind(() => variable("1" as never), TypeMismatchError, "variable", /cannot wrap string "1"/);
  throwsKind(() => variable([1, 2] as never), TypeMismatchError, "variable", /cannot wrap array\(2\).*wrap arrays with tensor/);
});

test("variable refuses a Dual of a transform that started after the imperative tape", () => {
  imperativeTape();
  throwsKind(() => derivative((x: Lifted) => variable(x))(1), TypeMismatchError, "variable", /started after the imperative tape/);
});

test("detach() gives the same value cut off from the graph", () => {
  const x = variable(2);
  const y = mul(x, x) as Var;
  const d = y.detach();
  assert.is(d.value, 4);
  assert.not.ok(d.requiresGrad);
  assert.ok(d.isLeaf);
  (add(mul(d, x), y) as Var).backward(); // d/dx (4 x + x^2) with d constant = 4 + 2x
  assert.is(x.grad, 8);
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

test("setLeafValue replaces a leaf's value and the tape's copy", () => {
  const w = variable(1);
  setLeafValue(w, 3);
  assert.is(w.value, 3);
  (mul(w, w) as Var).backward();
  assert.is(w.grad, 6);
  const t = variable(vec(1, 2));
  setLeafValue(t, vec(5, 6));
  (mul(t, t) as Var).backward(vec(1, 1));
  assert.equal((t.grad as Tensor).toArray(), [10, 12]);
});

test("setLeafValue rejects a computed Var and a value of another kind or shape", () => {
  const w = variable(1);
  throwsKind(() => setLeafValue(mul(w, 2) as Var, 3), GraphError, "setLeafValue", /a Var computed by mul/);
  throwsKind(() => setLeafValue(w, vec(1)), ShapeError, "setLeafValue", /Tensor\[1\] does not match the current number 1/);
  throwsKind(() => setLeafValue(variable(vec(1, 2)), vec(1, 2, 3)), ShapeError, "setLeafValue", /Tensor\[3\] does not match the current Tensor\[2\]/);
  throwsKind(() => setLeafValue(3 as never, 1), GraphError, "setLeafValue", /expected a leaf Var, got number 3/);
});

test("isVar tells Vars from other values; String(var) shows value and gradFn", () => {
  const x = variable(2);
  assert.ok(isVar(x));
  assert.not.ok(isVar(dual(1)));
  assert.not.ok(isVar(2));
  assert.is(String(x), "Var(2)");
  assert.is(String(mul(x, 3)), "Var(6, gradFn=mul)");
});

test.run();
