import { test } from "uvu";
import * as assert from "uvu/assert";
import { intermediateGrad } from "../../examples/intermediate-grad.ts";

test("z = sum(w * x + b): dz/dw = x, dz/dx = w, dz/db = ones", () => {
  const r = intermediateGrad([1, 2, 3], [4, 5, 6], [7, 8, 9]);
  assert.equal(r.dw, [4, 5, 6]);
  assert.equal(r.dx, [1, 2, 3]);
  assert.equal(r.db, [1, 1, 1]);
});

test("dz/dy = ones at the intermediate y by gradients() and by a hook, which stops firing once removed", () => {
  const r = intermediateGrad([-1, 0.5], [2, 3], [0, 0]);
  assert.equal(r.dyByGradients, [1, 1]);
  assert.equal(r.dyByHook, [1, 1]);
  assert.is(r.hookCalls, 1);
});

test.run();
