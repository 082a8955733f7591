import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  jacrev, jacfwd, variable, mul, add, sin, cos, exp, sum, tensor, primal, matmul, tanh, Tensor,
  TypeMismatchError, type Lifted, type Var,
} from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";
import { closeMat } from "../support/close.ts";
import { vec } from "../support/tensors.ts";
import { countComputes } from "../support/spy.ts";

/** f: R^4 -> R^2, f = [x0 x1 + x2, exp(x3) sin(x0)]. */
const f4 = (x: Lifted[]) => [add(mul(x[0]!, x[1]!), x[2]!), mul(exp(x[3]!), sin(x[0]!))];
const J4 = ([a, b, , d]: number[]) => [[b!, a!, 1, 0], [Math.exp(d!) * Math.cos(a!), 0, 0, Math.exp(d!) * Math.sin(a!)]];

test("jacrev(f)(x) equals the hand-derived 2 x 4 Jacobian", () => {
  const x = [0.5, -2, 3, 0.25];
  closeMat(jacrev(f4)(x) as number[][], J4(x));
});

test("jacrev agrees with jacfwd", () => {
  const x = [-1.3, 0.4, 0.9, -0.6];
  closeMat(jacrev(f4)(x) as number[][], jacfwd(f4)(x) as number[][]);
});

test("jacrev layout scalar -> array, array -> scalar and scalar -> scalar", () => {
  assert.equal(jacrev((x: Lifted) => [mul(x, x), sin(x), 1])(2), [4, Math.cos(2), 0]);
  assert.equal(jacrev((x: Lifted[]) => mul(x[0]!, mul(x[1]!, x[2]!)))([2, 3, 4]), [12, 8, 6]);
  assert.is(jacrev((x: Lifted) => mul(x, x))(3), 6);
});

test("jacrev layout Tensor[2] -> Tensor[2] is a [2, 2] Tensor", () => {
  const J = jacrev((t: Lifted) => add(mul(t, t), sin(t)))(vec(1, 2)) as Tensor;
  assert.instance(J, Tensor);
  closeMat(J.toArray() as number[][], [[2 + Math.cos(1), 0], [0, 4 + Math.cos(2)]]);
});

test("jacrev of Tensor[2] -> [Tensor[2], Tensor[2]] gives one Tensor per output", () => {
  const J = jacrev((t: Lifted) => [mul(t, 2), cos(t)])(vec(0.5, -1)) as Tensor[];
  assert.equal(J[0]!.toArray(), [[2, 0], [0, 2]]);
  closeMat(J[1]!.toArray() as number[][], [[-Math.sin(0.5), 0], [0, Math.sin(1)]]);
});

test("jacrev of number[] -> Tensor[3] is a [3, 2] Tensor", () => {
  const J = jacrev((x: Lifted[]) => mul(x[0]!, vec(1, 2, 3)))([2, 5]) as Tensor;
  assert.equal(J.shape, [3, 2]);
  assert.equal(J.toArray(), [[1, 0], [2, 0], [3, 0]]);
});

test("jacrev gives zero rows for outputs that do not depend on x", () => {
  assert.equal(jacrev((x: Lifted[]) => [7, x[1]!])([1, 2]), [[0, 0], [0, 1]]);
});

test("jacrev of jacrev is the Hessian: f = x0^2 x1 + sin(x0 x1)", () => {
  const f = (x: Lifted[]) => add(mul(mul(x[0]!, x[0]!), x[1]!), sin(mul(x[0]!, x[1]!)));
  const [a, b] = [0.7, -1.3];
  const s = Math.sin(a * b);
  const c = Math.cos(a * b);
  const want = [[2 * b - b * b * s, 2 * a + c - a * b * s], [2 * a + c - a * b * s, -a * a * s]];
  closeMat(jacrev((x: Lifted[]) => jacrev(f)(x) as Lifted[])([a, b]) as number[][], want);
});

test("jacrev of the identity is the identity matrix; a repeated input gives repeated rows", () => {
  assert.equal(jacrev((x: Lifted[]) => x)([1, 2]), [[1, 0], [0, 1]]);
  assert.equal(jacrev((x: Lifted[]) => [x[0]!, x[0]!])([1, 2]), [[1, 0], [1, 0]]);
});

test("jacrev(t => jacrev(u => u*u)(t))(t) on a Tensor is the [2, 2, 2] tensor with 2 at i = j = k", () => {
  const T = jacrev((t: Lifted) => jacrev((u: Lifted) => mul(u, u))(t) as Lifted)(vec(1, 2)) as Tensor;
  assert.equal(T.shape, [2, 2, 2]);
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) for (let k = 0; k < 2; k++) {
    assert.is(T.data[(i * 2 + j) * 2 + k], i === j && j === k ? 2 : 0);
  }
});

test("jacrev over jacfwd on a Tensor: d/dt of J(sin t) = diag(cos t) is -sin t_i at i = j = k", () => {
  const t0 = [0.3, 1.2];
  const T = jacrev((t: Lifted) => jacfwd((u: Lifted) => sin(u))(t) as Lifted)(vec(...t0)) as Tensor;
  assert.equal(T.shape, [2, 2, 2]);
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) for (let k = 0; k < 2; k++) {
    const want = i === j && j === k ? -Math.sin(t0[i]!) : 0;
    assert.ok(Math.abs(T.data[(i * 2 + j) * 2 + k]! - want) <= 1e-15, `entry ${i}${j}${k}`);
  }
});

test("jacrev rejects a non-function, a bad input and a bad result", () => {
  throwsKind(() => jacrev(42 as never), TypeMismatchError, "jacrev", /expected a function, got number 42/);
  throwsKind(() => jacrev(f4)([1, "2"] as never), TypeMismatchError, "jacrev", /element 1 of the input array is string "2"/);
  throwsKind(() => jacrev(() => [1, new Map()] as never)(1), TypeMismatchError, "jacrev", /element 1 of f's result is Map/);
});

test("jacrev(t => t * w)(x) for a Tensor Var w equals diag(w), and backward through its sum gives w.grad = [1, 1]", () => {
  const w = variable(tensor([1, 2]));
  const J = jacrev((t: Lifted) => mul(t, w))(tensor([3, 4])) as unknown as Var;
  assert.equal(Array.from((primal(J) as Tensor).data), [1, 0, 0, 2]);
  (sum(J) as Var).backward();
  assert.equal(Array.from((w.grad as Tensor).data), [1, 1]);
});

test("jacrev of a Tensor output pulls all its rows back in one sweep: matmul runs once to record and once for all 6 rows", () => {
  const W = tensor([[1, 2], [3, 4], [5, 6], [-1, 0], [0, -2], [2, 2]]);
  const x = tensor([0.3, -0.2]);
  const { result, calls } = countComputes("matmul", () => jacrev((v: Lifted) => tanh(matmul(W, v)))(x));
  const J = result as Tensor;
  assert.is(calls, 2);
  {
    // d tanh(W x)_i / d x_j = (1 - tanh²((W x)_i)) W_ij
    const rows = (W.toArray() as number[][]).map((w) => {
      const d = 1 - Math.tanh(w[0]! * 0.3 - w[1]! * 0.2) ** 2;
      return w.map((v) => d * v);
    });
    closeMat(J.toArray() as number[][], rows);
  }
});

test("jacrev of an output of 1100 elements sweeps its rows in two blocks (bounded seed memory), equal to jacfwd", () => {
  const W = new Tensor(Float64Array.from({ length: 2200 }, (_, i) => Math.sin(i)), [1100, 2]);
  const f = (v: Lifted) => tanh(matmul(W, v));
  const { result, calls } = countComputes("matmul", () => jacrev(f)(tensor([0.5, -0.25])));
  const J = result as Tensor;
  assert.is(calls, 3); // one recording, two blocks of rows
  assert.equal(Array.from(J.data), Array.from((jacfwd(f)(tensor([0.5, -0.25])) as Tensor).data));
});

test.run();
