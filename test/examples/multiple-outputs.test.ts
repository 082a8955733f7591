import { test } from "uvu";
import * as assert from "uvu/assert";
import { multipleOutputs } from "../../examples/multiple-outputs.ts";

test("gradients(y1 = x1 x2, [x1, x2]) at (1, 2) is (x2, x1) = (2, 1)", () => {
  assert.equal(multipleOutputs(1, 2).gradY1, [2, 1]);
});

test("gradients([x1 x2, x1 + x2], [x1, x2]) at (1, 2) is (x2 + 1, x1 + 1) = (3, 2)", () => {
  const r = multipleOutputs(1, 2);
  assert.equal(r.gradBoth, [3, 2]);
  assert.equal(r.accumulated, [3, 2]);
});

test("jacrev of (x1 x2, x1 + x2) at (-3, 5) is [[5, -3], [1, 1]]", () => {
  const r = multipleOutputs(-3, 5);
  assert.equal(r.jacobian, [[5, -3], [1, 1]]);
  assert.equal(r.gradBoth, [6, -2]);
});

test.run();
