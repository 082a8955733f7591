import { test } from "uvu";
import * as assert from "uvu/assert";
import { nodeLines, nodeStyle, legendEntries } from "../../lib/graph/style.ts";
import type { GraphNode } from "../../lib/graph/read.ts";

const node = (over: Partial<GraphNode>): GraphNode => ({
  id: "n0", kind: "op", op: "mul", name: null, shape: "[2]", requiresGrad: true, output: false, freed: false, constants: [], ...over,
});

test("nodeLines() gives an op its name, shape and number arguments, and a leaf its gradient status", () => {
  assert.equal(nodeLines(node({})), ["mul", "[2]"]);
  assert.equal(nodeLines(node({ constants: ["2", "0.5"] })), ["mul", "[2]", "with 2, 0.5"]);
  assert.equal(nodeLines(node({ name: "h" })), ["h = mul", "[2]"]);
  assert.equal(nodeLines(node({ freed: true })), ["mul", "[2]", "freed by backward()"]);
  assert.equal(nodeLines(node({ kind: "input", op: null })), ["input", "[2]", "requires grad"]);
  assert.equal(nodeLines(node({ kind: "constant", op: null, requiresGrad: false, name: "X" })), ["X", "[2]", "no grad"]);
  assert.equal(nodeLines(node({ kind: "freed", op: null, requiresGrad: false })), ["freed value", "[2]", "graph freed"]);
});

test("nodeStyle() tells inputs that require grad, ops, outputs and constants apart, as the legend says", () => {
  const legend = new Map(legendEntries().map((e) => [e.label, e.style]));
  assert.is(nodeStyle(node({ kind: "input", op: null })), legend.get("input, requires grad"));
  assert.is(nodeStyle(node({})), legend.get("op (gradFn)"));
  assert.is(nodeStyle(node({ output: true })), legend.get("output"));
  assert.is(nodeStyle(node({ kind: "constant", op: null, requiresGrad: false })), legend.get("constant, no grad"));
  assert.ok(nodeStyle(node({ kind: "constant", requiresGrad: false })).dashed);
  const fills = legendEntries().map((e) => `${e.style.fill} ${e.style.dashed}`);
  assert.is(new Set(fills).size, fills.length, "distinct styles");
});

test.run();
