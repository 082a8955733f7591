import { test } from "uvu";
import * as assert from "uvu/assert";
import { variable, tensor, mul, add, sin, sum, matmul, relu, toDot, TypeMismatchError, type Var } from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";

interface DotNode { id: string; label: string[]; attrs: string }

/** Reads the node and edge statements of toDot's output (a strict reading: every line must be one of the known forms). */
function parseDot(dot: string): { nodes: DotNode[]; edges: [string, string][] } {
  const lines = dot.trimEnd().split("\n");
  assert.is(lines[0], "digraph dualtape {");
  assert.is(lines[lines.length - 1], "}");
  const nodes: DotNode[] = [];
  const edges: [string, string][] = [];
  for (const line of lines.slice(1, -1)) {
    const n = /^ {2}(\w+) \[label="((?:[^"\\]|\\.)*)"(.*)\];$/.exec(line);
    const e = /^ {2}(\w+) -> (\w+);$/.exec(line);
    if (n) nodes.push({ id: n[1]!, label: n[2]!.split("\\n").map((s) => s.replace(/\\(.)/g, "$1")), attrs: n[3]! });
    else if (e) edges.push([e[1]!, e[2]!]);
    else assert.ok(/^ {2}(graph|node|edge) \[.*\];$/.test(line), `unexpected DOT line: ${line}`);
  }
  return { nodes, edges };
}

test("toDot(y) for a 2-layer net: one node per op and per leaf, edges from inputs to the ops that read them", () => {
  const X = tensor([[1, 2], [3, 4], [5, 6]]);
  const W1 = variable(tensor([[1, 0, 1], [0, 1, 1]]));
  const W2 = variable(tensor([[1], [2], [3]]));
  const y = sum(matmul(relu(matmul(X, W1)), W2)) as Var;
  const { nodes, edges } = parseDot(toDot(y, { names: { X, W1, W2, y } }));
  const title = new Map(nodes.map((n) => [n.id, n.label[0]!]));
  assert.equal(nodes.map((n) => n.label[0]).sort(), ["W1", "W2", "X", "matmul", "matmul", "relu", "y = sum"].sort());
  assert.equal(new Set(nodes.map((n) => n.id)).size, nodes.length, "unique ids");
  const named = edges.map(([a, b]) => `${title.get(a)} -> ${title.get(b)}`).sort();
  assert.equal(named, ["W1 -> matmul", "W2 -> matmul", "X -> matmul", "matmul -> relu", "matmul -> y = sum", "relu -> matmul"].sort());
  // the first matmul reads X and W1, the second relu and W2
  const first = edges.find(([a]) => title.get(a) === "X")![1];
  assert.equal(edges.filter(([, b]) => b === first).map(([a]) => title.get(a)).sort(), ["W1", "X"]);
});

test("toDot() shows shapes and marks which leaves require gradients", () => {
  const X = tensor([[1, 2], [3, 4]]);
  const W = variable(tensor([[1], [1]]));
  const y = matmul(X, W) as Var;
  const { nodes } = parseDot(toDot(y, { names: { X, W } }));
  const byTitle = new Map(nodes.map((n) => [n.label[0], n]));
  assert.equal(byTitle.get("W")!.label, ["W", "[2, 1]", "requires grad"]);
  assert.equal(byTitle.get("X")!.label, ["X", "[2, 2]", "no grad"]);
  assert.match(byTitle.get("X")!.attrs, /dashed/);
  assert.not.match(byTitle.get("W")!.attrs, /dashed/);
  assert.equal(byTitle.get("matmul")!.label, ["matmul", "[2, 1]"]);
  assert.ok(byTitle.get("W")!.attrs !== byTitle.get("X")!.attrs, "different colours");
  assert.match(byTitle.get("matmul")!.attrs, /penwidth=2/, "the output is emphasised");
});

test("toDot() lists number arguments in their op's box and draws an edge per use of a value", () => {
  const x = variable(2);
  const y = add(mul(x, x), mul(sin(x), 0.25)) as Var;
  const { nodes, edges } = parseDot(toDot(y));
  const input = nodes.find((n) => n.label[0] === "input")!;
  assert.is(edges.filter(([a]) => a === input.id).length, 3, "x -> mul twice, x -> sin once");
  assert.ok(nodes.some((n) => n.label.join("|") === "mul|scalar|with 0.25"));
});

test("toDot() escapes quotes, backslashes and line breaks in names", () => {
  const w = variable(1);
  const dot = toDot(mul(w, 2) as Var, { names: { 'a "b"\\c\nd': w } });
  const { nodes } = parseDot(dot);
  assert.equal(nodes.find((n) => n.label[1] === "d")!.label[0], 'a "b"\\c');
});

test("toDot() names itself in errors", () => {
  throwsKind(() => toDot({} as never), TypeMismatchError, "toDot", /expected a Var/);
});

test.run();
