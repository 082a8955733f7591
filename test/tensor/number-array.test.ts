import { test } from "uvu";
import * as assert from "uvu/assert";
import { numberArray } from "../../lib/tensor/number-array.ts";

test("copies every element, in order, into a plain array", () => {
  const src = new Float64Array([1.5, -0, NaN, Infinity, 3]);
  const out = numberArray(src);
  assert.ok(Array.isArray(out), "a number[]");
  assert.is(out.length, 5);
  assert.ok(Object.is(out[1], -0), "-0 kept");
  assert.ok(Number.isNaN(out[2]), "NaN kept");
  assert.equal([out[0], out[3], out[4]], [1.5, Infinity, 3]);
  src[0] = 9;
  assert.is(out[0], 1.5, "a copy, not a view");
});

test("an empty array gives an empty array; subarray views copy only their window", () => {
  assert.equal(numberArray(new Float64Array(0)), []);
  assert.equal(numberArray(new Float64Array([1, 2, 3, 4]).subarray(1, 3)), [2, 3]);
});

test.run();
