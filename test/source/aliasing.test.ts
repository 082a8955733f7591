/**
 * Arrays passed twice where f writes one: the same array, overlapping
 * typed-array views, a matrix row; apart (or read only) they pass.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkAliasing } from "../../lib/source/aliasing.ts";
import { checkFunction } from "../../lib/source/check.ts";
import { parseFunction } from "../../lib/source/parse.ts";

const fnOf = (text: string) => checkFunction(parseFunction(text), {});
const writesA = fnOf("function f(a, b) { a[0] = 1; return b[0]; }");

test("the same array, or overlapping views of one buffer, beside an array f writes is refused", () => {
  const x = new Float64Array(4);
  assert.throws(() => checkAliasing(writesA, [x, x], "api"), /api: 'b' and 'a' are the same array \(or share memory\), and f writes 'a'/);
  assert.throws(() => checkAliasing(writesA, [x.subarray(0, 2), x.subarray(1, 3)], "api"), /'b' and 'a' are the same array/);
  const list = [1, 2];
  assert.throws(() => checkAliasing(writesA, [list, list], "api"), /'b' and 'a'/);
});

test("disjoint views of one buffer, separate arrays, and arrays f only reads pass", () => {
  const x = new Float64Array(4);
  assert.not.throws(() => checkAliasing(writesA, [x.subarray(0, 2), x.subarray(2, 4)], "api"));
  assert.not.throws(() => checkAliasing(writesA, [[1], [1]], "api"));
  assert.not.throws(() => checkAliasing(fnOf("function f(a, b) { return a[0] * b[0]; }"), [x, x], "api"));
});

test("a matrix f writes, with one of its rows passed again, is refused", () => {
  const fn = fnOf("function f(m, r) { m[0][0] = 1; return r[0] * m.length; }");
  const m = [[1, 2], [3, 4]];
  assert.throws(() => checkAliasing(fn, [m, m[1]], "api"), /'r' and 'm' are the same array \(or share memory\), and f writes 'm'/);
  assert.not.throws(() => checkAliasing(fn, [m, [3, 4]], "api"));
});

test.run();
