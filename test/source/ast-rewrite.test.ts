/**
 * The helpers that rewrite the parsed function: names against property
 * names and declarations, and copies with marked nodes replaced, leaving
 * the parsed nodes as they were.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { walk, isPropertyName, isDeclaration, declaredNames, rebuild, identifier, type N, type Replacement } from "../../lib/source/ast-rewrite.ts";
import { parseFunction } from "../../lib/source/parse.ts";

const bodyOf = (text: string) => parseFunction(text).body as N;

test("names read as variables, against property names and declarations", () => {
  const body = bodyOf("function f(p) { const { a: b } = p; return p.a + b; }");
  const reads: string[] = [];
  walk(body, (m, parent, key) => { if (m.type === "Identifier" && !isPropertyName(parent, key) && !isDeclaration(parent, key)) reads.push(m.name); });
  assert.equal(reads, ["p", "p", "b"]);
  assert.equal([...declaredNames(bodyOf("function f(x) { let i = 0; const g = (v) => v; function h(w) { return w; } return i; }")).keys()].sort(), ["g", "h", "i", "v", "w"]);
});

test("rebuild replaces marked nodes in a copy, flattens lists, drops nodes and leaves the parsed body as it was", () => {
  const body = bodyOf("function f(p) { const a = 1, b = 2; return p.x + a; }");
  const before = JSON.stringify(body);
  const [declaration, ret] = body.body as N[];
  const member = (ret!.argument as N).left as N;
  const replace = new Map<N, Replacement>([
    [member, () => identifier("p$x", member)],
    [declaration!.declarations[0] as N, () => [declaration!.declarations[0] as N, declaration!.declarations[0] as N]],
  ]);
  const out = rebuild(body, replace, new Set([declaration!.declarations[1] as N]));
  assert.equal(((out.body as N[])[0]!.declarations as N[]).map((d) => d.id.name), ["a", "a"]);
  assert.is(((out.body as N[])[1]!.argument as N).left.name, "p$x");
  assert.is(JSON.stringify(body), before);
  // A declaration left without declarators is an empty statement.
  const gone = rebuild(body, new Map(), new Set(declaration!.declarations as N[]));
  assert.is((gone.body as N[])[0]!.type, "EmptyStatement");
});

test.run();
