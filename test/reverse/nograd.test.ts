import { test } from "uvu";
import * as assert from "uvu/assert";
import { noGrad, isGradEnabled, variable, grad, jacrev, vjp, mul, sin, Var, Tape, GraphError, type Lifted } from "../../lib/index.ts";
import { isRecordingAt } from "../../lib/reverse/nograd.ts";
import { imperativeTape } from "../../lib/reverse/variable.ts";
import { throwsKind } from "../support/errors.ts";
import { defineOp, hessian, hvp, where, gt, lt, sum, tensor, jacobian, explainJacobian, compileGrad, ShapeError, TypeMismatchError, type Tensor } from "../../lib/index.ts";

test("isGradEnabled() is true outside noGrad and false inside", () => {
  assert.ok(isGradEnabled());
  noGrad(() => assert.not.ok(isGradEnabled()));
  assert.ok(isGradEnabled());
});

test("noGrad(fn) returns fn's result", () => {
  assert.is(noGrad(() => 42), 42);
});

test("ops on Vars inside noGrad compute values only: the result requires no grad", () => {
  const x = variable(2);
  const y = noGrad(() => sin(mul(x, 3))) as Var;
  assert.instance(y, Var);
  assert.is(y.value, Math.sin(6));
  assert.not.ok(y.requiresGrad);
  assert.ok(y.isLeaf);
  assert.is(y.gradFn, null);
});

test("a value made under noGrad is a constant for later gradients", () => {
  const x = variable(2);
  const c = noGrad(() => mul(x, x)) as Var;
  (mul(c, x) as Var).backward();
  assert.is(x.grad, 4);
});

test("nested noGrad restores the enclosing state", () => {
  noGrad(() => {
    noGrad(() => assert.not.ok(isGradEnabled()));
    assert.not.ok(isGradEnabled());
  });
  assert.ok(isGradEnabled());
});

test("noGrad restores recording when fn throws", () => {
  assert.throws(() => noGrad(() => {
    throw new TypeError("boom");
  }), TypeError);
  assert.ok(isGradEnabled());
  const x = variable(3);
  (mul(x, x) as Var).backward();
  assert.is(x.grad, 6);
});

test("function transforms inside noGrad still differentiate (noGrad stops recording of the enclosing code only)", () => {
  const f = (x: Lifted) => mul(x, x);
  assert.is(noGrad(() => grad(f)(3)), 6);
  assert.equal(noGrad(() => jacrev((x: Lifted[]) => [mul(x[0]!, x[1]!)])([2, 5])), [[5, 2]]);
  assert.is(noGrad(() => vjp(f, 3).pullback(1)), 6);
});

test("isRecordingAt(level): inside noGrad, tapes that existed stop recording and tapes made inside record", () => {
  const before = imperativeTape().level;
  assert.ok(isRecordingAt(before));
  noGrad(() => {
    assert.not.ok(isRecordingAt(before));
    const fresh = new Tape();
    assert.ok(isRecordingAt(fresh.level));
  });
  assert.ok(isRecordingAt(before));
});

test("an outer transform's Vars are not recorded inside noGrad, an inner transform's are", () => {
  const r = grad((x: Lifted) => {
    const c = noGrad(() => mul(x, x)) as Lifted; // a constant for the outer grad
    const inner = noGrad(() => grad((y: Lifted) => mul(y, y))(3)); // still differentiates
    return mul(mul(c, x), inner);
  })(2);
  assert.is(r, 4 * 6);
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

test("noGrad(async fn) is refused before fn runs: the part after its first await would be recorded", () => {
  let ran = false;
  throwsKind(() => noGrad(async () => { ran = true; }), TypeMismatchError, "noGrad", /fn is an async function; .*after its first await would be recorded/);
  assert.is(ran, false);
  assert.ok(isGradEnabled());
});
test("noGrad(fn) where fn returns a promise is refused, and recording is on again", () => {
  throwsKind(() => noGrad(() => Promise.resolve(1)), TypeMismatchError, "noGrad", /fn returned a promise/);
  assert.ok(isGradEnabled());
  assert.is(noGrad(() => 3), 3);
});
test("noGrad(5) is a TypeMismatchError, not 'fn is not a function'", () => {
  throwsKind(() => noGrad(5 as never), TypeMismatchError, "noGrad", /expected a function, got number 5/);
});

test.run();
