import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  Dual, reshape, broadcastTo, index, slice, concat, stack, sum, mul, add, sin, tensor, arange, randn, dual, variable, grad, jvp, vjp,
  jacfwd, hessian, primal, Tensor, ShapeError, TypeMismatchError, type Lifted, type Value,
} from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";
import { near } from "../support/close.ts";
import { modesAgree } from "../support/agree.ts";
import { zeros, ones, full, eye, rand, outer, matmul, noGrad, jacrev } from "../../lib/index.ts";
import { setAllocatorForTesting, MAX_TENSOR_SIZE } from "../../lib/tensor/tensor.ts";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const shapeOf = (v: unknown) => (primal(v as Value) as Tensor).shape;

test("reshape keeps row-major order and resolves one -1", () => {
  const r = reshape(arange(6), [2, -1]) as Tensor;
  assert.equal(r.toArray(), [[0, 1, 2], [3, 4, 5]]);
  assert.equal(shapeOf(reshape(arange(6), [-1, 1, 2])), [3, 1, 2]);
  assert.is(reshape(tensor([7]), []), 7);
  assert.equal(shapeOf(reshape(3, [1, 1])), [1, 1]);
});

test("reshape copies: writing into the source later does not change the result", () => {
  const t = arange(4);
  const r = reshape(t, [2, 2]) as Tensor;
  t.set_(0, 9);
  assert.is(r.data[0], 0);
});

test("grad through reshape comes back in the input's shape", () => {
  const g = grad((x) => sum(mul(reshape(x, [3, 2]), tensor([[1, 2], [3, 4], [5, 6]]))))(arange(6).reshape([2, 3]) as Tensor) as Tensor;
  assert.equal(g.shape, [2, 3]);
  near(g, [1, 2, 3, 4, 5, 6]);
  modesAgree((x) => reshape(sin(x), [-1]), randn([2, 2], { seed: 1 }));
});

test("reshape rejects impossible shapes", () => {
  throwsKind(() => reshape(arange(6), [4, -1]), ShapeError, "reshape", /cannot reshape \[6\] \(6 elements\) into \[4, -1\]/);
  throwsKind(() => reshape(arange(6), [-1, -1]), ShapeError, "reshape", /more than one -1/);
  throwsKind(() => reshape(arange(6), [5]), ShapeError, "reshape", /into \[5\]/);
  throwsKind(() => reshape(arange(6), 6 as never), TypeMismatchError, "reshape", /shape number 6 is not an array/);
  throwsKind(() => reshape(arange(6), [2, 1.5] as never), ShapeError, "reshape", /not a non-negative integer/);
});

test("broadcastTo repeats along new and stretched axes; its transpose sums them back", () => {
  near(broadcastTo(tensor([1, 2]), [3, 2]), [1, 2, 1, 2, 1, 2]);
  near(broadcastTo(tensor([[1], [2]]), [2, 3]), [1, 1, 1, 2, 2, 2]);
  near(broadcastTo(5, [2]), [5, 5]);
  near(grad((x) => sum(mul(broadcastTo(x, [3, 2]), tensor([[1, 2], [3, 4], [5, 6]]))))(tensor([0, 0])), [9, 12]);
  near(grad((x) => sum(broadcastTo(x, [2, 2, 3])))(tensor([[1], [2]])), [6, 6]);
  modesAgree((x) => broadcastTo(x, [2, 2, 3]), randn([2, 1], { seed: 2 }));
  // A scalar broadcast to 3 elements and summed has derivative 3.
  assert.is(grad((x) => sum(broadcastTo(x, [3])))(1.5), 3);
});

test("broadcastTo rejects shapes the operand cannot stretch to", () => {
  throwsKind(() => broadcastTo(tensor([1, 2]), [3]), ShapeError, "broadcastTo", /shape \[2\] cannot be broadcast to \[3\]/);
  throwsKind(() => broadcastTo(tensor([[1, 2]]), [2]), ShapeError, "broadcastTo", /\[1, 2\] cannot be broadcast to \[2\]/);
  throwsKind(() => broadcastTo(tensor([1]), "3" as never), TypeMismatchError, "broadcastTo", /not an array/);
});

test("elementwise ops on broadcast operands return gradients in each input's shape (sumToShape)", () => {
  const row = tensor([1, 2, 3]);
  const g = grad((x) => sum(mul(add(x, row), tensor([[1], [2]]))))(tensor([[0], [0]])) as Tensor;
  assert.equal(g.shape, [2, 1]);
  // d/dx_i sum_j (x_i + row_j) c_i = 3 c_i.
  near(g, [3, 6]);
  const v = variable(tensor([[1, 2, 3]]));
  sum(mul(v, tensor([[1], [1]]))).backward();
  near(v.grad, [2, 2, 2]);
});

test("index(t, i) takes row i along axis 0 (negative from the end); a 1-D tensor gives a number", () => {
  const t = tensor([[1, 2], [3, 4], [5, 6]]);
  near(index(t, 1), [3, 4]);
  near(index(t, -1), [5, 6]);
  assert.is(index(tensor([7, 8]), 1), 8);
  near(grad((x) => sum(mul(index(x, 1), tensor([10, 20]))))(t), [0, 0, 10, 20, 0, 0]);
  near(grad((x) => index(x, -2))(tensor([1, 2, 3])), [0, 1, 0]);
  modesAgree((x) => index(sin(x), 0), randn([2, 3], { seed: 3 }));
});

test("index rejects out-of-range and non-integer indices and scalars", () => {
  throwsKind(() => index(tensor([1, 2]), 2), ShapeError, "index", /index 2 is out of range for axis 0 of extent 2/);
  throwsKind(() => index(tensor([1, 2]), -3), ShapeError, "index", /index -3 is out of range/);
  throwsKind(() => index(tensor([1, 2]), 0.5), TypeMismatchError, "index", /the index number 0.5 is not an integer/);
  throwsKind(() => index(3, 0), ShapeError, "index", /the operand is a scalar/);
});

test("slice follows Python's rules: negative bounds, clipping, default end, any axis", () => {
  near(slice(arange(5), 1, -1), [1, 2, 3]);
  near(slice(arange(5), -2), [3, 4]);
  near(slice(arange(5), 3, 100), [3, 4]);
  assert.equal(shapeOf(slice(arange(5), 4, 2)), [0]);
  const m = tensor([[1, 2, 3], [4, 5, 6]]);
  near(slice(m, 1, 3, 1), [2, 3, 5, 6]);
  near(slice(m, 0, 1, -1), [1, 4]);
});

test("slice's transpose pads the cotangent with zeros", () => {
  const m = tensor([[1, 2, 3], [4, 5, 6]]);
  near(vjp((x) => slice(x, 1, 3, 1), m).pullback(tensor([[1, 2], [3, 4]])), [0, 1, 2, 0, 3, 4]);
  modesAgree((x) => slice(mul(x, x), 1, 2, 0), randn([3, 2], { seed: 4 }));
  near(hessian((x) => sum(mul(slice(x, 0, 2), slice(x, 1, 3))))(tensor([1, 2, 3])), [0, 1, 0, 1, 0, 1, 0, 1, 0]);
});

test("slice rejects bad bounds, axes and scalars", () => {
  throwsKind(() => slice(arange(3), 0.5), TypeMismatchError, "slice", /start number 0.5 is not an integer/);
  throwsKind(() => slice(arange(3), 0, 1, 1), ShapeError, "slice", /axis 1 is out of range for a value of rank 1/);
  throwsKind(() => slice(2, 0, 1), ShapeError, "slice", /scalar/);
});

test("concat joins along an existing axis; its transpose slices the cotangent", () => {
  const a = tensor([[1, 2]]);
  const b = tensor([[3, 4], [5, 6]]);
  near(concat([a, b]), [1, 2, 3, 4, 5, 6]);
  near(concat([b, tensor([[7], [8]])], 1), [3, 4, 7, 5, 6, 8]);
  near(grad((x) => sum(mul(concat([x, mul(2, x)], 1), tensor([[1, 2, 3, 4]]))))(tensor([[1, 1]])), [1 + 6, 2 + 8]);
  modesAgree((x) => concat([x, sin(x), tensor([[9, 9]])], 0), randn([2, 2], { seed: 5 }));
  assert.is(concat([a]), a);
});

test("concat rejects empty lists, scalars and parts that do not fit", () => {
  throwsKind(() => concat([]), ShapeError, "concat", /the array is empty/);
  throwsKind(() => concat(tensor([1]) as never), TypeMismatchError, "concat", /expected an array of values, got Tensor\[1\]/);
  throwsKind(() => concat([1, 2]), ShapeError, "concat", /include a scalar/);
  throwsKind(() => concat([tensor([[1, 2]]), tensor([[1, 2, 3]])]), ShapeError, "concat", /shapes \[1, 2\], \[1, 3\] do not fit together along axis 0/);
  throwsKind(() => concat([tensor([1]), tensor([[1]])]), ShapeError, "concat", /shapes \[1\], \[1, 1\]/);
  throwsKind(() => concat([tensor([1]), "a" as never]), TypeMismatchError, "concat", /got string/);
});

test("stack joins values of one shape along a new axis; numbers make a 1-D tensor", () => {
  near(stack([1, 2, 3]), [1, 2, 3]);
  const a = tensor([1, 2]);
  const b = tensor([3, 4]);
  assert.equal(shapeOf(stack([a, b])), [2, 2]);
  near(stack([a, b], 1), [1, 3, 2, 4]);
  near(stack([a, b], -1), [1, 3, 2, 4]);
  assert.equal(grad((xs: Lifted[]) => sum(mul(stack(xs), tensor([1, 2, 3]))))([4, 5, 6]), [1, 2, 3]);
  near(grad((x) => sum(mul(stack([x, mul(x, x)], 1), tensor([[1, 1], [2, 2]]))))(tensor([1, 3])), [3, 2 * (1 + 6)]);
  modesAgree((x) => stack([x, sin(x)], 2), randn([2, 2], { seed: 6 }));
});

test("jvp through stack of scalars with a tangent on one of them", () => {
  near(jvp((t) => stack([t, mul(t, t), 1]), 3, 1).tangent, [1, 6, 0]);
});

test("stack rejects parts of different shapes and bad axes", () => {
  throwsKind(() => stack([tensor([1]), tensor([1, 2])]), ShapeError, "stack", /shapes \[1\], \[2\] differ; give every part the same shape/);
  throwsKind(() => stack([1, 2], 2), ShapeError, "stack", /axis 2 is out of range for a value of rank 1/);
  throwsKind(() => stack([]), ShapeError, "stack", /empty/);
});

test("multi-lane tangents pass through shape ops lane by lane: stack([dual(1, [1, 0]), 2]) has lanes [[1, 0], [0, 0]]", () => {
  const s = stack([dual(1, [1, 0]), 2]) as Dual;
  assert.equal(s.tangents.map((t) => (t as Tensor).toArray()), [[1, 0], [0, 0]]);
  const r = reshape(dual(2, [3, 4]), [1]) as Dual;
  assert.equal(r.tangents.map((t) => (t as Tensor).toArray()), [[3], [4]]);
});

test("jacfwd over a number[] input keeps its lanes through shape ops: d sum(stack(xs)) = ones", () => {
  assert.equal(jacfwd((xs: Lifted[]) => sum(stack(xs)))([1, 2]), [1, 1]);
  assert.equal(jacfwd((xs: Lifted[]) => sum(stack(xs)), { chunk: 1 })([1, 2, 3]), [1, 1, 1]);
});

test("reshape(zeros([0]), [0, -1]) is refused as ambiguous (NumPy and PyTorch refuse it); explicit shapes of size 0 still work", () => {
  throwsKind(() => reshape(zeros([0]), [0, -1]), ShapeError, "reshape", /the -1 in \[0, -1\] is ambiguous/);
  throwsKind(() => reshape(zeros([0, 3]), [-1, 0]), ShapeError, "reshape", /ambiguous/);
  assert.equal((reshape(zeros([0]), [0, 5]) as Tensor).shape, [0, 5]);
  assert.equal((reshape(zeros([2, 0]), [-1]) as Tensor).shape, [0]);
});

test.run();
