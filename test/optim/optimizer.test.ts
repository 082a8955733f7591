/**
 * What every optimiser inherits from Optimizer: the check that each
 * parameter's gradient has the parameter's shape before a step writes it.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { SGD, Adam, variable, ShapeError, type Optimizer, type Tensor, type Var } from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";
import { vec } from "../support/tensors.ts";

const makers: [string, (params: Var[]) => Optimizer][] = [
  ["SGD", (params) => new SGD(params, { lr: 0.1 })],
  ["Adam", (params) => new Adam(params, { lr: 0.1 })],
];

for (const [name, make] of makers) {
  test(`${name}.step() with a gradient of the wrong size throws a ShapeError and leaves the parameter as it was`, () => {
    const w = variable(vec(1, 2));
    const opt = make([w]);
    w.grad = vec(1, 2, 3);
    throwsKind(() => opt.step(), ShapeError, `${name}.step`, /2 elements but its gradient has 3/);
    assert.equal((w.value as Tensor).toArray(), [1, 2]);
  });
}

test.run();
