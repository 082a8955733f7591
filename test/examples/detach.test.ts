import { test } from "uvu";
import * as assert from "uvu/assert";
import { detachExample } from "../../examples/detach.ts";

test("d sum(u * x)/dx equals u = x² for u = (x * x).detach(), while d sum(x * x)/dx is 2x", () => {
  const r = detachExample(4);
  assert.equal(r.u.toArray(), [0, 1, 4, 9]);
  assert.is(r.uRequiresGrad, false);
  assert.equal(r.gradThroughDetached.toArray(), [0, 1, 4, 9]);
  assert.equal(r.gradOfY.toArray(), [0, 2, 4, 6]);
});

test.run();
