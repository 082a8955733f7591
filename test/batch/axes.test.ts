import { test } from "uvu";
import * as assert from "uvu/assert";
import { tensor, ShapeError, TypeMismatchError } from "../../lib/index.ts";
import { leafAxes } from "../../lib/batch/axes.ts";
import { flattenTree } from "../../lib/structure/tree.ts";

const def = (x: unknown) => flattenTree("vmap", x, "the arguments").def;
const t = tensor([1, 2]);

test("a number or null applies to every leaf below it", () => {
  assert.equal(leafAxes("vmap", 0, def([t, { a: t, b: [t, t] }]), "inAxes"), [0, 0, 0, 0]);
  assert.equal(leafAxes("vmap", [null, 1], def([t, { a: t, b: [t, t] }]), "inAxes"), [null, 1, 1, 1]);
});

test("arrays and objects are matched part by part, as a prefix of the structure", () => {
  assert.equal(leafAxes("vmap", [0, { a: null, b: [1, 0] }], def([t, { a: t, b: [t, t] }]), "inAxes"), [0, null, 1, 0]);
});

test("a spec that does not fit the structure is refused with its path", () => {
  assert.throws(() => leafAxes("vmap", [0], def([t, t]), "inAxes"), (e: unknown) => e instanceof ShapeError && /inAxes has 1 entries/.test((e as Error).message));
  assert.throws(() => leafAxes("vmap", [{ a: 0 }], def([{ b: t }]), "inAxes"), /inAxes\[0\] has no entry for key 'b'/);
  assert.throws(() => leafAxes("vmap", ["x"], def([t]), "inAxes"), (e: unknown) => e instanceof TypeMismatchError);
  assert.throws(() => leafAxes("vmap", 1.5, def([t]), "inAxes"), /not an integer axis/);
});

test.run();
