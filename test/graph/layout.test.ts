import { test } from "uvu";
import * as assert from "uvu/assert";
import { layoutGraph, type Placed, type LayoutNode } from "../../lib/graph/layout.ts";

const box = (id: string, width = 60, height = 30): LayoutNode => ({ id, width, height });
const byId = (ns: Placed[]) => new Map(ns.map((n) => [n.id, n]));

function overlaps(a: Placed, b: Placed): boolean {
  return Math.abs(a.x - b.x) < (a.width + b.width) / 2 && Math.abs(a.y - b.y) < (a.height + b.height) / 2;
}

test("layoutGraph() puts every edge's source above its target and keeps boxes apart", () => {
  // a diamond with a long edge: a -> b -> c -> d, a -> d, e -> c
  const nodes = ["a", "b", "c", "d", "e"].map((id) => box(id));
  const edges = [["a", "b"], ["b", "c"], ["c", "d"], ["a", "d"], ["e", "c"]].map(([from, to]) => ({ from: from!, to: to! }));
  const l = layoutGraph(nodes, edges);
  const p = byId(l.nodes);
  for (const e of edges) assert.ok(p.get(e.from)!.y < p.get(e.to)!.y, `${e.from} above ${e.to}`);
  for (const a of l.nodes) for (const b of l.nodes) if (a !== b) assert.not.ok(overlaps(a, b), `${a.id} overlaps ${b.id}`);
  for (const n of l.nodes) {
    assert.ok(n.x - n.width / 2 >= 0 && n.x + n.width / 2 <= l.width, `${n.id} inside horizontally`);
    assert.ok(n.y - n.height / 2 >= 0 && n.y + n.height / 2 <= l.height, `${n.id} inside vertically`);
  }
});

test("layoutGraph() layers by the longest path to an output: an input read only by the last op sits just above it", () => {
  // chain a -> b -> c -> out, and k -> out
  const nodes = ["a", "b", "c", "out", "k"].map((id) => box(id));
  const edges = [["a", "b"], ["b", "c"], ["c", "out"], ["k", "out"]].map(([from, to]) => ({ from: from!, to: to! }));
  const p = byId(layoutGraph(nodes, edges).nodes);
  assert.equal(["a", "b", "c", "out", "k"].map((id) => p.get(id)!.layer), [0, 1, 2, 3, 2]);
  assert.is(p.get("k")!.y, p.get("c")!.y);
});

test("layoutGraph() routes an edge over several layers through one point per layer crossed, clear of the boxes", () => {
  const nodes = ["a", "b", "c", "d"].map((id) => box(id));
  const edges = [["a", "b"], ["b", "c"], ["c", "d"], ["a", "d"]].map(([from, to]) => ({ from: from!, to: to! }));
  const l = layoutGraph(nodes, edges);
  const p = byId(l.nodes);
  const long = l.routes.find((r) => r.from === "a" && r.to === "d")!;
  assert.is(long.points.length, 4, "start, two bends (layers of b and c), end");
  const [start, , , end] = long.points;
  assert.is(start![1], p.get("a")!.y + 15, "leaves a's bottom");
  assert.is(end![1], p.get("d")!.y - 15, "enters d's top");
  for (const [x, y] of long.points.slice(1, -1)) {
    for (const id of ["b", "c"]) {
      const n = p.get(id)!;
      assert.ok(!(Math.abs(x - n.x) < n.width / 2 && Math.abs(y - n.y) <= n.height / 2), `bend inside ${id}`);
    }
  }
});

test("layoutGraph() puts the two ends of a repeated argument side by side", () => {
  const l = layoutGraph([box("x"), box("sq")], [{ from: "x", to: "sq" }, { from: "x", to: "sq" }]);
  const [r1, r2] = l.routes;
  assert.ok(r1!.points[0]![0] !== r2!.points[0]![0] && r1!.points[1]![0] !== r2!.points[1]![0]);
});

test("layoutGraph() orders a layer to avoid crossings: inputs line up above the ops that read them", () => {
  // two independent chains p -> q and r -> s feeding one output, listed crosswise
  const nodes = ["p", "r", "s", "q", "o"].map((id) => box(id));
  const edges = [["p", "q"], ["r", "s"], ["q", "o"], ["s", "o"]].map(([from, to]) => ({ from: from!, to: to! }));
  const pos = byId(layoutGraph(nodes, edges).nodes);
  assert.is(Math.sign(pos.get("p")!.x - pos.get("r")!.x), Math.sign(pos.get("q")!.x - pos.get("s")!.x));
});

test("layoutGraph() counts the bends long edges need and refuses more than the limit, naming the caller", () => {
  const nodes = ["a", "b", "c", "d"].map((id) => box(id));
  const edges = [["a", "b"], ["b", "c"], ["c", "d"], ["a", "d"]].map(([from, to]) => ({ from: from!, to: to! }));
  assert.is(layoutGraph(nodes, edges, { maxBends: 2 }).nodes.length, 4);
  assert.throws(() => layoutGraph(nodes, edges, { maxBends: 1, api: "toSvg" }), (e: Error) => /^toSvg: the graph's edges would need 2 bends across its 4 layers, more than 1/.test(e.message));
});

test("layoutGraph() refuses a cycle", () => {
  assert.throws(() => layoutGraph([box("a"), box("b")], [{ from: "a", to: "b" }, { from: "b", to: "a" }]), /cycle/);
});

test.run();
