/**
 * The expressions that make a local array, told apart from the others.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { makesArray, madeArray, copyOf, fillOf } from "../../lib/source/array-makers.ts";
import { parseFunction } from "../../lib/source/parse.ts";
import type { N } from "../../lib/source/ast-rewrite.ts";

const expr = (text: string) => parseFunction(`(x, n) => ${text}`).body as N;

test("new Array(n) has holes, new Float64Array(n) none; other calls make no array", () => {
  assert.equal(madeArray(expr("new Array(n)"))?.holes, true);
  assert.equal(madeArray(expr("Array(n)"))?.holes, true);
  assert.equal(madeArray(expr("new Float64Array(n)"))?.holes, false);
  assert.is(madeArray(expr("Float64Array(n)")), null);
  assert.is(madeArray(expr("new Map(n)")), null);
});

test("copies name their source; fills their value; a fill of part of an array is refused", () => {
  assert.equal(["x.slice()", "[...x]", "Float64Array.from(x)", "Array.from(x)", "x.slice(1)", "[...x, 1]"].map((t) => copyOf(expr(t))?.name ?? null), ["x", "x", "x", "x", null, null]);
  assert.is(fillOf(expr("new Array(n).fill(2)"))!.value.value, 2);
  assert.is(fillOf(expr("x.fill(2)")), null);
  assert.throws(() => fillOf(expr("new Array(n).fill(2, 1)")), /this fill has 2 arguments; fill the whole array with one value/);
});

test("makesArray: literals, new expressions, copies and fills, not numbers or other calls", () => {
  assert.equal(["[1, 2]", "new Float64Array(n)", "x.slice()", "new Array(n).fill(0)", "x[0] * 2", "Math.sin(n)"].map((t) => makesArray(expr(t))), [true, true, true, true, false, false]);
});

test.run();
