/**
 * Object arguments laid out for the generated code: each object as 0 and
 * its fields appended, values per wrt entry spread per field, and results
 * gathered back into objects.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { objectCall } from "../../lib/source/object-args.ts";
import { checkFunction } from "../../lib/source/check.ts";
import { parseFunction } from "../../lib/source/parse.ts";

const fnOf = (text: string) => checkFunction(parseFunction(text), {});
/** The generated wrt list for the caller's wrt, as compile expands it. */
const expand = (fn: ReturnType<typeof fnOf>, wrt: number[]) => wrt.flatMap((k) => fn.params[k]!.object?.fields ?? [k]);

test("a function without objects passes its arguments through (no object call)", () => {
  assert.is(objectCall(fnOf("function f(x, n) { return x[0] * n; }"), [0]), null);
});

test("lower puts 0 in the object's place and appends its fields in key order", () => {
  const fn = fnOf("function f(p, x) { return p.w[0] * x[0] + p.b; }");
  assert.equal(fn.params.map((p) => p.name), ["p", "x", "p$b", "p$w"]);
  const O = objectCall(fn, expand(fn, [0, 1]))!;
  assert.equal(O.lower([{ w: [1, 2], b: 3, note: "unread" }, [4]], "api"), [0, [4], 3, [1, 2]]);
  assert.throws(() => O.lower([{ w: [1, 2] }, [4]], "api"), /argument 0 \('p'\) has p\.b = undefined, not a number; give p\.b a number/);
});

test("values per wrt entry are spread per field, and results gathered back per entry", () => {
  const fn = fnOf("function f(x, p) { return p.w[0] * x[0] + p.b; }");
  const O = objectCall(fn, expand(fn, [1, 0]))!;
  assert.is(O.slots, 2);
  // The object first (wrt [1, 0]), its fields b, w, then x.
  assert.equal(O.spread([{ b: 1, w: [2] }, [3]], "tangent", "api"), [1, [2], [3]]);
  assert.equal(O.gather(["gb", "gw", "gx"]), [{ b: "gb", w: "gw" }, "gx"]);
  const buffer = new Float64Array(1);
  assert.equal(O.spreadInto([{ b: null, w: buffer }, null], "api"), [null, buffer, null]);
  assert.throws(() => O.spread([{ b: 1 }, [3]], "tangent", "api"), /tangent 0 has no field 'w'; pass an object with the fields \{ b, w \}/);
  assert.throws(() => O.spreadInto({ b: null, w: buffer }, "api"), /into is Object; pass an array with one entry per wrt argument/);
});

test("with the object alone in wrt, into is the object itself", () => {
  const fn = fnOf("function f(p) { return p.a * p.a; }");
  const O = objectCall(fn, expand(fn, [0]))!;
  assert.equal([O.slots, O.spreadInto({ a: null }, "api"), O.gather([6])], [1, null, [{ a: 6 }]]);
});

test("an array of objects is laid out as one Float64Array per field; its gradient gathered back into objects, its Jacobian blocks per field", () => {
  const fn = fnOf("function f(a) { return a[0].x * a[1].y; }");
  assert.equal(fn.params.map((p) => p.name), ["a", "a$x", "a$y"]);
  const O = objectCall(fn, expand(fn, [0]))!;
  const [zero, xs, ys] = O.lower([[{ x: 1, y: 2 }, { x: 3, y: 4 }]], "api") as [number, Float64Array, Float64Array];
  assert.equal([zero, Array.from(xs), Array.from(ys)], [0, [1, 3], [2, 4]]);
  assert.equal(O.gather([Float64Array.from([5, 6]), Float64Array.from([7, 8])]), [[{ x: 5, y: 7 }, { x: 6, y: 8 }]]);
  assert.equal(O.gather([[[5, 6]], [[7, 8]]], true), [{ x: [[5, 6]], y: [[7, 8]] }]);
  const [tx, ty] = O.spread([[{ x: 1, y: 0 }, { x: 0, y: 1 }]], "tangent", "api") as Float64Array[];
  assert.equal([Array.from(tx!), Array.from(ty!)], [[1, 0], [0, 1]]);
  assert.throws(() => O.lower([[{ x: 1, y: 2 }, { x: 3 }]], "api"), /argument 0 \('a'\) has a\[1\]\.y = undefined, not a number; give every element of a a number y/);
});

test.run();
