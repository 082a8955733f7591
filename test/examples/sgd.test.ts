import { test } from "uvu";
import * as assert from "uvu/assert";
import { minimise } from "../../examples/sgd.ts";

// x_{k+1} = x_k − 0.01 (2 x_k − 2)  ⇒  1 − x_{k+1} = 0.98 (1 − x_k)  ⇒  x_k = 1 − 0.98^k
test("SGD(lr 0.01) on x² − 2x + 1 from 0 follows x_k = 1 − 0.98^k for 500 steps", () => {
  const xs = minimise(500, 0.01);
  assert.is(xs.length, 500);
  xs.forEach((x, i) => {
    const want = 1 - 0.98 ** (i + 1);
    assert.ok(Math.abs(x - want) < 1e-12, `step ${i + 1}: ${x} vs ${want}`);
  });
  assert.ok(Math.abs(xs[499]! - 1) < 5e-5);
});

test.run();
