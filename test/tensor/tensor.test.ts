import { test } from "uvu";
import * as assert from "uvu/assert";
import { tensor, zeros, Tensor, variable, grad, sum, mul, ShapeError, TypeMismatchError } from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";

test("new Tensor(data, shape) checks the element count", () => {
  throwsKind(() => new Tensor(new Float64Array(3), [2, 2]), ShapeError, "tensor", /data has 3 elements but shape \[2, 2\] needs 4/);
});

test("ndim, size, item and toArray describe a tensor", () => {
  const t = tensor([[1, 2, 3]]);
  assert.is(t.ndim, 2);
  assert.is(t.size, 3);
  assert.equal(t.toArray(), [[1, 2, 3]]);
  assert.is(tensor([[4]]).item(), 4);
  assert.is(tensor(2).toArray(), 2);
  assert.is(String(tensor([1, 2])), "Tensor[2] [1,2]");
  throwsKind(() => t.item(), ShapeError, "Tensor.item", /shape \[1, 3\] \(3 elements\)/);
});

test("set_ writes by per-axis index (negative allowed) or flat position, and bumps version", () => {
  const t = zeros([2, 3]);
  assert.is(t.version, 0);
  assert.is(t.set_([1, -1], 5), t);
  assert.is(t.version, 1);
  t.set_(1, 7);
  assert.is(t.version, 2);
  assert.equal(t.toArray(), [[0, 7, 0], [0, 0, 5]]);
});

test("set_ rejects out-of-range and malformed indices and non-number values", () => {
  const t = zeros([2, 3]);
  throwsKind(() => t.set_([2, 0], 1), ShapeError, "Tensor.set_", /index number 2 is out of range for axis 0 of extent 2/);
  throwsKind(() => t.set_([0], 1), ShapeError, "Tensor.set_", /one entry per axis of shape \[2, 3\]/);
  throwsKind(() => t.set_(6, 1), ShapeError, "Tensor.set_", /flat position number 6 is out of range for 6 elements/);
  throwsKind(() => t.set_([0, 0.5], 1), ShapeError, "Tensor.set_", /index number 0.5/);
  throwsKind(() => t.set_(0, "1" as never), TypeMismatchError, "Tensor.set_", /value string "1" is not a number/);
  assert.is(t.version, 0);
});

test("fill_ and copy_ write in place and bump version", () => {
  const t = zeros([2, 2]);
  t.fill_(3);
  assert.equal(t.toArray(), [[3, 3], [3, 3]]);
  assert.is(t.version, 1);
  t.copy_(tensor([[1, 2], [3, 4]]));
  assert.equal(t.toArray(), [[1, 2], [3, 4]]);
  assert.is(t.version, 2);
});

test("fill_ and copy_ reject wrong kinds and shapes", () => {
  const t = zeros([2]);
  throwsKind(() => t.fill_(null as never), TypeMismatchError, "Tensor.fill_", /value null/);
  throwsKind(() => t.copy_(zeros([3])), ShapeError, "Tensor.copy_", /source has shape \[3\] but this tensor has shape \[2\]/);
  throwsKind(() => t.copy_([1, 2] as never), TypeMismatchError, "Tensor.copy_", /source array\(2\) is not a Tensor/);
});

test("a Tensor has the registry's ops as methods: t.mul(t).sum() equals the sum of squares", () => {
  const t = tensor([1, 2, 3]);
  assert.is(t.mul(t).sum(), 14);
  assert.equal((t.reshape([3, 1]) as Tensor).shape, [3, 1]);
  assert.equal(t.exp().log().toArray(), [1, 2, 3].map((v) => Math.log(Math.exp(v))));
});

test("grad(f)(t) for a Tensor t comes back as a Tensor of t's shape: 2t for f = sum(t * t)", () => {
  const g = grad((x) => sum(x.mul(x)))(tensor([[1, -2]])) as Tensor;
  assert.equal(g.shape, [1, 2]);
  assert.equal(g.toArray(), [[2, -4]]);
  const v = variable(tensor([3]));
  sum(mul(v, v)).backward();
  assert.equal((v.grad as Tensor).toArray(), [6]);
});

test.run();
