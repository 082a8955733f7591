/**
 * defineOp's checks of what rules return (lib/registry/rule-check.ts): a
 * rule returning a string, a Tensor partial for a scalar op or a string
 * value is refused at declaration and at every use.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  noGrad, variable, defineOp, grad, hessian, hvp, where, gt, lt, mul, sum, tensor, jacobian, explainJacobian, compileGrad,
  isGradEnabled, ShapeError, TypeMismatchError, type Var, type Tensor, type Lifted,
} from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";

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

test.run();
