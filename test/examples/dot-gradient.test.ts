import { test } from "uvu";
import * as assert from "uvu/assert";
import { dotGradient } from "../../examples/dot-gradient.ts";

test("grad(f)(x) equals 4x = [0, 4, 8, 12] for f = 2 dot(x, x) at x = arange(4)", () => {
  const r = dotGradient(4);
  assert.is(r.y, 28); // 2 (0 + 1 + 4 + 9)
  assert.equal(r.imperative.toArray(), [0, 4, 8, 12]);
  assert.equal(r.transform.toArray(), [0, 4, 8, 12]);
});

test("y.backward() for y = 2 dot(x, x) at arange(7) gives 4x", () => {
  const r = dotGradient(7);
  assert.is(r.y, 2 * (0 + 1 + 4 + 9 + 16 + 25 + 36));
  assert.equal(r.imperative.toArray(), [0, 4, 8, 12, 16, 20, 24]);
});

test.run();
