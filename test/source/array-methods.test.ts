/**
 * reduce, forEach and map read as loops (array-methods.ts): the intermediate form they become
 * (their derivatives are checked in compile.test.ts, their refusals in
 * check.test.ts).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { arrayMethodOf } from "../../lib/source/check-expr.ts";
import { checkFunction } from "../../lib/source/check.ts";
import { parseFunction } from "../../lib/source/parse.ts";
import type { Stmt } from "../../lib/source/ir.ts";
import type { N } from "../../lib/source/ast-rewrite.ts";

const bodyOf = (text: string): Stmt[] => checkFunction(parseFunction(text), {}).body;

test("arrayMethodOf names reduce, forEach and map called on a name, and nothing else", () => {
  const call = (text: string) => (parseFunction(`(x) => ${text}`).body as N);
  assert.equal(["x.reduce((a, v) => a + v, 0)", "x.forEach((v) => v)", "x.map((v) => v)", "x.filter((v) => v)", "Math.max(1, 2)", "x[0].map(1)"].map((t) => arrayMethodOf(call(t))),
    ["reduce", "forEach", "map", null, null, null]);
});

test("reduce sets the accumulator to its initial value, then loops over the array's length", () => {
  const [init, start, loop] = bodyOf("function f(x) { return x.reduce((a, v) => a + v, 2); }");
  assert.equal(init, { k: "assign", name: "$c0", value: { k: "num", v: 2 } });
  assert.equal((start as Stmt & { k: "assign" }).value, { k: "num", v: 0 });
  const l = loop as Stmt & { k: "loop" };
  assert.equal(l.test, { k: "rel", rel: "<", a: { k: "var", name: (start as Stmt & { k: "assign" }).name }, b: { k: "len", arr: "x" } });
  // The last statement of the body sets the accumulator to the function's value for this element.
  assert.equal((l.body[l.body.length - 1] as Stmt & { k: "assign" }).name, "$c0");
});

test("map allocates an array of the source's length and stores each element's value", () => {
  const [alloc, , loop] = bodyOf("function f(x) { const y = x.map((v) => v * 2); return y[0]; }");
  assert.equal(alloc, { k: "alloc", arr: "y", size: { k: "len", arr: "x" } });
  const l = loop as Stmt & { k: "loop" };
  assert.is((l.body[l.body.length - 1] as Stmt).k, "store");
});

test.run();
