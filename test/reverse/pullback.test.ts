/**
 * The generic propagation through a structural op: its declared vjp must
 * return one cotangent per argument, shaped like that argument.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { defineOp, grad, sum, tensor, ShapeError, type Lifted, type Tensor, type Value } from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";

// The identity on Tensors, with a deliberately broken vjp returning a [4] cotangent.
const badId = defineOp({
  name: "propagate_bad_vjp_identity", arity: 1,
  compute: ([x]) => x!,
  jvp: (_A, _args, _out, [t]) => t as Value,
  vjp: () => [tensor([1, 2, 3, 4])],
});

test("grad through a custom structural op whose vjp returns shape [4] for a [2] input throws ShapeError naming the op and both shapes", () => {
  throwsKind(() => grad((t: Lifted) => sum(badId(t)))(tensor([1, 2])), ShapeError, "propagate_bad_vjp_identity",
    /its vjp returned a cotangent of shape \[4\] for argument 1 of shape \[2\]/);
});

test("the same identity with a correct vjp gives grad(sum(id(t))) = [1, 1]", () => {
  const id = defineOp({
    name: "propagate_good_identity", arity: 1,
    compute: ([x]) => x!,
    jvp: (_A, _args, _out, [t]) => t as Value,
    vjp: (_A, _args, _out, g) => [g],
  });
  assert.equal(Array.from((grad((t: Lifted) => sum(id(t)))(tensor([1, 2])) as Tensor).data), [1, 1]);
});

test.run();
