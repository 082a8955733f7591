import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  jacfwd, jacrev, DEFAULT_CHUNK, mul, add, sin, cos, exp, tensor, Tensor,
  DomainError, TypeMismatchError, type Lifted, type Value,
} from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";
import { countComputes } from "../support/spy.ts";
import { defaultChunk, TENSOR_CHUNK } from "../../lib/forward/jacfwd.ts";
import { splitInput } from "../../lib/structure/structure.ts";
import { close, closeMat } from "../support/close.ts";
import { separable, C, t0, hDiag } from "../support/separable.ts";
import { vec } from "../support/tensors.ts";
import { zeros, ones, full, eye, arange, rand, randn, broadcastTo, outer, matmul, reshape, noGrad, ShapeError, slice, tanh } from "../../lib/index.ts";
import { setAllocatorForTesting, MAX_TENSOR_SIZE } from "../../lib/tensor/tensor.ts";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** f: R^5 -> R^3, f = [x0 x1 x2, sin(x3) + x4^2, exp(x0) x4]. */
const f5 = (x: Lifted[]) => [
  mul(mul(x[0]!, x[1]!), x[2]!),
  add(sin(x[3]!), mul(x[4]!, x[4]!)),
  mul(exp(x[0]!), x[4]!),
];
const J5 = ([a, b, c, d, e]: number[]) => [
  [b! * c!, a! * c!, a! * b!, 0, 0],
  [0, 0, 0, Math.cos(d!), 2 * e!],
  [Math.exp(a!) * e!, 0, 0, 0, Math.exp(a!)],
];
const X5 = [0.5, -1.5, 2, 0.3, -0.7];

test("jacfwd(f)(x) equals the hand-derived 3 x 5 Jacobian with the default chunk", () => {
  assert.ok(Number.isInteger(DEFAULT_CHUNK) && DEFAULT_CHUNK >= 1);
  closeMat(jacfwd(f5)(X5) as number[][], J5(X5));
});

test("jacfwd gives the same Jacobian for every chunk size 1..6", () => {
  const want = J5(X5);
  for (let chunk = 1; chunk <= 6; chunk++) closeMat(jacfwd(f5, { chunk })(X5) as number[][], want);
});

test("jacfwd agrees with jacrev (the other mode)", () => {
  const x = [-0.2, 0.9, 1.3, -2, 0.4];
  closeMat(jacfwd(f5, { chunk: 2 })(x) as number[][], jacrev(f5)(x) as number[][]);
});

test("jacfwd layout array -> array is m x n; a constant output has a zero row", () => {
  const J = jacfwd((x: Lifted[]) => [mul(x[0]!, x[1]!), 7, x[1]!])([2, 3]) as number[][];
  assert.equal(J, [[3, 2], [0, 0], [0, 1]]);
});

test("jacfwd layout scalar -> array is the array of m derivatives", () => {
  assert.equal(jacfwd((x: Lifted) => [mul(x, x), sin(x), 1])(2), [4, Math.cos(2), 0]);
});

test("jacfwd layout array -> scalar is the gradient row of n entries", () => {
  assert.equal(jacfwd((x: Lifted[]) => mul(x[0]!, mul(x[1]!, x[2]!)))([2, 3, 4]), [12, 8, 6]);
});

test("jacfwd layout scalar -> scalar is the number f'(x)", () => {
  assert.is(jacfwd((x: Lifted) => mul(x, x))(3), 6);
});

test("jacfwd layout Tensor[2] -> Tensor[2] is a Tensor of shape [2, 2]", () => {
  const J = jacfwd((t: Lifted) => add(mul(t, t), sin(t)))(vec(1, 2)) as Tensor;
  assert.instance(J, Tensor);
  assert.equal(J.shape, [2, 2]);
  closeMat(J.toArray() as number[][], [[2 + Math.cos(1), 0], [0, 4 + Math.cos(2)]]);
});

test("jacfwd layout Tensor -> array of Tensors gives one [out..., in...] Tensor per output", () => {
  const J = jacfwd((t: Lifted) => [mul(t, 2), cos(t)])(vec(0.5, -1)) as Tensor[];
  assert.is(J.length, 2);
  assert.equal(J[0]!.toArray(), [[2, 0], [0, 2]]);
  closeMat(J[1]!.toArray() as number[][], [[-Math.sin(0.5), 0], [0, Math.sin(1)]]);
});

test("jacfwd layout scalar -> Tensor[3] is a Tensor of shape [3]", () => {
  const J = jacfwd((x: Lifted) => mul(x, vec(1, 2, 3)))(2) as Tensor;
  assert.equal(J.shape, [3]);
  assert.equal(J.toArray(), [1, 2, 3]);
});

test("jacfwd of a number[] input with a Tensor output falls back to one direction per pass: shape [3, 2]", () => {
  const J = jacfwd((x: Lifted[]) => mul(x[0]!, vec(1, 2, 3)))([2, 5]) as Tensor;
  assert.equal(J.shape, [3, 2]);
  assert.equal(J.toArray(), [[1, 0], [2, 0], [3, 0]]);
});

test("jacfwd of jacfwd is the Hessian: f = x0^2 x1 + sin(x0 x1)", () => {
  const f = (x: Lifted[]) => add(mul(mul(x[0]!, x[0]!), x[1]!), sin(mul(x[0]!, x[1]!)));
  const [a, b] = [0.7, -1.3];
  const s = Math.sin(a * b);
  const c = Math.cos(a * b);
  const want = [[2 * b - b * b * s, 2 * a + c - a * b * s], [2 * a + c - a * b * s, -a * a * s]];
  for (const chunk of [1, 2]) {
    closeMat(jacfwd((x: Lifted[]) => jacfwd(f, { chunk })(x) as Lifted[], { chunk })([a, b]) as number[][], want);
  }
});

test("jacfwd of the identity is the identity matrix", () => {
  assert.equal(jacfwd((x: Lifted[]) => x)([1, 2]), [[1, 0], [0, 1]]);
  assert.equal(jacfwd((x: Lifted[]) => [x[0]!, x[0]!])([1, 2]), [[1, 0], [1, 0]]);
});

/** d/dt_k of J_ij = diag(2t)_ij is 2 when i = j = k, else 0: the [2, 2, 2] third-order tensor of u*u. */
function assertDiag2(T: Tensor): void {
  assert.equal(T.shape, [2, 2, 2]);
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) for (let k = 0; k < 2; k++) {
    assert.is(T.data[(i * 2 + j) * 2 + k], i === j && j === k ? 2 : 0);
  }
}

test("jacfwd(t => jacfwd(u => u*u)(t))(t) on a Tensor is the [2, 2, 2] tensor with 2 at i = j = k, for every chunk", () => {
  for (const chunk of [1, 2, 8]) {
    assertDiag2(jacfwd((t: Lifted) => jacfwd((u: Lifted) => mul(u, u), { chunk })(t) as Lifted, { chunk })(vec(1, 2)) as Tensor);
  }
});

test("jacfwd over jacrev on a Tensor (u => u*u) gives the same [2, 2, 2] tensor", () => {
  assertDiag2(jacfwd((t: Lifted) => jacrev((u: Lifted) => mul(u, u))(t) as Lifted)(vec(1, 2)) as Tensor);
});

test("jacfwd inside jacfwd with array outputs of Tensors: d/dt of [J(sin t), J(t*t)] = [diag(-sin t) per k, 2 at i = j = k]", () => {
  const t0 = [0.4, -1.1];
  const inner = (t: Lifted) => jacfwd((u: Lifted) => [sin(u), mul(u, u)])(t) as Lifted[];
  const [A, B] = jacfwd(inner)(vec(...t0)) as Tensor[];
  assertDiag2(B!);
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) for (let k = 0; k < 2; k++) {
    assert.is(A!.data[(i * 2 + j) * 2 + k], i === j && j === k ? -Math.sin(t0[i]!) : 0);
  }
});

test("jacfwd of an empty input array is an empty Jacobian", () => {
  assert.equal(jacfwd((x: Lifted[]) => x)([]), []);
});

test("jacfwd rejects a chunk that is not a positive integer with DomainError", () => {
  for (const chunk of [0, -1, 1.5, NaN, Infinity]) {
    throwsKind(() => jacfwd(f5, { chunk }), DomainError, "jacfwd", /chunk must be a positive integer/);
  }
  throwsKind(() => jacfwd(f5, { chunk: "2" as never }), DomainError, "jacfwd", /got string "2"/);
});

test("jacfwd rejects a non-function", () => {
  throwsKind(() => jacfwd({} as never), TypeMismatchError, "jacfwd", /expected a function, got Object/);
});

test("jacfwd rejects a bad input and a bad result", () => {
  throwsKind(() => jacfwd(f5)("x" as never), TypeMismatchError, "jacfwd", /the input is string "x"/);
  throwsKind(() => jacfwd(f5)([1, null] as never), TypeMismatchError, "jacfwd", /element 1 of the input array is null/);
  throwsKind(() => jacfwd((_x: Lifted[]) => [1, "y"] as never)([1]), TypeMismatchError, "jacfwd", /element 1 of f's result is string "y"/);
});

test("jacfwd(jacfwd(f))(t) equals the hand Hessian diag(h_i) for f: Tensor[3] -> R, f(t) = sum sin(t) exp(c t)", () => {
  const H = jacfwd((t: Lifted) => jacfwd(separable)(t as never) as Value)(tensor(t0)) as Tensor;
  assert.equal(H.shape, [3, 3]);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) close(H.data[i * 3 + j]!, i === j ? hDiag(t0[i]!, C[i]!) : 0, 1e-12);
});

const jacfwdTestDir = dirname(fileURLToPath(import.meta.url));

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
  const r = spawnSync(process.execPath, ["--max-old-space-size=64", "--import", "tsx", join(jacfwdTestDir, "../support/big-jacobian.ts"), "4000"],
    { cwd: join(jacfwdTestDir, "../.."), encoding: "utf8", timeout: 60_000 });
  assert.is(r.status, 0, r.stderr.slice(0, 400));
  assert.equal(JSON.parse(r.stdout), { shape: [4000, 4000], sum: 12000, diag: 3 });
});

test("jacfwd of tanh(W x), Tensor[7] -> Tensor[2, 3], equals (1 - tanh²(W x)) W by hand for chunks 1..8 (passes writing into one m x n buffer)", () => {
  const W = randn([6, 7], { seed: 5 });
  const x = randn([7], { seed: 6 });
  const f = (v: Lifted) => reshape(tanh(matmul(W, v)), [2, 3]);
  const hand: number[] = [];
  for (let i = 0; i < 6; i++) {
    let y = 0;
    for (let j = 0; j < 7; j++) y += W.data[i * 7 + j]! * x.data[j]!;
    const d = 1 - Math.tanh(y) ** 2;
    for (let j = 0; j < 7; j++) hand.push(d * W.data[i * 7 + j]!);
  }
  for (let chunk = 1; chunk <= 8; chunk++) {
    const J = jacfwd(f, { chunk })(x) as Tensor;
    assert.equal(J.shape, [2, 3, 7], `chunk ${chunk}`);
    hand.forEach((h, k) => close(J.data[k]!, h, 1e-14, `chunk ${chunk}, entry ${k}`));
  }
});

test("jacfwd with two Tensor outputs lays each out as its own [out..., in...] Tensor from the one buffer", () => {
  const x = tensor([0.5, -1, 2]);
  const [A, B] = jacfwd((v: Lifted) => [mul(v, v), sin(v)], { chunk: 2 })(x) as Tensor[];
  closeMat(A!.toArray() as number[][], [[1, 0, 0], [0, -2, 0], [0, 0, 4]]);
  closeMat(B!.toArray() as number[][], [[Math.cos(0.5), 0, 0], [0, Math.cos(-1), 0], [0, 0, Math.cos(2)]]);
});

test("jacfwd of a Tensor[20] input pushes all 20 lanes in ONE pass by default, 3 passes with { chunk: 8 }, same Jacobian", () => {
  const W = randn([30, 20], { seed: 7 });
  const x = randn([20], { seed: 8 });
  const f = (v: Lifted) => tanh(matmul(W, v));
  const wide = countComputes("matmul", () => jacfwd(f)(x) as Tensor);
  const narrow = countComputes("matmul", () => jacfwd(f, { chunk: 8 })(x) as Tensor);
  // Each pass computes W x once and W times the [lanes, 20] tangent once.
  assert.is(wide.calls, 2);
  assert.is(narrow.calls, 6);
  assert.equal(Array.from(wide.result.data), Array.from(narrow.result.data));
});

test("defaultChunk: all the elements of Tensor inputs up to TENSOR_CHUNK, fewer for huge inputs but never below DEFAULT_CHUNK; DEFAULT_CHUNK otherwise", () => {
  const at = (x: unknown) => defaultChunk(splitInput("jacfwd", x));
  assert.is(at(zeros([10])), 10);
  assert.is(at(zeros([3, 4])), 12);
  assert.is(at([zeros([3]), zeros([2])]), 5);
  assert.is(at(zeros([500])), TENSOR_CHUNK);
  assert.is(at(zeros([1 << 15])), 32);
  assert.is(at(zeros([1 << 19])), DEFAULT_CHUNK);
  assert.is(at([1, 2, 3]), DEFAULT_CHUNK);
  assert.is(at(2), DEFAULT_CHUNK);
  assert.is(at([zeros([3]), 4]), DEFAULT_CHUNK);
});

test("jacfwd(f, null) throws a TypeMismatchError naming the options before reading any of them", () => {
  throwsKind(() => jacfwd((x: Lifted) => x, null as never), TypeMismatchError, "jacfwd", /options is null/);
});

test.run();
