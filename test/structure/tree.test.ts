import { test } from "uvu";
import * as assert from "uvu/assert";
import { tensor, dual, TypeMismatchError, ShapeError } from "../../lib/index.ts";
import { flattenTree, unflattenTree, sameTree, outline, checkSameTree, LEAF } from "../../lib/structure/tree.ts";
import { throwsKind } from "../support/errors.ts";

test("flattenTree takes leaves depth first: arrays in order, objects in key order", () => {
  const t = tensor([1, 2]);
  const d = dual(3);
  const { def, leaves } = flattenTree("grad", { w: t, rest: [1, { z: d }], b: 2 }, "the input");
  assert.equal(leaves, [t, 1, d, 2]);
  assert.equal(def, { kind: "dict", keys: ["w", "rest", "b"], of: [LEAF, { kind: "list", of: [LEAF, { kind: "dict", keys: ["z"], of: [LEAF] }] }, LEAF] });
});

test("unflattenTree(def, leaves) rebuilds the structure flattenTree took apart, with new leaves", () => {
  const x = { a: [1, [2, 3]], b: { c: 4 } };
  const { def } = flattenTree("f", x, "x");
  assert.equal(unflattenTree(def, [10, 20, 30, 40]), { a: [10, [20, 30]], b: { c: 40 } });
  assert.equal(unflattenTree(LEAF, [7]), 7);
  assert.equal(unflattenTree(flattenTree("f", [], "x").def, []), []);
});

test("sameTree compares nesting, lengths and key order, not leaves", () => {
  const of = (v: unknown) => flattenTree("f", v, "x").def;
  assert.ok(sameTree(of({ a: 1, b: [2] }), of({ a: tensor([5]), b: [9] })));
  assert.not.ok(sameTree(of({ a: 1, b: [2] }), of({ b: [2], a: 1 })));
  assert.not.ok(sameTree(of([1, 2]), of([1, 2, 3])));
  assert.not.ok(sameTree(of([1]), of({ 0: 1 })));
  assert.not.ok(sameTree(of([1]), of(1)));
});

test("flattenTree refuses a leaf that is not a value and a structure nested too deep, naming where", () => {
  throwsKind(() => flattenTree("grad", { w: [1, "s"] }, "the input"), TypeMismatchError, "grad", /the input holds string "s" at \.w\[1\]/);
  throwsKind(() => flattenTree("grad", [new Date(0)], "the input array"), TypeMismatchError, "grad", /element 0 of the input array is/);
  const deep: unknown[] = [];
  let cur = deep;
  for (let i = 0; i < 70; i++) { const next: unknown[] = []; cur.push(next); cur = next; }
  throwsKind(() => flattenTree("grad", deep, "the input"), TypeMismatchError, "grad", /nested more than 64 levels/);
});

test("checkSameTree names both structures", () => {
  const a = flattenTree("jvp", { w: 1, b: 2 }, "x").def;
  const b = flattenTree("jvp", [1, 2], "v").def;
  assert.is(outline(a), "{w, b}");
  assert.is(outline(b), "[2 items]");
  throwsKind(() => checkSameTree("jvp", a, b, "the tangent", "pass v like x"), ShapeError, "jvp", /the tangent has structure \[2 items\], expected \{w, b\}; pass v like x/);
});

test.run();
