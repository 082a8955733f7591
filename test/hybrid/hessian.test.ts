import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  hessian, hvp, jacrev, grad, mul, add, sin, cos, exp, sum, eye, tensor, Tensor,
  ShapeError, TypeMismatchError, DomainError, type Lifted, type Value,
} from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";
import { close, closeMat } from "../support/close.ts";
import { separable, C, t0, hDiagPrime } from "../support/separable.ts";
import { vec } from "../support/tensors.ts";
import { total } from "../support/total.ts";
import { noGrad, variable, defineOp, where, gt, lt, jacobian, explainJacobian, compileGrad, isGradEnabled, type Var } from "../../lib/index.ts";

/** f = x0^2 x1 + sin(x0 x1). */
const f = (x: Lifted[]) => add(mul(mul(x[0]!, x[0]!), x[1]!), sin(mul(x[0]!, x[1]!)));
function handH(a: number, b: number): number[][] {
  const s = Math.sin(a * b);
  const c = Math.cos(a * b);
  const off = 2 * a + c - a * b * s;
  return [[2 * b - b * b * s, off], [off, -a * a * s]];
}

/** g = x0 x1 x2 + exp(x0) cos(x2): a 3-input case with a zero entry. */
const g = (x: Lifted[]) => add(mul(mul(x[0]!, x[1]!), x[2]!), mul(exp(x[0]!), cos(x[2]!)));
function handG([a, b, c]: number[]): number[][] {
  const e = Math.exp(a!);
  return [
    [e * Math.cos(c!), c!, b! - e * Math.sin(c!)],
    [c!, 0, a!],
    [b! - e * Math.sin(c!), a!, -e * Math.cos(c!)],
  ];
}

test("hessian(f)(x) equals the hand-derived Hessian of x0^2 x1 + sin(x0 x1)", () => {
  for (const [a, b] of [[0.7, -1.3], [2, 0.5], [0, 1]] as [number, number][]) {
    closeMat(hessian(f)([a, b]) as number[][], handH(a, b));
  }
});

test("hessian(f)(x) is symmetric", () => {
  const H = hessian(g)([0.3, -0.8, 1.9]) as number[][];
  for (let i = 0; i < 3; i++) for (let j = 0; j < i; j++) assert.ok(Math.abs(H[i]![j]! - H[j]![i]!) <= 1e-14 * Math.max(1, Math.abs(H[i]![j]!)));
  closeMat(H, handG([0.3, -0.8, 1.9]));
});

test("hessian by forward over reverse equals reverse over reverse", () => {
  const x = [0.3, -0.8, 1.9];
  closeMat(hessian(g)(x) as number[][], jacrev((v: Lifted[]) => grad(g)(v) as unknown as Lifted[])(x) as number[][]);
});

test("hessian gives the same matrix for every chunk size", () => {
  const want = handG([1.1, 0.2, -0.5]);
  for (const chunk of [1, 2, 3, 8]) closeMat(hessian(g, { chunk })([1.1, 0.2, -0.5]) as number[][], want);
});

test("hessian of a scalar function of a number is f'': (x^3)'' = 6x", () => {
  assert.is(hessian((x: Lifted) => mul(mul(x, x), x))(2), 12);
});

test("hessian of a scalar function of a Tensor is an [n, n] Tensor: total(x^3) -> diag(6x)", () => {
  const H = hessian((x: Lifted) => total(mul(mul(x, x), x)) as Lifted)(vec(1, 2)) as Tensor;
  assert.instance(H, Tensor);
  assert.equal(H.toArray(), [[6, 0], [0, 12]]);
});

test("hvp(f)(x, v) equals H v for the hand Hessian", () => {
  const x = [0.3, -0.8, 1.9];
  const H = handG(x);
  for (const v of [[1, 0, 0], [0, 1, 0], [0.5, -2, 1.5]]) {
    const got = hvp(g)(x, v) as number[];
    const want = H.map((row) => row.reduce((s, h, j) => s + h * v[j]!, 0));
    closeMat([got], [want]);
  }
});

test("hvp on a number and on a Tensor", () => {
  assert.is(hvp((x: Lifted) => mul(mul(x, x), x))(2, 0.5), 6);
  const r = hvp((x: Lifted) => total(mul(mul(x, x), x)) as Lifted)(vec(1, 2), vec(1, 1)) as Tensor;
  assert.equal(r.toArray(), [6, 12]);
});

test("hessian and hvp reject a non-function", () => {
  throwsKind(() => hessian(1 as never), TypeMismatchError, "hessian", /expected a function, got number 1/);
  throwsKind(() => hvp({} as never), TypeMismatchError, "hvp", /expected a function, got Object/);
});

test("hessian and hvp of a non-scalar f throw a ShapeError naming themselves", () => {
  throwsKind(() => hessian((x: Lifted) => mul(x, x))(vec(1, 2)), ShapeError, "hessian", /not a scalar/);
  throwsKind(() => hvp((x: Lifted) => mul(x, x))(vec(1, 2), vec(1, 1)), ShapeError, "hvp", /not a scalar/);
});

test("grad(t => total(hessian(total(t^3))(t) * t))(t) on a Tensor equals 12 t: H = diag(6t) flows back through the outer grad", () => {
  const cube = (x: Lifted) => total(mul(mul(x, x), x)) as Lifted;
  // total(diag(6t) * t) broadcasts t along the last axis: sum_i 6 t_i t_i, whose gradient is 12 t.
  const G = grad((t: Lifted) => total(mul(hessian(cube)(t as never) as Lifted, t)) as Lifted)(vec(0.5, -2)) as Tensor;
  closeMat([Array.from(G.data)], [[6, -24]]);
});

test("hessian names itself in errors raised by its forward pass", () => {
  throwsKind(() => hessian(f, { chunk: 0 }), DomainError, "hessian", /chunk must be a positive integer/);
  throwsKind(() => hessian(f)([1, "2"] as never), TypeMismatchError, "hessian", /element 1 of the input array is string "2"/);
});

test("hvp rejects a direction shaped unlike x", () => {
  throwsKind(() => hvp(g)([1, 2, 3], [1, 2]), ShapeError, "jvp", /does not match the input's structure/);
});

test("grad(t => sum(hessian(f)(t) * I))(t) equals the hand derivative of the Hessian trace for f: Tensor[3] -> R, f(t) = sum sin(t) exp(c t)", () => {
  const g = grad((t: Lifted) => sum(mul(hessian(separable)(t as never) as Value, eye(3))))(tensor(t0)) as Tensor;
  for (let i = 0; i < 3; i++) close(g.data[i]!, hDiagPrime(t0[i]!, C[i]!), 1e-12);
});

test("an error raised inside grad(t => hessian(f)(t)) on a Tensor names hessian, not jacfwd: an empty Tensor is hessian's DomainError", () => {
  // On a non-empty Tensor the same nesting succeeds (the test above); an empty
  // one makes the forward pass inside hessian refuse, under hessian's name.
  throwsKind(() => grad((t: Lifted) => sum(mul(hessian(separable)(t as never) as Value, eye(0))))(tensor([])),
    DomainError, "hessian", /the input has no elements/);
});

test("hessian and hvp of a function returning an array name themselves, not grad", () => {
  throwsKind(() => hessian((x: Lifted[]) => [x[0]!, x[1]!])([1, 2]), TypeMismatchError, "hessian", /f returned array\(2\)/);
  throwsKind(() => hvp((x: Lifted[]) => [x[0]!, x[1]!])([1, 2], [1, 0]), TypeMismatchError, "hvp", /f returned array\(2\)/);
});

test.run();
