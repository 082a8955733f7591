import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { mlpGraph, GRAPH_SVG } from "../../examples/graph.ts";
import { parseXml, findAll } from "../support/xml.ts";

// loss = mean((relu(X W1 + b1) W2 - y)²) + 0.01 sum(W1²): by hand, the recorded ops are
// matmul, add, relu, matmul, sub, square, mean (the fit) and square, sum, mul (the penalty) and add.
const OPS = ["matmul", "add", "relu", "matmul", "sub", "square", "mean", "square", "sum", "mul", "loss = add"];
const EDGES = [
  "X -> matmul", "W1 -> matmul", "matmul -> add", "b1 -> add", "add -> relu", "relu -> matmul", "W2 -> matmul",
  "matmul -> sub", "y -> sub", "sub -> square", "square -> mean", "W1 -> square", "square -> sum", "sum -> mul",
  "mean -> loss = add", "mul -> loss = add",
];

function titles(dot: string): Map<string, string[]> {
  return new Map([...dot.matchAll(/^ {2}(\w+) \[label="([^"]*)"/gm)].map((m) => [m[1]!, m[2]!.split("\\n")]));
}

test("examples/graph: the DOT text has every op and leaf of the MLP loss and an edge per argument", () => {
  const { dot } = mlpGraph();
  const t = titles(dot);
  const labels = [...t.values()];
  assert.equal(labels.filter((l) => l.length === 2 || l[2]!.startsWith("with")).map((l) => l[0]).sort(), [...OPS].sort());
  const edges = [...dot.matchAll(/^ {2}(\w+) -> (\w+);/gm)].map((m) => `${t.get(m[1]!)![0]} -> ${t.get(m[2]!)![0]}`);
  assert.equal(edges.sort(), [...EDGES].sort());
});

test("examples/graph: the weights are marked as requiring gradients and the data as constants, with their shapes", () => {
  const t = [...titles(mlpGraph().dot).values()];
  const find = (name: string) => t.find((l) => l[0] === name)!;
  assert.equal(find("W1"), ["W1", "[3, 4]", "requires grad"]);
  assert.equal(find("b1"), ["b1", "[4]", "requires grad"]);
  assert.equal(find("W2"), ["W2", "[4, 1]", "requires grad"]);
  assert.equal(find("X"), ["X", "[8, 3]", "no grad"]);
  assert.equal(find("y"), ["y", "[8, 1]", "no grad"]);
  assert.equal(find("mul"), ["mul", "scalar", "with 0.01"]);
});

test("examples/graph: the SVG draws the same graph and docs/graph.svg is the current picture", () => {
  const { svg, loss } = mlpGraph();
  const root = parseXml(svg);
  const nodes = findAll(root, "g").filter((g) => g.attrs.class === "node");
  assert.is(nodes.length, OPS.length + 5);
  assert.is(findAll(root, "path").filter((p) => p.attrs.class === "edge").length, EDGES.length);
  assert.equal(nodes.filter((g) => g.attrs["data-requires-grad"] === "true" && g.attrs["data-kind"] === "input").map((g) => findAll(g, "text")[0]!.text).sort(), ["W1", "W2", "b1"]);
  assert.ok(typeof loss.value === "number" && Number.isFinite(loss.value));
  assert.ok(readFileSync(GRAPH_SVG, "utf8") === svg, "docs/graph.svg is out of date: run `npx tsx examples/graph.ts`");
  assert.ok(mlpGraph().svg === svg, "the picture does not depend on what the tape recorded before");
});

test.run();
