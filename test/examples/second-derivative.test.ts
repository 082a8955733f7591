import { test } from "uvu";
import * as assert from "uvu/assert";
import { secondDerivative } from "../../examples/second-derivative.ts";

// f(x) = x² − 2x + 1: f'(x) = 2x − 2, f''(x) = 2
test("secondDerivative(0) gives f'(0) = -2 and f''(0) = 2 by gradients, backward and derivative", () => {
  const r = secondDerivative(0);
  assert.equal(r.viaGradients, [-2, 2]);
  assert.equal(r.viaBackward, [-2, 2]);
  assert.equal(r.viaDerivative, [-2, 2]);
});

test("secondDerivative(3) gives f'(3) = 4 and f''(3) = 2", () => {
  const r = secondDerivative(3);
  assert.equal(r.viaGradients, [4, 2]);
  assert.equal(r.viaBackward, [4, 2]);
  assert.equal(r.viaDerivative, [4, 2]);
});

test.run();
