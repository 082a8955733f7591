import { test } from "uvu";
import * as assert from "uvu/assert";
import { tensor, zeros, Tensor, variable, grad, sum, mul, ShapeError, TypeMismatchError } from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";
import { ones, full, eye, arange, rand, broadcastTo, outer, matmul, add, reshape, noGrad, sin, jacfwd, jacrev, slice } from "../../lib/index.ts";
import { setAllocatorForTesting, MAX_TENSOR_SIZE } from "../../lib/tensor/tensor.ts";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineOp, hessian, hvp, where, gt, lt, jacobian, explainJacobian, compileGrad, isGradEnabled, type Var, type Lifted } from "../../lib/index.ts";

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

const TOO_MANY_ELEMENTS = /more than the 2147483647 one Tensor can hold/;

test("zeros([1e12]), ones, full and rand with a huge shape throw ShapeError naming the element count", () => {
  throwsKind(() => zeros([1e12]), ShapeError, "zeros", /shape \[1000000000000\] has 1000000000000 elements/);
  throwsKind(() => ones([1e6, 1e6]), ShapeError, "ones", TOO_MANY_ELEMENTS);
  throwsKind(() => full([3e9], 1), ShapeError, "full", TOO_MANY_ELEMENTS);
  throwsKind(() => rand([1e5, 1e5]), ShapeError, "rand", TOO_MANY_ELEMENTS);
});
test("eye(1e5) and arange(0, 1e10) throw ShapeError instead of RangeError: Invalid typed array length", () => {
  throwsKind(() => eye(1e5), ShapeError, "eye", /10000000000 elements/);
  throwsKind(() => arange(0, 1e10), ShapeError, "arange", /10000000000 elements/);
});
test("broadcastTo, outer, matmul and broadcasting add with a huge result throw ShapeError", () => {
  throwsKind(() => broadcastTo(ones([1]), [1e6, 1e6]), ShapeError, "broadcastTo", TOO_MANY_ELEMENTS);
  throwsKind(() => outer(ones([1e5]), ones([1e5])), ShapeError, "outer", TOO_MANY_ELEMENTS);
  throwsKind(() => matmul(ones([1e5, 1]), ones([1, 1e5])), ShapeError, "matmul", TOO_MANY_ELEMENTS);
  throwsKind(() => add(ones([1e5, 1]), ones([1, 1e5])), ShapeError, "add", TOO_MANY_ELEMENTS);
});
test("an allocation the engine refuses (out of memory) is a ShapeError naming the API, and later calls work again", () => {
  const restore = setAllocatorForTesting(() => { throw new RangeError("Array buffer allocation failed"); });
  try {
    throwsKind(() => zeros([1000]), ShapeError, "zeros", /could not allocate 1000 float64 elements.*Array buffer allocation failed/);
    throwsKind(() => outer(tensor([1, 2]), tensor([3])), ShapeError, "outer", /could not allocate 2 float64/);
  } finally {
    restore();
  }
  assert.is(zeros([3]).size, 3);
});
test("MAX_TENSOR_SIZE is the documented 2^31 - 1 and a shape exactly at it is not refused by the size check", () => {
  assert.is(MAX_TENSOR_SIZE, 2 ** 31 - 1);
  // Only the check: reshape of a scalar-sized tensor to a huge shape fails on element count, not on the limit.
  throwsKind(() => reshape(tensor([1]), [MAX_TENSOR_SIZE]), ShapeError, "reshape", /cannot reshape \[1\] \(1 elements\)/);
});
test("zeros([[2]]) names the offending extent (an array) instead of printing the shape as [2]", () => {
  throwsKind(() => zeros([[2]] as never), TypeMismatchError, "zeros", /extent 0 of the shape is array\(1\), not a number/);
  throwsKind(() => zeros([2, -1]), ShapeError, "zeros", /extent 1 of the shape is -1, not a non-negative integer/);
  throwsKind(() => zeros([2.5]), ShapeError, "zeros", /extent 0 of the shape is 2.5/);
});
test("BigInt inputs give TypeMismatchError, never a raw TypeError", () => {
  throwsKind(() => zeros([2n] as never), TypeMismatchError, "zeros", /extent 0 of the shape is bigint 2n/);
  throwsKind(() => sin(1n as never), TypeMismatchError, "sin", /argument 1 is bigint 1n/);
  throwsKind(() => tensor([1n] as never), TypeMismatchError, "tensor", /element \[0\] is bigint 1n/);
  throwsKind(() => arange(5n as never), TypeMismatchError, "arange", /bigint 5n/);
  throwsKind(() => eye(3n as never), TypeMismatchError, "eye", /bigint 3n/);
});
test("a Tensor prints NaN, Infinity and -0 as themselves, not as null and 0", () => {
  assert.is(String(tensor([NaN, Infinity, -Infinity, -0, 1.5])), "Tensor[5] [NaN,Infinity,-Infinity,-0,1.5]");
});



test("new Tensor with data that is not a Float64Array throws TypeMismatchError naming it (undefined, number[], a string)", () => {
  for (const data of [undefined, [1, 2], "ab"]) {
    throwsKind(() => new Tensor(data as unknown as Float64Array, [2]), TypeMismatchError, "tensor", /data is .*, not a Float64Array/);
  }
  throwsKind(() => new Tensor(undefined as unknown as Float64Array, []), TypeMismatchError, "tensor", /data is undefined/);
});

test.run();
