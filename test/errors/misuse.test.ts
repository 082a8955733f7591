/**
 * Errors that used to be silent or misleading (issue 8, items 8, 21, 23, 24).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  noGrad, variable, defineOp, grad, hessian, hvp, where, gt, lt, mul, sum, tensor, jacobian, explainJacobian, compileGrad,
  isGradEnabled, ShapeError, TypeMismatchError, type Var, type Tensor, type Lifted,
} from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";

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

test("defineOp refuses a rule that returns a Tensor partial for a scalar op (the gradient was NaN)", () => {
  throwsKind(() => defineOp({ name: "badTensorPartial", arity: 1, value: (a: number) => a, partials: () => [tensor([1, 2])] }),
    ShapeError, "defineOp", /partial 0 of 'badTensorPartial' has shape \[2\] but the output has shape \[\]/);
});

test("defineOp refuses a string partial and a string value at declaration", () => {
  throwsKind(() => defineOp({ name: "badStringPartial", arity: 1, value: (a: number) => a, partials: () => ["x" as never] }),
    TypeMismatchError, "defineOp", /partial 0 of 'badStringPartial' is string "x"/);
  throwsKind(() => defineOp({ name: "badStringValue", arity: 1, value: (() => "x") as never, partials: () => [1] }),
    TypeMismatchError, "defineOp", /value of 'badStringValue' returned string "x"/);
});

test("defineOp checks at first use a rule that misbehaves only away from the declaration's sample point", () => {
  const odd = defineOp({
    name: "oddAtThree", arity: 1,
    value: (a: number) => (a === 3 ? ("three" as never) : a),
    partials: (_A, [a]) => [typeof a === "number" && a === 3 ? ("one" as never) : 1],
  });
  assert.is(grad((x: Lifted) => odd(x))(2), 1);
  throwsKind(() => odd(3), TypeMismatchError, "defineOp", /value of 'oddAtThree' returned string "three"/);
  throwsKind(() => grad((x: Lifted) => mul(odd(x), 1))(tensor(3) as never), TypeMismatchError, "defineOp", /value of 'oddAtThree'/);
});

test("hessian and hvp of a function returning an array name themselves, not grad", () => {
  throwsKind(() => hessian((x: Lifted[]) => [x[0]!, x[1]!])([1, 2]), TypeMismatchError, "hessian", /f returned array\(2\)/);
  throwsKind(() => hvp((x: Lifted[]) => [x[0]!, x[1]!])([1, 2], [1, 0]), TypeMismatchError, "hvp", /f returned array\(2\)/);
});

test("where accepts the boolean of a guarded comparison as its condition, also under compileGrad", () => {
  const relu = (x: Lifted) => where(gt(x, 0), mul(x, x), 0);
  assert.is(grad(relu)(3), 6);
  assert.is(grad(relu)(-3), 0);
  const g = compileGrad((x: Lifted) => where(lt(x, 0), mul(x, -1), mul(x, x)));
  assert.is(g(2), 4);
  assert.is(g(-2), -1);
});

test("a Tensor prints NaN, Infinity and -0 as themselves, not as null and 0", () => {
  assert.is(String(tensor([NaN, Infinity, -Infinity, -0, 1.5])), "Tensor[5] [NaN,Infinity,-Infinity,-0,1.5]");
});

test("jacobian.explain sees the current output size after f changed it (no stale m)", () => {
  let m = 1;
  const f = (x: Lifted[]) => Array.from({ length: m }, (_, i) => mul(x[0]!, i + 1));
  assert.is(explainJacobian(f, [1, 2]).m, 1);
  m = 5;
  assert.is(explainJacobian(f, [1, 2]).m, 5);
  assert.is(jacobian.explain(f, [1, 2]).m, 5);
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
