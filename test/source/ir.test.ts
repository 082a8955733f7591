/**
 * The intermediate form's shared walks: operands in evaluation order, a map
 * over operands, visiting parents first, names read, and node replacement.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { findOp } from "../../lib/source/registry.ts";
import { operandsOf, mapOperands, visitExpr, namesIn, replaceNodes, type Expr } from "../../lib/source/ir.ts";

const v = (name: string): Expr => ({ k: "var", name });
const num = (x: number): Expr => ({ k: "num", v: x });
const op = (name: string, ...args: Expr[]): Expr => ({ k: "op", op: findOp(name)!, args });
const read = (arr: string, index: Expr): Expr => ({ k: "read", arr, index });

// x[i + 1] * h < 2 ? -y : 3
const e: Expr = { k: "cond", test: { k: "rel", rel: "<", a: op("mul", read("x", op("add", v("i"), num(1))), v("h")), b: num(2) }, a: op("neg", v("y")), b: num(3) };

test("operandsOf lists each kind's operands in evaluation order; leaves have none", () => {
  assert.equal(operandsOf(e).length, 3);
  assert.equal(operandsOf(read("x", v("i"))), [v("i")]);
  assert.equal(operandsOf({ k: "not", a: v("p") }), [v("p")]);
  assert.equal(operandsOf(v("i")), []);
  assert.equal(operandsOf({ k: "len", arr: "x" }), []);
});

test("visitExpr visits parents before their operands, every node once", () => {
  const kinds: string[] = [];
  visitExpr(e, (x) => kinds.push(x.k === "var" ? x.name : x.k));
  assert.equal(kinds, ["cond", "rel", "op", "read", "op", "i", "num", "h", "num", "op", "y", "num"]);
  assert.equal([...namesIn(e)], ["i", "h", "y"]);
});

test("mapOperands rebuilds one level; a recursive map reaches every literal", () => {
  const bump = (x: Expr): Expr => (x.k === "num" ? num(x.v + 10) : mapOperands(x, bump));
  const nums: number[] = [];
  visitExpr(bump(e), (x) => { if (x.k === "num") nums.push(x.v); });
  assert.equal(nums, [11, 12, 13]);
  const leaf = v("q");
  assert.is(mapOperands(leaf, bump), leaf);
});

test("replaceNodes puts a name where a given node was, by identity", () => {
  const inner = (e as Expr & { k: "cond" }).a;
  const out = replaceNodes(e, new Map([[inner, "$t0"]]));
  assert.equal((out as Expr & { k: "cond" }).a, v("$t0"));
  assert.equal(replaceNodes(e, new Map([[op("neg", v("y")), "$t0"]])), e, "an equal but different node is not replaced");
});

test.run();
