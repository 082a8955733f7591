// How optimisers write parameters: setLeafValue (internal, lib/reverse/variable.ts)
// and the gradient-shape check in step().
import { test } from "uvu";
import * as assert from "uvu/assert";
import { SGD, variable, mul, GraphError, ShapeError } from "../../lib/index.ts";
import { setLeafValue } from "../../lib/reverse/variable.ts";
import { throwsKind } from "../support/errors.ts";
import { vec } from "../support/tensors.ts";

test("setLeafValue(x, 5) replaces a leaf's number and later ops use it", () => {
  const x = variable(2);
  setLeafValue(x, 5);
  assert.is(x.value, 5);
  const y = mul(x, x);
  assert.is(y.value, 25);
  y.backward();
  assert.is(x.grad, 10);
});

test("setLeafValue(x, t) replaces a Tensor leaf's value with one of the same shape", () => {
  const x = variable(vec(1, 2));
  const t = vec(3, 4);
  setLeafValue(x, t);
  assert.is(x.value, t);
});

test("setLeafValue(y, v) on a computed Var throws a GraphError", () => {
  const y = mul(variable(2), 3);
  throwsKind(() => setLeafValue(y, 1), GraphError, "setLeafValue", /computed by mul/);
});

test("setLeafValue(x, v) with another kind or shape throws a ShapeError", () => {
  throwsKind(() => setLeafValue(variable(1), vec(1)), ShapeError, "setLeafValue", /same kind and shape/);
  throwsKind(() => setLeafValue(variable(vec(1, 2)), vec(1, 2, 3)), ShapeError, "setLeafValue", /Tensor\[3\]/);
  throwsKind(() => setLeafValue(variable(vec(1, 2)), 1), ShapeError, "setLeafValue", /number 1/);
});

test("SGD.step() with a gradient of the wrong size throws a ShapeError", () => {
  const w = variable(vec(1, 2));
  const opt = new SGD([w], { lr: 0.1 });
  w.grad = vec(1, 2, 3);
  throwsKind(() => opt.step(), ShapeError, "SGD.step", /2 elements but its gradient has 3/);
});

test.run();
