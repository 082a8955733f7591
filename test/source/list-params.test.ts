/**
 * Arrays of objects rewritten before checking: a[i].x as a$x[i], a loop
 * over the array as a counted loop on a name of its own, a destructured
 * element as copies of its fields.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { listUses } from "../../lib/source/list-params.ts";
import { lowerObjectParams } from "../../lib/source/object-params.ts";
import { parseFunction } from "../../lib/source/parse.ts";
import type { N } from "../../lib/source/ast-rewrite.ts";

/** The rewritten body as JavaScript-like text: enough to read what each use became. */
function text(n: N): string {
  switch (n.type) {
    case "Identifier": return n.name;
    case "Literal": return String(n.raw);
    case "MemberExpression": return n.computed ? `${text(n.object)}[${text(n.property)}]` : `${text(n.object)}.${text(n.property)}`;
    case "BinaryExpression": return `${text(n.left)} ${n.operator} ${text(n.right)}`;
    case "AssignmentExpression": return `${text(n.left)} ${n.operator} ${text(n.right)}`;
    case "UpdateExpression": return `${text(n.argument)}${n.operator}`;
    case "VariableDeclaration": return `${n.kind} ${(n.declarations as N[]).map((d) => `${text(d.id)} = ${text(d.init)}`).join(", ")};`;
    case "ExpressionStatement": return `${text(n.expression)};`;
    case "ReturnStatement": return `return ${text(n.argument)};`;
    case "BlockStatement": return `{ ${(n.body as N[]).map(text).join(" ")} }`;
    case "ForStatement": return `for (${text(n.init)} ${text(n.test)}; ${text(n.update)}) ${text(n.body)}`;
    default: return n.type;
  }
}
const rewritten = (source: string) => text(lowerObjectParams(parseFunction(source)).node.body as N);

test("a[i].x reads a$x[i], and a.length the first field's length", () => {
  assert.is(rewritten("function f(a) { let s = 0; s = a[1].y * a.length; return a[0].x + s; }"), "{ let s = 0; s = a$y[1] * a$x.length; return a$x[0] + s; }");
});

test("for...of over the array counts a name of its own; nested loops get two; a pattern in the head declares copies", () => {
  assert.is(rewritten("function f(a) { let s = 0; for (const p of a) for (const q of a) s += p.x * q.y; return s; }"),
    "{ let s = 0; for (let a_i = 0; a_i < a$x.length; a_i++) { for (let a_i2 = 0; a_i2 < a$x.length; a_i2++) { s += a$x[a_i] * a$y[a_i2]; } } return s; }");
  assert.is(rewritten("function f(a) { let s = 0; for (const { x, y: b } of a) s += x * b; return s; }"),
    "{ let s = 0; for (let a_i = 0; a_i < a$x.length; a_i++) { const x = a$x[a_i]; const b = a$y[a_i]; s += x * b; } return s; }");
  // A name the function uses is not taken for the counter.
  assert.match(rewritten("function f(a) { let a_i = 1; for (const p of a) a_i += p.x; return a_i; }"), /for \(let a_i2 = 0; a_i2 < a\$x\.length; a_i2\+\+\)/);
});

test("a destructured element copies each field at the element's index", () => {
  assert.is(rewritten("function f(a, i) { const { x, y: b } = a[i + 1]; return x * b; }"), "{ const x = a$x[i + 1], b = a$y[i + 1]; return x * b; }");
});

test("a named element's index is computed once into a name of its own, and its fields read there", () => {
  assert.is(rewritten("function f(a, i) { const p = a[i + 1]; i = 0; return p.x * p.y; }"), "{ const p_at = i + 1; i = 0; return a$x[p_at] * a$y[p_at]; }");
});

test("an array only counted by a loop, or indexed as a matrix, is no array of objects", () => {
  const body = (s: string) => parseFunction(s).body as N;
  assert.is(listUses(body("function f(a) { let s = 0; for (const v of a) s += v; return s; }"), "a"), null);
  assert.is(listUses(body("function f(w) { return w[0][1] * w[0].length; }"), "w"), null);
});

test.run();
