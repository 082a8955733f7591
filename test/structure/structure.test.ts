import { test } from "uvu";
import * as assert from "uvu/assert";
import { dual, variable, Tensor, ShapeError, TypeMismatchError } from "../../lib/index.ts";
import { splitInput, splitOutput, join, shapeOf, scalarOutput, single, flat } from "../../lib/structure/structure.ts";
import { throwsKind } from "../support/errors.ts";

const t23 = () => new Tensor(new Float64Array(6), [2, 3]);

test("splitInput(api, 3) is one item, not an array", () => {
  const s = splitInput("grad", 3);
  assert.equal([s.array, s.tree, s.items], [false, false, [3]]);
});

test("splitInput(api, tensor) and splitInput(api, dual) are one item each", () => {
  const t = t23();
  const s = splitInput("grad", t);
  assert.is(s.array, false);
  assert.is(s.items[0], t);
  const d = dual(2);
  assert.is(splitInput("grad", d).items[0], d);
});

test("splitInput(api, [1, 2]) is an array of two items, copied from the caller's array", () => {
  const x = [1, 2];
  const s = splitInput("grad", x);
  assert.equal([s.array, s.tree, s.items], [true, false, [1, 2]]);
  assert.is.not(s.items, x);
});

test("splitInput accepts scalar Duals/Vars inside an array (nested transforms)", () => {
  const d = dual(1);
  const v = variable(2);
  assert.equal(splitInput("jacfwd", [d, v, 3]).items, [d, v, 3]);
  assert.equal(splitInput("jacfwd", []).items, []);
});

test("splitInput rejects an array or object holding something that is not a value, naming where", () => {
  throwsKind(() => splitInput("grad", [1, "2"]), TypeMismatchError, "grad", /element 1 of the input array is string "2"/);
  throwsKind(() => splitInput("jvp", { w: [1, "x"] }), TypeMismatchError, "jvp", /the input holds string "x" at \.w\[1\]/);
  throwsKind(() => splitInput("grad", [new Map()]), TypeMismatchError, "grad", /element 0 of the input array is Map/);
});

test("splitInput takes arrays of Tensors, nested arrays and plain objects as structures of leaves", () => {
  const t = t23();
  const s = splitInput("grad", { w: t, b: [1, 2], c: [[3]] });
  assert.equal([s.array, s.tree], [false, true]);
  assert.equal(s.items, [t, 1, 2, 3]);
  assert.equal(join(s, ["W", "B1", "B2", "C"]), { w: "W", b: ["B1", "B2"], c: [["C"]] });
  const list = splitInput("jvp", [t, dual(t23(), t23())]);
  assert.equal([list.tree, list.items.length], [true, 2]);
});

test("splitInput rejects inputs that are neither numbers, Tensors nor Duals/Vars", () => {
  throwsKind(() => splitInput("grad", "x"), TypeMismatchError, "grad", /the input is string "x"/);
  throwsKind(() => splitInput("jacrev", null), TypeMismatchError, "jacrev", /the input is null/);
  throwsKind(() => splitInput("vjp", new Set([1])), TypeMismatchError, "vjp", /the input holds Set/);
  throwsKind(() => splitInput("grad", new Float64Array(2)), TypeMismatchError, "grad", /Float64Array/);
});

test("splitOutput accepts numbers, Tensors, Lifted values and arrays of them", () => {
  const t = t23();
  const two = splitOutput("f", 2);
  assert.equal([two.array, two.tree, two.items], [false, false, [2]]);
  assert.equal(splitOutput("f", [1, t]).items, [1, t]);
  assert.is(splitOutput("f", [1, t]).array, true);
  const d = dual(1);
  assert.is(splitOutput("f", d).items[0], d);
});

test("splitOutput rejects a bad result, naming the element", () => {
  throwsKind(() => splitOutput("jacrev", [1, "a"]), TypeMismatchError, "jacrev", /element 1 of f's result is string "a"/);
  throwsKind(() => splitOutput("jacrev", [[1, "b"]]), TypeMismatchError, "jacrev", /f's result holds string "b" at \[0\]\[1\]/);
  throwsKind(() => splitOutput("jvp", undefined), TypeMismatchError, "jvp", /f returned undefined/);
});

test("join(split, items) rebuilds the user's structure", () => {
  assert.is(join(single(0), [5]), 5);
  assert.equal(join(flat([0, 0]), [5, 6]), [5, 6]);
});

test("shapeOf gives [] for scalars (also wrapped) and the Tensor's shape otherwise", () => {
  assert.equal(shapeOf(3), []);
  assert.equal(shapeOf(dual(3)), []);
  assert.equal(shapeOf(t23()), [2, 3]);
  assert.equal(shapeOf(variable(t23())), [2, 3]);
});

test("scalarOutput accepts a number, a scalar Dual/Var and a one-element Tensor", () => {
  assert.is(scalarOutput("grad", 3), 3);
  const d = dual(1);
  assert.is(scalarOutput("grad", d), d);
  const one = new Tensor(Float64Array.of(4), [1, 1]);
  assert.is(scalarOutput("grad", one), one);
});

test("scalarOutput rejects a Tensor with several elements with ShapeError naming its shape", () => {
  throwsKind(() => scalarOutput("grad", t23()), ShapeError, "grad", /Tensor of shape \[2, 3\], not a scalar/);
  throwsKind(() => scalarOutput("grad", dual(t23(), t23())), ShapeError, "grad", /shape \[2, 3\]/);
});

test("scalarOutput rejects an array (pointing to jacrev) and other values", () => {
  throwsKind(() => scalarOutput("grad", [1, 2]), TypeMismatchError, "grad", /array\(2\).*use jacrev or jacobian/);
  throwsKind(() => scalarOutput("valueAndGrad", "1"), TypeMismatchError, "valueAndGrad", /f returned string "1"/);
});

test.run();
