/**
 * Matrix arguments laid out for the generated code: entries row by row, the
 * sizes after the caller's arguments, and gradients laid back out as rows.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { matrixCall } from "../../lib/source/matrix-args.ts";
import { checkFunction } from "../../lib/source/check.ts";
import { parseFunction } from "../../lib/source/parse.ts";

const fnOf = (text: string) => checkFunction(parseFunction(text), {});

test("a function without matrices passes its arguments through (no matrix call)", () => {
  assert.is(matrixCall(fnOf("function f(x, n) { return x[0] * n; }")), null);
});

test("lower lays a matrix out row by row and appends its row count and row length", () => {
  const fn = fnOf("function f(w, x) { return w[1][0] * x[0] + w.length; }");
  assert.equal(fn.params.map((p) => p.name), ["w", "x", "w$rows", "w$cols"]);
  const { args, shapes } = matrixCall(fn)!.lower([[[1, 2, 3], [4, 5, 6]], [7]], "api");
  assert.equal(Array.from(args[0] as Float64Array), [1, 2, 3, 4, 5, 6]);
  assert.equal(args.slice(1), [[7], 2, 3]);
  assert.equal(shapes.get(0), { rows: 2, cols: 3, plain: true });
});

test("an empty matrix has no rows and no entries", () => {
  const { args } = matrixCall(fnOf("function f(w) { return w.length > 0 ? w[0][0] : 0; }"))!.lower([[]], "api");
  assert.equal([Array.from(args[0] as Float64Array), args[1], args[2]], [[], 0, 0]);
});

test("raise lays a gradient back out as rows of the argument's kind, and leaves a caller's buffer as it is", () => {
  const fn = fnOf("function f(w) { return w[0][0]; }");
  fn.params[0]!.wrt = 0;
  const M = matrixCall(fn)!;
  const flat = Float64Array.from([1, 2, 3, 4]);
  const plain = M.lower([[[0, 0], [0, 0]]], "api").shapes;
  assert.equal(M.raise([flat], plain), [[[1, 2], [3, 4]]]);
  const typed = M.lower([[new Float64Array(2), new Float64Array(2)]], "api").shapes;
  const rows = M.raise([flat], typed)[0] as Float64Array[];
  assert.instance(rows[1], Float64Array);
  assert.equal(Array.from(rows[1]!), [3, 4]);
  assert.is(M.raise([flat], plain, [flat])[0], flat);
});

test("lowerTangents takes rows of the argument's shape or its entries in one Float64Array", () => {
  const fn = fnOf("function f(w) { return w[0][0]; }");
  fn.params[0]!.wrt = 0;
  const M = matrixCall(fn)!;
  const { shapes } = M.lower([[[0, 0, 0]]], "api");
  assert.equal(Array.from(M.lowerTangents([[[1, 2, 3]]], shapes, "api")[0] as Float64Array), [1, 2, 3]);
  const flat = Float64Array.from([4, 5, 6]);
  assert.is(M.lowerTangents([flat], shapes, "api")[0], flat);
  assert.throws(() => M.lowerTangents([[[1, 2]]], shapes, "api"), /tangent 0 has 1 rows of 2, but 'w' has 1 of 3/);
});

test.run();
