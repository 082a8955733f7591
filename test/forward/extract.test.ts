import { test } from "uvu";
import * as assert from "uvu/assert";
import { Dual, Tensor, variable, PerturbationError } from "../../lib/index.ts";
import { Tag } from "../../lib/forward/tag.ts";
import { rawTangent, valueUnder, tangentUnder } from "../../lib/forward/extract.ts";
import { vec } from "../support/tensors.ts";

test("rawTangent(y, tag) is y's tangent under that tag, null for other tags and plain values", () => {
  const tag = new Tag("jvp");
  const other = new Tag("jvp");
  assert.is(rawTangent(new Dual(1, 2, tag), tag), 2);
  const lanes = Float64Array.of(1, 2);
  assert.is(rawTangent(new Dual(1, lanes, tag), tag), lanes);
  assert.is(rawTangent(3, other), null);
  assert.is(rawTangent(vec(1), other), null);
});

test("rawTangent treats a Dual of an enclosing (lower) tag as a constant", () => {
  const outer = new Tag("derivative");
  const inner = new Tag("derivative");
  assert.is(rawTangent(new Dual(1, 2, outer), inner), null);
});

test("rawTangent refuses a value from a transform nested inside (higher level), naming the tag's api", () => {
  const outer = new Tag("jacfwd");
  const inner = new Tag("derivative");
  try {
    rawTangent(new Dual(1, 2, inner), outer);
    assert.unreachable("no error");
  } catch (e) {
    assert.instance(e, PerturbationError);
    assert.match((e as Error).message, /^jacfwd: f returned a Dual or Var created by a transform nested inside it; /);
  }
});

test("valueUnder(y, tag) strips one layer of that tag only", () => {
  const outer = new Tag("a");
  const tag = new Tag("b");
  const inner = new Dual(5, 1, outer);
  assert.is(valueUnder(new Dual(inner, 3, tag), tag), inner);
  assert.is(valueUnder(inner, tag), inner);
  assert.is(valueUnder(7, tag), 7);
});

test("tangentUnder gives 0 for a number and a zero Tensor for a Tensor that does not depend on the tag", () => {
  const tag = new Tag("jvp");
  assert.is(tangentUnder(3, tag), 0);
  const z = tangentUnder(vec(1, 2, 3), tag) as Tensor;
  assert.equal(z.shape, [3]);
  assert.equal(z.toArray(), [0, 0, 0]);
});

test("tangentUnder materialises a zero tangent of a tensor-valued Dual as zeros of its shape", () => {
  const tag = new Tag("jvp");
  const z = tangentUnder(new Dual(new Tensor(new Float64Array(4), [2, 2]), 0, tag), tag) as Tensor;
  assert.equal(z.toArray(), [[0, 0], [0, 0]]);
});

test("tangentUnder reads single-lane arrays: empty lanes are 0, one lane is its value", () => {
  const tag = new Tag("jacfwd");
  assert.is(tangentUnder(new Dual(1, new Float64Array(0), tag), tag), 0);
  assert.is(tangentUnder(new Dual(1, Float64Array.of(4), tag), tag), 4);
});

test("tangentUnder returns a Tensor tangent and a Var tangent as they are", () => {
  const tag = new Tag("jvp");
  const t = vec(1, 2);
  assert.is(tangentUnder(new Dual(vec(0, 0), t, tag), tag), t);
  const v = variable(3);
  assert.is(tangentUnder(new Dual(1, v, tag), tag), v);
});

test("tangentUnder of a lower-level Var treats it as a constant with zero tangent", () => {
  const v = variable(2);
  const tag = new Tag("derivative");
  assert.is(tangentUnder(v, tag), 0);
});

test.run();
