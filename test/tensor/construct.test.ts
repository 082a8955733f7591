import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  tensor, zeros, ones, full, arange, eye, rand, randn, Tensor, ShapeError, TypeMismatchError, DomainError,
} from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";

test("tensor(nested) infers the shape and stores row-major", () => {
  const t = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.equal(t.shape, [2, 3]);
  assert.equal(Array.from(t.data), [1, 2, 3, 4, 5, 6]);
  assert.equal(tensor([[[1], [2]], [[3], [4]]]).shape, [2, 2, 1]);
});

test("tensor(flat, shape) reshapes a flat array; tensor(number) is 0-d", () => {
  const t = tensor([1, 2, 3, 4, 5, 6], [3, 2]);
  assert.equal(t.toArray(), [[1, 2], [3, 4], [5, 6]]);
  const s = tensor(7);
  assert.equal(s.shape, []);
  assert.is(s.item(), 7);
  assert.equal(tensor([[1, 2], [3, 4]], [4]).toArray(), [1, 2, 3, 4]);
});

test("tensor(Float64Array) copies the buffer (1-D unless a shape is given)", () => {
  const buf = new Float64Array([1, 2, 3, 4]);
  const t = tensor(buf);
  assert.equal(t.shape, [4]);
  buf[0] = 99;
  assert.is(t.data[0], 1);
  assert.equal(tensor(buf, [2, 2]).shape, [2, 2]);
  assert.equal(Array.from(tensor(new Int32Array([1, -2])).data), [1, -2]);
});

test("tensor(t) copies another tensor", () => {
  const a = tensor([1, 2]);
  const b = tensor(a);
  a.set_(0, 5);
  assert.equal(b.toArray(), [1, 2]);
});

test("tensor keeps NaN and Infinity", () => {
  const t = tensor([NaN, Infinity, -Infinity]);
  assert.ok(Number.isNaN(t.data[0]!));
  assert.is(t.data[1], Infinity);
});

test("tensor([]) is an empty 1-D tensor", () => {
  const t = tensor([]);
  assert.equal(t.shape, [0]);
  assert.is(t.size, 0);
});

test("tensor rejects ragged nested arrays, naming the row", () => {
  throwsKind(() => tensor([[1, 2], [3]]), ShapeError, "tensor", /ragged: \[1\] has length 1 but \[0\] has length 2/);
  throwsKind(() => tensor([[1, 2], 3] as never), ShapeError, "tensor", /ragged: \[1\] is number 3/);
  throwsKind(() => tensor([1, [2, 3]] as never), ShapeError, "tensor", /element \[1\] is array\(2\)/);
});

test("tensor rejects non-numbers, naming the position", () => {
  throwsKind(() => tensor([[1, "a"]] as never), TypeMismatchError, "tensor", /element \[0, 1\] is string "a", not a number/);
  throwsKind(() => tensor([null] as never), TypeMismatchError, "tensor", /element \[0\] is null/);
  throwsKind(() => tensor("12" as never), TypeMismatchError, "tensor", /cannot make a Tensor from string/);
});

test("tensor rejects a shape that does not fit the data", () => {
  throwsKind(() => tensor([1, 2, 3], [2, 2]), ShapeError, "tensor", /3 values do not fill shape \[2, 2\]/);
  throwsKind(() => tensor([1, 2], [2.5] as never), ShapeError, "tensor", /not a non-negative integer/);
  throwsKind(() => tensor([1, 2], "2" as never), TypeMismatchError, "tensor", /not an array of integers/);
});

test("zeros, ones and full fill the shape (a number is a 1-D length)", () => {
  assert.equal(zeros([2, 2]).toArray(), [[0, 0], [0, 0]]);
  assert.equal(ones(3).toArray(), [1, 1, 1]);
  assert.equal(full([1, 2], -2.5).toArray(), [[-2.5, -2.5]]);
  assert.equal(zeros([]).shape, []);
  throwsKind(() => zeros([-1]), ShapeError, "zeros", /non-negative integer/);
  throwsKind(() => ones("x" as never), TypeMismatchError, "ones", /not an array/);
  throwsKind(() => full([2], "1" as never), TypeMismatchError, "full", /fill value string "1" is not a number/);
});

test("arange(n) is 0..n-1 and arange(start, stop, step) steps either way", () => {
  assert.equal(arange(4).toArray(), [0, 1, 2, 3]);
  assert.equal(arange(2, 5).toArray(), [2, 3, 4]);
  assert.equal(arange(1, 2, 0.25).toArray(), [1, 1.25, 1.5, 1.75]);
  assert.equal(arange(3, 0, -1).toArray(), [3, 2, 1]);
  assert.equal(arange(0).shape, [0]);
  assert.equal(arange(5, 1).shape, [0]);
  assert.equal(arange(2.5).toArray(), [0, 1, 2]);
});

test("arange rejects a zero step and non-finite bounds", () => {
  throwsKind(() => arange(0, 1, 0), DomainError, "arange", /step is 0/);
  throwsKind(() => arange(0, Infinity), DomainError, "arange", /stop number Infinity is not a finite number/);
  throwsKind(() => arange("3" as never), TypeMismatchError, "arange", /stop string "3" is not a number/);
});

test("eye(n) is the identity", () => {
  assert.equal(eye(3).toArray(), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  assert.equal(eye(0).shape, [0, 0]);
  throwsKind(() => eye(1.5), DomainError, "eye", /size number 1.5/);
});

test("rand and randn repeat exactly for the same seed and differ for another", () => {
  const a = rand([3, 4], { seed: 42 });
  const b = rand([3, 4], { seed: 42 });
  const c = rand([3, 4], { seed: 43 });
  assert.equal(Array.from(a.data), Array.from(b.data));
  assert.not.equal(Array.from(a.data), Array.from(c.data));
  assert.equal(Array.from(randn([5], { seed: -7 }).data), Array.from(randn([5], { seed: -7 }).data));
  assert.not.equal(Array.from(randn([5], { seed: 2 ** 40 }).data), Array.from(randn([5], { seed: 2 ** 40 + 1 }).data));
});

test("rand draws from [0, 1) with mean 1/2 and variance 1/12", () => {
  const d = rand([20000], { seed: 1 }).data;
  let s = 0;
  let s2 = 0;
  for (const v of d) {
    assert.ok(v >= 0 && v < 1);
    s += v;
    s2 += v * v;
  }
  const mean = s / d.length;
  // Standard errors: 0.29 / sqrt(20000) ~ 0.002 for the mean; the bounds are ~5 of them.
  assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`);
  assert.ok(Math.abs(s2 / d.length - mean * mean - 1 / 12) < 0.005);
});

test("randn draws standard normals: mean 0, variance 1, 68% within one sigma", () => {
  const d = randn([20000], { seed: 3 }).data;
  let s = 0;
  let s2 = 0;
  let inside = 0;
  for (const v of d) {
    s += v;
    s2 += v * v;
    if (Math.abs(v) < 1) inside++;
  }
  assert.ok(Math.abs(s / d.length) < 0.03);
  assert.ok(Math.abs(s2 / d.length - 1) < 0.05);
  assert.ok(Math.abs(inside / d.length - 0.6827) < 0.015);
});

test("rand without a seed draws from one stream: successive calls differ", () => {
  const a = rand([4]);
  const b = rand([4]);
  assert.not.equal(Array.from(a.data), Array.from(b.data));
  assert.instance(a, Tensor);
});

test("rand and randn reject bad seeds and options", () => {
  throwsKind(() => rand([2], { seed: 1.5 }), DomainError, "rand", /seed number 1.5 is not a safe integer/);
  throwsKind(() => randn([2], { seed: Number.NaN }), DomainError, "randn", /seed number NaN/);
  throwsKind(() => randn([2], 3 as never), TypeMismatchError, "randn", /options is number 3, not an object/);
});

test.run();
