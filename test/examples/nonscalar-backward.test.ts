import { test } from "uvu";
import * as assert from "uvu/assert";
import { nonscalarBackward } from "../../examples/nonscalar-backward.ts";

test("(x * x).backward() without a seed reports the shape and tells to pass a seed", () => {
  const r = nonscalarBackward();
  assert.match(r.message, /^backward: the output is a Tensor of shape \[4\], not a scalar.*; pass a seed/);
});

test("y.backward(ones) equals sum(y).backward(): 2x for y = x * x at arange(4)", () => {
  const r = nonscalarBackward();
  assert.equal(r.seeded.toArray(), [0, 2, 4, 6]);
  assert.equal(r.summed.toArray(), [0, 2, 4, 6]);
});

test("f(x).backward(ones) for f = x² − 2x + 1 at [[0, 0], [1, 2]] is 2x − 2 = [[−2, −2], [0, 2]], as sum(f(x) * seed)", () => {
  const r = nonscalarBackward();
  assert.equal(r.fSeeded.toArray(), [[-2, -2], [0, 2]]);
  assert.equal(r.fSummed.toArray(), [[-2, -2], [0, 2]]);
});

test.run();
