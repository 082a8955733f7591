import { test } from "uvu";
import * as assert from "uvu/assert";
import { Tensor, ShapeError } from "../../lib/index.ts";
import { broadcastShapes, mapBroadcast, sumToShape, sameShape } from "../../lib/tensor/broadcast.ts";
import { throwsKind } from "../support/errors.ts";

/** A tensor of the given shape holding 1, 2, 3, ... */
function iota(shape: number[], start = 1): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  return new Tensor(Float64Array.from({ length: n }, (_, i) => start + i), shape);
}

test("broadcastShapes right-aligns shapes and stretches extents of 1", () => {
  assert.equal(broadcastShapes([[2, 1], [3]], "add"), [2, 3]);
  assert.equal(broadcastShapes([[], [4]], "add"), [4]);
  assert.equal(broadcastShapes([[5, 1, 3], [4, 1]], "add"), [5, 4, 3]);
  assert.equal(broadcastShapes([[1], [1, 1]], "add"), [1, 1]);
  assert.equal(broadcastShapes([[0], [1]], "add"), [0]);
  assert.equal(broadcastShapes([[2, 3], [2, 3], [3]], "where"), [2, 3]);
  assert.equal(broadcastShapes([], "add"), []);
});

test("broadcastShapes throws ShapeError naming the op, both shapes and the axis", () => {
  throwsKind(() => broadcastShapes([[2, 3], [4]], "add"), ShapeError, "add", /shapes \[2, 3\] and \[4\] do not broadcast \(axis 1: 3 vs 4\)/);
  throwsKind(() => broadcastShapes([[2, 3], [3, 3]], "mul"), ShapeError, "mul", /axis 0: 2 vs 3/);
});

test("mapBroadcast applies a unary function to every element", () => {
  const r = mapBroadcast(Math.sqrt, [new Tensor(Float64Array.of(1, 4, 9, 16), [2, 2])], "sqrt");
  assert.equal(r.shape, [2, 2]);
  assert.equal(r.toArray(), [[1, 2], [3, 4]]);
});

test("mapBroadcast pairs equal shapes element by element", () => {
  const r = mapBroadcast((a, b) => a * 10 + b, [iota([2, 2]), iota([2, 2], 5)], "f");
  assert.equal(r.toArray(), [[15, 26], [37, 48]]);
});

test("mapBroadcast broadcasts a number and a one-element Tensor on either side", () => {
  assert.equal(mapBroadcast((a, b) => a - b, [iota([3]), 1], "sub").toArray(), [0, 1, 2]);
  assert.equal(mapBroadcast((a, b) => a - b, [10, iota([3])], "sub").toArray(), [9, 8, 7]);
  assert.equal(mapBroadcast((a, b) => a - b, [new Tensor(Float64Array.of(10), [1]), iota([3])], "sub").toArray(), [9, 8, 7]);
  assert.equal(mapBroadcast((a, b) => a - b, [iota([2, 2]), new Tensor(Float64Array.of(1), [1, 1])], "sub").toArray(), [[0, 1], [2, 3]]);
});

test("mapBroadcast of two one-element Tensors keeps the broadcast shape", () => {
  const r = mapBroadcast((a, b) => a + b, [new Tensor(Float64Array.of(2), [1]), new Tensor(Float64Array.of(3), [1, 1])], "add");
  assert.equal(r.shape, [1, 1]);
  assert.equal(r.toArray(), [[5]]);
});

test("mapBroadcast of a column [2, 1] and a row [3] gives the [2, 3] outer table", () => {
  const r = mapBroadcast((a, b) => a * 10 + b, [iota([2, 1]), iota([3])], "f");
  assert.equal(r.toArray(), [[11, 12, 13], [21, 22, 23]]);
});

test("mapBroadcast over three operands of shapes [2, 1, 1], [3, 1] and [2]", () => {
  const r = mapBroadcast((a, b, c) => a * 100 + b * 10 + c, [iota([2, 1, 1]), iota([3, 1]), iota([2])], "f");
  assert.equal(r.shape, [2, 3, 2]);
  const want: number[][][] = [];
  for (let i = 1; i <= 2; i++) {
    const plane: number[][] = [];
    for (let j = 1; j <= 3; j++) plane.push([i * 100 + j * 10 + 1, i * 100 + j * 10 + 2]);
    want.push(plane);
  }
  assert.equal(r.toArray(), want);
});

test("mapBroadcast of empty tensors gives an empty result", () => {
  const r = mapBroadcast((a, b) => a + b, [new Tensor(new Float64Array(0), [0, 2]), iota([2])], "add");
  assert.equal(r.shape, [0, 2]);
  assert.is(r.size, 0);
});

test("mapBroadcast throws the op's ShapeError for incompatible operands", () => {
  throwsKind(() => mapBroadcast((a, b) => a + b, [iota([2]), iota([3])], "hypot"), ShapeError, "hypot", /\[2\] and \[3\]/);
});

test("sumToShape sums broadcast axes back: [2, 3] -> [3], [2, 1] and []", () => {
  const t = iota([2, 3]); // [[1, 2, 3], [4, 5, 6]]
  assert.equal((sumToShape(t, [3]) as Tensor).toArray(), [5, 7, 9]);
  assert.equal((sumToShape(t, [2, 1]) as Tensor).toArray(), [[6], [15]]);
  assert.equal((sumToShape(t, [1, 3]) as Tensor).toArray(), [[5, 7, 9]]);
  assert.equal((sumToShape(t, [1, 1]) as Tensor).toArray(), [[21]]);
  assert.is(sumToShape(t, []), 21);
});

test("sumToShape of a [2, 3, 4] tensor to [3, 1] sums over axes 0 and 2", () => {
  const t = iota([2, 3, 4], 0);
  const r = sumToShape(t, [3, 1]) as Tensor;
  const want = [0, 1, 2].map((j) => {
    let s = 0;
    for (let i = 0; i < 2; i++) for (let k = 0; k < 4; k++) s += i * 12 + j * 4 + k;
    return [s];
  });
  assert.equal(r.toArray(), want);
});

test("sumToShape to the tensor's own shape returns it unchanged", () => {
  const t = iota([2, 3]);
  assert.is(sumToShape(t, [2, 3]), t);
});

test("sumToShape is the adjoint of broadcasting: <broadcast(u), v> = <u, sumToShape(v)>", () => {
  const u = iota([3, 1], 2);
  const v = iota([2, 3, 4], -5);
  const stretched = mapBroadcast((a, _z) => a, [u, new Tensor(new Float64Array(24), [2, 3, 4])], "id");
  let lhs = 0;
  for (let i = 0; i < 24; i++) lhs += stretched.data[i]! * v.data[i]!;
  const s = sumToShape(v, [3, 1]) as Tensor;
  let rhs = 0;
  for (let i = 0; i < 3; i++) rhs += u.data[i]! * s.data[i]!;
  assert.is(lhs, rhs);
});

test("sameShape compares ranks and extents", () => {
  assert.ok(sameShape([2, 3], [2, 3]));
  assert.ok(sameShape([], []));
  assert.not.ok(sameShape([2, 3], [3, 2]));
  assert.not.ok(sameShape([3], [1, 3]));
});

test.run();
