import { test } from "uvu";
import * as assert from "uvu/assert";
import { variable, tensor, mul, add, sin, sum, matmul, grad, GraphError, TypeMismatchError, type Var, type Lifted, type Value } from "../../lib/index.ts";
import { readGraph, type Graph, type GraphNode } from "../../lib/graph/read.ts";
import { throwsKind } from "../support/errors.ts";
import { toSvg, toDot } from "../../lib/index.ts";

/** Edges as "from -> to" with nodes written by a label of the test's choosing. */
function edgeList(g: Graph, label: (n: GraphNode) => string): string[] {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  return g.edges.map((e) => `${label(byId.get(e.from)!)} -> ${label(byId.get(e.to)!)}`).sort();
}

test("readGraph(y) for y = sin(x) * (x * x) has one node per op and per leaf, and an edge per argument", () => {
  const x = variable(2);
  const inner = mul(x, x) as Var;
  const y = mul(sin(x), inner) as Var;
  const g = readGraph(y, { names: { x, inner, y } });
  // recording order: inner is computed before sin(x)
  assert.equal(g.nodes.map((n) => n.name ?? n.op), ["x", "inner", "sin", "y"]);
  assert.equal(g.nodes.map((n) => n.kind), ["input", "op", "op", "op"]);
  assert.equal(g.nodes.map((n) => n.op), [null, "mul", "sin", "mul"]);
  const label = (n: GraphNode) => n.name ?? n.op!;
  assert.equal(edgeList(g, label), ["inner -> y", "sin -> y", "x -> inner", "x -> inner", "x -> sin"]);
  assert.equal(g.nodes.map((n) => n.output), [false, false, false, true]);
  assert.ok(g.nodes.every((n) => n.requiresGrad));
  assert.ok(g.nodes.every((n) => n.shape === "scalar"));
});

test("readGraph() leaves out recorded entries the outputs do not depend on", () => {
  const a = variable(1);
  const b = variable(2);
  mul(b, 3); // recorded on the same tape, not an argument of y
  const y = sin(a) as Var;
  assert.equal(readGraph(y).nodes.map((n) => n.op ?? n.kind), ["input", "sin"]);
});

test("readGraph() makes constant Tensors nodes without grad (one per object) and keeps numbers in their op", () => {
  const W = variable(tensor([[1, 2], [3, 4]]));
  const X = tensor([[1, 0], [0, 1]]);
  const h = add(matmul(X, W), X);               // X is read twice: one node, two edges
  const y = mul(sum(h), 0.5) as Var;
  const g = readGraph(y, { names: { W, X } });
  const X_ = g.nodes.find((n) => n.name === "X")!;
  assert.is(X_.kind, "constant");
  assert.not.ok(X_.requiresGrad);
  assert.is(X_.shape, "[2, 2]");
  assert.is(g.edges.filter((e) => e.from === X_.id).length, 2);
  const W_ = g.nodes.find((n) => n.name === "W")!;
  assert.ok(W_.requiresGrad && W_.kind === "input" && W_.shape === "[2, 2]");
  const last = g.nodes[g.nodes.length - 1]!;
  assert.equal([last.op, last.shape, last.constants], ["mul", "scalar", ["0.5"]]);
  assert.equal(g.nodes.filter((n) => n.kind === "op").map((n) => `${n.op} ${n.shape}`), ["matmul [2, 2]", "add [2, 2]", "sum scalar", "mul scalar"]);
});

test("readGraph() keeps argument order: a constant first argument is argument 0", () => {
  const x = variable(3);
  const y = add(10, mul(2, x)) as Var;
  const g = readGraph(y);
  assert.equal(g.nodes.filter((n) => n.kind === "op").map((n) => n.constants), [["2"], ["10"]]);
  assert.equal(g.edges.map((e) => e.arg), [1, 1]);
});

test("readGraph() of several outputs marks each of them and shares their common part", () => {
  const x = variable(1);
  const s = sin(x) as Var;
  const a = mul(s, 2) as Var;
  const b = add(s, 1) as Var;
  const g = readGraph([a, b]);
  assert.equal(g.nodes.map((n) => n.op ?? n.kind), ["input", "sin", "mul", "add"]);
  assert.equal(g.nodes.map((n) => n.output), [false, false, true, true]);
});

test("readGraph() of a Var that requires no grad is one constant node; of a leaf, one input node", () => {
  const c = variable(tensor([1, 2]), { requiresGrad: false });
  assert.equal(readGraph(c).nodes.map((n) => [n.kind, n.shape, n.requiresGrad, n.output]), [["constant", "[2]", false, true]]);
  const x = variable(5);
  assert.equal(readGraph(x).nodes.map((n) => [n.kind, n.requiresGrad, n.output]), [["input", true, true]]);
});

test("readGraph() works inside a transform, and refuses the value once the transform has returned", () => {
  let inside: Graph | null = null;
  let escaped: Var | null = null;
  grad((t: Lifted): Value => {
    const y = mul(sin(t), t) as Var;
    inside = readGraph(y);
    escaped = y;
    return y;
  })(0.5);
  assert.equal(inside!.nodes.map((n) => n.op ?? n.kind), ["input", "sin", "mul"]);
  throwsKind(() => readGraph(escaped!), GraphError, "toDot", /graph behind this value is gone/);
});

test("readGraph() marks ops a backward has freed while other graphs keep the tape", () => {
  const keep = mul(variable(1), 2) as Var; // another live graph: the tape is not cleared
  const x = variable(2);
  const y = mul(sin(x), 3) as Var;
  y.backward();
  const g = readGraph(y);
  assert.equal(g.nodes.filter((n) => n.kind === "op").map((n) => n.freed), [true, true]);
  assert.not.ok(readGraph(keep).nodes.some((n) => n.freed));
});

test("readGraph() refuses what is not a Var, an empty list and Vars of different tapes", () => {
  throwsKind(() => readGraph(3 as never, {}, "toSvg"), TypeMismatchError, "toSvg", /expected a Var or an array of Vars, got number 3/);
  throwsKind(() => readGraph([]), TypeMismatchError, "toDot", /empty array/);
  let inner: Var | null = null;
  grad((t: Lifted): Value => { inner = mul(t, t) as Var; throwsKind(() => readGraph([inner!, mul(variable(1), 2) as Var]), GraphError, "toDot", /different tapes/); return inner; })(1);
});

test("toSvg() and toDot() with nothing, or with names that are not an object or a misspelt option, are TypeMismatchErrors", () => {
  throwsKind(() => (toSvg as unknown as () => string)(), TypeMismatchError, "toSvg", /expected a Var or an array of Vars, got undefined/);
  throwsKind(() => toDot([variable(1), undefined as never]), TypeMismatchError, "toDot", /got undefined/);
  throwsKind(() => toDot(variable(1), { name: {} } as never), TypeMismatchError, "toDot", /unknown option 'name'; valid options are names/);
  throwsKind(() => toDot(variable(1), { names: 3 } as never), TypeMismatchError, "toDot", /names is number 3, not an object/);
});

test.run();
