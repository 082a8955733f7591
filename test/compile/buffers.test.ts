import { test } from "uvu";
import * as assert from "uvu/assert";
import { assign } from "../../lib/compile/buffers.ts";

test("buffers whose lifetimes do not overlap share one pooled buffer; overlapping ones do not", () => {
  const a = assign([{ size: 4, start: 0, end: 1 }, { size: 4, start: 2, end: 3 }, { size: 4, start: 1, end: 2 }]);
  assert.equal(a.sizes, [4, 4]);
  assert.is(a.slot[0], a.slot[1]);
  assert.is.not(a.slot[2], a.slot[0]);
});

test("a buffer freed at step t is not reused by a request starting at t (both are live in that step)", () => {
  const a = assign([{ size: 2, start: 0, end: 3 }, { size: 2, start: 3, end: 5 }]);
  assert.is(a.sizes.length, 2);
});

test("only buffers of the same size are shared", () => {
  const a = assign([{ size: 2, start: 0, end: 0 }, { size: 3, start: 1, end: 1 }]);
  assert.equal(a.sizes, [2, 3]);
});

test.run();
