/**
 * Huge or invalid sizes are refused before anything is allocated, with a
 * ShapeError or TypeMismatchError in the documented format, never a raw
 * RangeError or TypeError (issue 8, item 19; item 13).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  zeros, ones, full, eye, arange, rand, broadcastTo, outer, matmul, add, reshape, tensor, noGrad, sin,
  ShapeError, TypeMismatchError, jacfwd, jacrev, mul, slice, type Tensor,
} from "../../lib/index.ts";
import { setAllocatorForTesting, MAX_TENSOR_SIZE } from "../../lib/tensor/tensor.ts";
import { throwsKind } from "../support/errors.ts";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

const TOO_MANY = /more than the 2147483647 one Tensor can hold/;

test("zeros([1e12]), ones, full and rand with a huge shape throw ShapeError naming the element count", () => {
  throwsKind(() => zeros([1e12]), ShapeError, "zeros", /shape \[1000000000000\] has 1000000000000 elements/);
  throwsKind(() => ones([1e6, 1e6]), ShapeError, "ones", TOO_MANY);
  throwsKind(() => full([3e9], 1), ShapeError, "full", TOO_MANY);
  throwsKind(() => rand([1e5, 1e5]), ShapeError, "rand", TOO_MANY);
});

test("eye(1e5) and arange(0, 1e10) throw ShapeError instead of RangeError: Invalid typed array length", () => {
  throwsKind(() => eye(1e5), ShapeError, "eye", /10000000000 elements/);
  throwsKind(() => arange(0, 1e10), ShapeError, "arange", /10000000000 elements/);
});

test("broadcastTo, outer, matmul and broadcasting add with a huge result throw ShapeError", () => {
  throwsKind(() => broadcastTo(ones([1]), [1e6, 1e6]), ShapeError, "broadcastTo", TOO_MANY);
  throwsKind(() => outer(ones([1e5]), ones([1e5])), ShapeError, "outer", TOO_MANY);
  throwsKind(() => matmul(ones([1e5, 1]), ones([1, 1e5])), ShapeError, "matmul", TOO_MANY);
  throwsKind(() => add(ones([1e5, 1]), ones([1, 1e5])), ShapeError, "add", TOO_MANY);
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

test("noGrad(5) is a TypeMismatchError, not 'fn is not a function'", () => {
  throwsKind(() => noGrad(5 as never), TypeMismatchError, "noGrad", /expected a function, got number 5/);
});

test("reshape(zeros([0]), [0, -1]) is refused as ambiguous (NumPy and PyTorch refuse it); explicit shapes of size 0 still work", () => {
  throwsKind(() => reshape(zeros([0]), [0, -1]), ShapeError, "reshape", /the -1 in \[0, -1\] is ambiguous/);
  throwsKind(() => reshape(zeros([0, 3]), [-1, 0]), ShapeError, "reshape", /ambiguous/);
  assert.equal((reshape(zeros([0]), [0, 5]) as Tensor).shape, [0, 5]);
  assert.equal((reshape(zeros([2, 0]), [-1]) as Tensor).shape, [0]);
});

test("jacfwd of a function of 20000 inputs returns the Jacobian (no 'Invalid array length'); it equals jacrev's", () => {
  const f = (x: never) => slice(mul(x, 3), 0, 2);
  const x = arange(20000);
  const J = jacfwd(f)(x as never) as Tensor;
  assert.equal(J.shape, [2, 20000]);
  assert.is(J.data[0], 3);
  assert.is(J.data[20001], 3);
  assert.is(J.data.reduce((a, b) => a + b, 0), 6);
  assert.equal(Array.from((jacrev(f)(x as never) as Tensor).data.subarray(0, 3)), [3, 0, 0]);
});

test("a Jacobian larger than the JS heap is built (rows live in one Float64Array, not in JS arrays of numbers)", () => {
  // 4000 x 4000 entries are 128 MB; the child gets a 64 MB heap, which JS arrays of rows overflowed.
  const r = spawnSync(process.execPath, ["--max-old-space-size=64", "--import", "tsx", join(here, "../support/big-jacobian.ts"), "4000"],
    { cwd: join(here, "../.."), encoding: "utf8", timeout: 60_000 });
  assert.is(r.status, 0, r.stderr.slice(0, 400));
  assert.equal(JSON.parse(r.stdout), { shape: [4000, 4000], sum: 12000, diag: 3 });
});

test.run();
