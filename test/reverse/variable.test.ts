/**
 * variable(): imperative leaves (numbers, Tensors, constants, nested Duals)
 * on the imperative tape, and setLeafValue, the internal write optimisers
 * use to update a leaf in place.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  variable, isVar, derivative, dual, mul, add, Tensor, Var, Dual, SGD,
  GraphError, ShapeError, TypeMismatchError, type Lifted,
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
  throwsKind(() => setLeafValue(variable(vec(1, 2)), 1), ShapeError, "setLeafValue", /number 1 does not match the current Tensor\[2\]/);
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

test("setLeafValue(x, t) replaces a Tensor leaf's value with one of the same shape", () => {
  const x = variable(vec(1, 2));
  const t = vec(3, 4);
  setLeafValue(x, t);
  assert.is(x.value, t);
});

test("a number leaf changed between forward and backward: backward() and backward({ createGraph }) both refuse", () => {
  for (const createGraph of [false, true]) {
    const x = variable(2);
    const y = mul(x, mul(x, x)) as Var; // x³: 12 at 2, 3 at 1; no answer mixing the two is right
    setLeafValue(x, 1);
    throwsKind(() => y.backward(undefined, { createGraph }), GraphError, "backward", /given a new value.*after the graph was recorded.*; call backward\(\) before step\(\)/);
    assert.is(x.grad, null);
    // A graph recorded after the change sees the new value in both sweeps: 3x² = 3.
    (mul(x, mul(x, x)) as Var).backward(undefined, { createGraph });
    const g = x.grad;
    assert.is(g instanceof Var ? g.value : g, 3);
  }
});

test("SGD.step() between a retained graph's backwards: the second backward refuses the stale leaf, Tensor and number alike", () => {
  const w = variable(2);
  const t = variable(vec(1, 2));
  const loss = add(mul(w, w), mul(t, t).sum()) as Var;
  loss.backward(undefined, { retainGraph: true });
  new SGD([w, t], { lr: 0.1 }).step();
  throwsKind(() => loss.backward(), GraphError, "backward", /(given a new value|modified in place)/);
});

test.run();
