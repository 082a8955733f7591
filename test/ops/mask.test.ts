import { test } from "uvu";
import * as assert from "uvu/assert";
import { dual, variable, derivative, Tensor, ShapeError, type Lifted } from "../../lib/index.ts";
import { mask } from "../../lib/ops/mask.ts";
import { vec } from "../support/tensors.ts";

const positive = (x: number) => (x > 0 ? 1 : 0);

test("mask(pred, x) on numbers is pred(x)", () => {
  assert.is(mask(positive, 2), 1);
  assert.is(mask(positive, -2), 0);
  assert.is(mask((a, b) => (a === b ? 0.5 : 0), 3, 3), 0.5);
});

test("mask reads through Duals and Vars and returns a plain number", () => {
  assert.is(mask(positive, dual(-2)), 0);
  assert.is(mask(positive, dual(dual(3))), 1);
  assert.is(mask(positive, variable(4)), 1);
  assert.is(mask((a, b) => (a > b ? 1 : 0), dual(1), variable(2)), 0);
});

test("mask over Tensors is elementwise and broadcasts", () => {
  const r = mask(positive, vec(-1, 0, 2)) as Tensor;
  assert.instance(r, Tensor);
  assert.equal(r.toArray(), [0, 0, 1]);
  const b = mask((x, y) => (x > y ? 1 : 0), new Tensor(Float64Array.of(1, 2), [2, 1]), vec(0, 1.5, 3)) as Tensor;
  assert.equal(b.toArray(), [[1, 0, 0], [1, 1, 0]]);
  const mixed = mask((x, y) => (x > y ? 1 : 0), vec(1, 5), 2) as Tensor;
  assert.equal(mixed.toArray(), [0, 1]);
});

test("mask over a tensor-valued Dual returns a plain Tensor", () => {
  const t = vec(-1, 1);
  const r = mask(positive, dual(t, vec(1, 1)));
  assert.instance(r, Tensor);
  assert.equal((r as Tensor).toArray(), [0, 1]);
});

test("a mask is a constant: it carries no derivative inside a transform", () => {
  let seen: unknown = null;
  const d = derivative((x: Lifted) => {
    seen = mask(positive, x);
    return x;
  })(3);
  assert.is(seen, 1);
  assert.is(d, 1);
});

test("mask throws ShapeError (api 'mask') for operands that do not broadcast", () => {
  try {
    mask((a, b) => a + b, vec(1, 2), vec(1, 2, 3));
    assert.unreachable("no error");
  } catch (e) {
    assert.instance(e, ShapeError);
    assert.match((e as Error).message, /^mask: shapes \[2\] and \[3\] do not broadcast/);
  }
});

test.run();
