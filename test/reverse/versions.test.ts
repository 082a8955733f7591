/**
 * The in-place version check: a backward refuses only when it would read a
 * Tensor written in place after it was recorded (a saved operand its
 * gradient needs), and goes through when the gradient never reads it.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { variable, tensor, add, mul, sum, GraphError, type Tensor, type Var } from "../../lib/index.ts";
import { noGrad, defineOp, grad, hessian, hvp, where, gt, lt, jacobian, explainJacobian, compileGrad, isGradEnabled, ShapeError, TypeMismatchError, type Lifted } from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";

test("sum(A + x).backward() gives x.grad = [1, 1] even after A.fill_(7), since add's gradient does not read A", () => {
  const A = tensor([1, 2]);
  const x = variable(tensor([3, 4]));
  const y = sum(add(A, x)) as Var;
  A.fill_(7);
  y.backward();
  assert.equal(Array.from((x.grad as Tensor).data), [1, 1]);
});

test("(x * w).backward(seed) throws GraphError naming mul, the entry and both versions after w.fill_(9): d/dx = w would read the new w", () => {
  const w = tensor([1, 2]);
  const x = variable(tensor([3, 4]));
  const y = mul(x, w) as Var;
  w.fill_(9);
  try {
    y.backward(tensor([1, 1]));
    assert.unreachable("no error");
  } catch (e) {
    assert.instance(e, GraphError);
    assert.match((e as Error).message, /^backward: argument 2 of 'mul' \(entry %\d+, a Tensor of shape \[2\]\) was modified in place after it was recorded \(version 0 -> 1\); /);
  }
  assert.is(x.grad, null);
});

test("an untouched saved Tensor passes the version check: d(x * [1, 2] + 1)/dx = [1, 2]", () => {
  const x = variable(tensor([3, 4]));
  const y = add(mul(x, tensor([1, 2])), 1) as Var;
  y.backward(tensor([1, 1]));
  assert.equal(Array.from((x.grad as Tensor).data), [1, 2]);
});

test("mul(sum(x), 2), then x's tensor written in place, then backward() works: sum's backward never reads x", () => {
  const t = tensor([1, 2]);
  const x = variable(t);
  const y = mul(sum(x), 2) as Var;
  t.fill_(0);
  y.backward();
  assert.equal((x.grad as Tensor).toArray(), [2, 2]);
});
test("the in-place check still fires where a backward reads the written tensor (mul saves its other operand)", () => {
  const t = tensor([1, 2]);
  const x = variable(tensor([3, 4]));
  const y = sum(mul(x, t)) as Var;
  t.fill_(0);
  assert.throws(() => y.backward(), /modified in place/);
});

test.run();
