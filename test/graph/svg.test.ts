import { test } from "uvu";
import * as assert from "uvu/assert";
import { variable, tensor, mul, add, sin, sum, matmul, toSvg, toDot, TypeMismatchError, DualtapeError, type Var, type Value } from "../../lib/index.ts";
import { parseXml, findAll, type XmlElement } from "../support/xml.ts";
import { throwsKind } from "../support/errors.ts";

function program() {
  const X = tensor([[1, 2], [3, 4]]);
  const W = variable(tensor([[1], [-1]]));
  const b = variable(0.5);
  const y = add(mul(sum(matmul(X, W)), b), sin(b)) as Var;
  return { X, W, b, y, names: { X, W, b, y } };
}

const nodesOf = (root: XmlElement) => findAll(root, "g").filter((g) => g.attrs.class === "node");
const textOf = (g: XmlElement) => findAll(g, "text").map((t) => t.text);

test("toSvg() is a well-formed standalone SVG document", () => {
  const svg = toSvg(program().y);
  const root = parseXml(svg);
  assert.is(root.name, "svg");
  assert.is(root.attrs.xmlns, "http://www.w3.org/2000/svg");
  assert.ok(Number(root.attrs.width) > 0 && Number(root.attrs.height) > 0);
  assert.not.match(svg, /<script|href=|@import/);
});

test("toSvg() draws the nodes and edges toDot() lists: one box per op and leaf, one arrow per argument", () => {
  const p = program();
  const root = parseXml(toSvg(p.y, { names: p.names }));
  const dot = toDot(p.y, { names: p.names });
  const dotNodes = [...dot.matchAll(/^ {2}(\w+) \[label/gm)].map((m) => m[1]);
  const dotEdges = [...dot.matchAll(/^ {2}(\w+) -> (\w+);/gm)].map((m) => `${m[1]}->${m[2]}`);
  assert.equal(nodesOf(root).map((g) => g.attrs["data-id"]).sort(), dotNodes.sort());
  const paths = findAll(root, "path").filter((e) => e.attrs.class === "edge");
  assert.equal(paths.map((e) => `${e.attrs["data-from"]}->${e.attrs["data-to"]}`).sort(), dotEdges.sort());
  assert.ok(paths.every((e) => e.attrs["marker-end"] === "url(#dualtape-arrow)"));
  // nodes X, W, b; matmul, sum, mul, sin, add. Edges: matmul 2, sum 1, mul 2, sin 1, add 2
  assert.is(nodesOf(root).length, 8);
  assert.is(paths.length, 8);
});

test("toSvg() labels ops with their names and shapes and marks leaves that require gradients", () => {
  const p = program();
  const root = parseXml(toSvg(p.y, { names: p.names }));
  const byTitle = new Map(nodesOf(root).map((g) => [textOf(g)[0], g]));
  assert.equal(textOf(byTitle.get("W")!), ["W", "[2, 1]", "requires grad"]);
  assert.is(byTitle.get("W")!.attrs["data-requires-grad"], "true");
  assert.equal(textOf(byTitle.get("X")!), ["X", "[2, 2]", "no grad"]);
  assert.is(byTitle.get("X")!.attrs["data-requires-grad"], "false");
  assert.equal(textOf(byTitle.get("matmul")!), ["matmul", "[2, 1]"]);
  assert.equal(textOf(byTitle.get("y = add")!), ["y = add", "scalar"]);
  assert.is(byTitle.get("y = add")!.attrs["data-output"], "true");
  const fill = (t: string) => findAll(byTitle.get(t)!, "rect")[0]!.attrs.fill;
  assert.ok(fill("W") === fill("b") && fill("W") !== fill("X") && fill("W") !== fill("matmul") && fill("matmul") !== fill("y = add"));
});

test("toSvg() places arguments above the ops that read them, boxes apart, and arrows from box to box", () => {
  const p = program();
  const root = parseXml(toSvg(p.y));
  const boxes = new Map(nodesOf(root).map((g) => {
    const r = findAll(g, "rect")[0]!.attrs;
    return [g.attrs["data-id"]!, { x: Number(r.x), y: Number(r.y), w: Number(r.width), h: Number(r.height) }];
  }));
  const list = [...boxes.values()];
  for (const a of list) for (const b of list) {
    if (a !== b) assert.ok(a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y, "boxes overlap");
  }
  for (const e of findAll(root, "path").filter((q) => q.attrs.class === "edge")) {
    const from = boxes.get(e.attrs["data-from"]!)!;
    const to = boxes.get(e.attrs["data-to"]!)!;
    const nums = e.attrs.d!.match(/-?\d+(\.\d+)?/g)!.map(Number);
    const [sx, sy, ex, ey] = [nums[0]!, nums[1]!, nums[nums.length - 2]!, nums[nums.length - 1]!];
    assert.ok(Math.abs(sy - (from.y + from.h)) < 0.11 && sx >= from.x && sx <= from.x + from.w, "starts on the source's bottom edge");
    assert.ok(Math.abs(ey - to.y) < 0.11 && ex >= to.x && ex <= to.x + to.w, "ends on the target's top edge");
  }
});

test("toSvg() escapes names and keeps a legend of the node kinds", () => {
  const w = variable(1);
  const root = parseXml(toSvg(mul(w, 2) as Var, { names: { "<w & v>": w } }));
  const texts = findAll(root, "text").map((t) => t.text);
  assert.ok(texts.includes("<w & v>"));
  for (const l of ["input, requires grad", "op (gradFn)", "output", "constant, no grad"]) assert.ok(texts.includes(l), l);
});

test("toSvg() refuses graphs too large to read (by nodes, or by edge bends) and toDot() still writes them", () => {
  const x = variable(0.5);
  let s: Value = x;
  for (let i = 0; i < 1000; i++) s = sin(s);
  throwsKind(() => toSvg(s as Var), DualtapeError, "toSvg", /1001 nodes, more than 1000/);
  assert.is([...toDot(s as Var).matchAll(/ -> /g)].length, 1000);
  // x read by each of 150 muls along a chain of 300 ops: its edges bend through ~150² layers in all
  const y = variable(0.5);
  let t: Value = y;
  for (let i = 0; i < 150; i++) t = mul(sin(t), y);
  throwsKind(() => toSvg(t as Var), DualtapeError, "toSvg", /bends across its 301 layers, more than 20000/);
});

test("toSvg() names itself in errors", () => {
  throwsKind(() => toSvg("y" as never), TypeMismatchError, "toSvg", /expected a Var/);
});

test.run();
