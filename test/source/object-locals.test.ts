/**
 * Local objects rewritten before checking: one local per field, field
 * reads and writes of those locals, destructurings as copies.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { lowerObjectParams } from "../../lib/source/object-params.ts";
import { parseFunction } from "../../lib/source/parse.ts";
import type { N } from "../../lib/source/ast-rewrite.ts";

/** The names each statement of the rewritten body declares, and the names it assigns. */
function declared(source: string): string[] {
  const body = lowerObjectParams(parseFunction(source)).node.body as N;
  return (body.body as N[]).map((st) => {
    if (st.type === "VariableDeclaration") return `${st.kind} ${(st.declarations as N[]).map((d) => d.id.name).join(", ")}`;
    if (st.type === "ExpressionStatement") return `set ${st.expression.left.name ?? st.expression.left.object?.name}`;
    return st.type;
  });
}

test("an object's numbers become one let, its arrays each a const, its field writes assignments of those locals", () => {
  assert.equal(declared("function f(x) { const o = { a: x, w: new Float64Array(2), b: 1 }; o.a = 2; o.w[0] = 1; return o.a + o.b; }"),
    ["let o_a, o_b", "const o_w", "set o_a", "set o_w", "ReturnStatement"]);
});

test("a field holding a copy or a filled array is a const local array too", () => {
  assert.equal(declared("function f(x) { const o = { c: x.slice(), z: new Array(2).fill(1), s: 0 }; return o.c[0] + o.z[1] + o.s; }"), ["let o_s", "const o_c", "const o_z", "ReturnStatement"]);
});

test("a destructuring of a local object declares copies of its fields", () => {
  assert.equal(declared("function f(x) { const o = { a: x, b: 2 }; const { a, b: c } = o; return a * c; }"), ["let o_a, o_b", "const a, c", "ReturnStatement"]);
});

test("a field's local takes a name no identifier of f spells", () => {
  assert.equal(declared("function f(x) { const o_a = 1; const o = { a: x }; return o.a + o_a; }"), ["const o_a", "let o_a2", "ReturnStatement"]);
});

test.run();
