/**
 * Object parameters rewritten before checking: each field read becomes a
 * parameter of its own, destructured names read it, and the uses that
 * would make the rewrite differ from JavaScript are refused.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { lowerObjectParams } from "../../lib/source/object-params.ts";
import { checkFunction } from "../../lib/source/check.ts";
import { parseFunction } from "../../lib/source/parse.ts";

const lowered = (text: string) => lowerObjectParams(parseFunction(text));
const paramNames = (text: string) => (lowered(text).node.params as unknown as { name: string }[]).map((p) => p.name);

test("a function without field reads is left as it is", () => {
  const node = parseFunction("function f(x, n) { return x[0] * n; }");
  const out = lowerObjectParams(node);
  assert.is(out.node, node);
  assert.equal(out.objects, []);
});

test("fields read as p.f and destructured become parameters after the written ones, in key order", () => {
  const text = "function f(p, x, q) { const { w, b: bias } = p; return w[0] * x[0] + bias + p.scale + q.k; }";
  assert.equal(lowered(text).objects, [
    { name: "p", fields: [{ key: "b", param: "p$b" }, { key: "scale", param: "p$scale" }, { key: "w", param: "p$w" }], list: false },
    { name: "q", fields: [{ key: "k", param: "q$k" }], list: false },
  ]);
  assert.equal(paramNames(text), ["p", "x", "q", "p$b", "p$scale", "p$w", "q$k"]);
});

test("the checker sees each field as a parameter of its kind, linked to its object", () => {
  const fn = checkFunction(parseFunction("function f(p, x) { const { w } = p; let s = p.b; for (let i = 0; i < x.length; i++) s += w[i][0] * x[i]; return s; }"), {});
  const byName = new Map(fn.params.map((p, k) => [p.name, { ...p, k }]));
  assert.equal(byName.get("p")!.object, { fields: [byName.get("p$b")!.k, byName.get("p$w")!.k] });
  assert.equal(byName.get("p$w")!.field, { of: 0, key: "w" });
  assert.ok(byName.get("p$w")!.matrix !== undefined, "w is indexed twice, so it is a matrix");
  assert.is(byName.get("p$b")!.array, false);
  // The matrix's sizes come after every field.
  assert.equal(fn.params.map((p) => p.name).slice(-2), ["p$w$rows", "p$w$cols"]);
});

test("a name destructured from an object is read in functions declared in f, and a property of the same spelling is left alone", () => {
  const { node } = lowered("function f(p, o) { const { a } = p; const g = (v) => v * a; return g(2) + o.a; }");
  const text = JSON.stringify(node.body);
  assert.ok(text.includes('"name":"p$a"'));
  assert.ok(text.includes('"name":"o$a"'), "o.a is o's own field");
  assert.not.ok(/"name":"a"/.test(text.replace(/"property":\{[^}]*\}/g, "")), "no read of the name a is left");
});

test("a nested field's path names its parameter; a part destructured then read further reads the whole path", () => {
  const text = "function f(p) { const { a } = p; return a.b * p.a.c + p.d; }";
  assert.equal(lowered(text).objects, [{ name: "p", fields: [{ key: "a.b", param: "p$a$b" }, { key: "a.c", param: "p$a$c" }, { key: "d", param: "p$d" }], list: false }]);
  assert.equal(paramNames(text), ["p", "p$a$b", "p$a$c", "p$d"]);
});

test.run();
