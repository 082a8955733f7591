/**
 * The plugin's tree walk: every node is visited once, parents first, and
 * `isReference` tells binding names from property names and labels.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "acorn";
import { walk, isReference, type N } from "../../../lib/source/plugin/walk.ts";

const program = (code: string) => parse(code, { ecmaVersion: "latest", sourceType: "module" }) as N;

function references(code: string): string[] {
  const out: string[] = [];
  walk(program(code), (n, parent) => void (n.type === "Identifier" && isReference(n, parent) && out.push(n.name)));
  return out;
}

test("walk visits parents before children and passes each node's parent", () => {
  const seen: string[] = [];
  walk(program("a + b;"), (n, parent) => void seen.push(`${n.type}<${parent?.type ?? "-"}`));
  assert.equal(seen, ["Program<-", "ExpressionStatement<Program", "BinaryExpression<ExpressionStatement", "Identifier<BinaryExpression", "Identifier<BinaryExpression"]);
});

test("property names, object keys and labels are not references; computed keys and shorthand values are", () => {
  assert.equal(references("o.a;"), ["o"]);
  assert.equal(references("o[a];"), ["o", "a"]);
  assert.equal(references("({ k: v });"), ["v"]);
  assert.equal(references("({ [k]: v });"), ["k", "v"]);
  assert.equal(references("({ s });"), ["s", "s"]); // key and value are one identifier node, visited as both
  assert.equal(references("l: for (;;) { break l; }"), []);
});

test.run();
