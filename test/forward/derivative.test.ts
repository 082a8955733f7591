import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  derivative, dual, grad, mul, add, sin, cos, exp, Tensor, Dual,
  PerturbationError, TypeMismatchError, type Lifted,
} from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";
import { close } from "../support/close.ts";
import { vec } from "../support/tensors.ts";

const cube = (x: Lifted) => mul(mul(x, x), x);

test("derivative(f)(x) equals 3x^2 for f = x^3", () => {
  for (const x of [-2, 0, 0.5, 3]) assert.is(derivative(cube)(x), 3 * x * x);
});

test("derivative(f)(x) equals the central difference for f = sin(x) exp(x)", () => {
  const f = (x: Lifted) => mul(sin(x), exp(x));
  const plain = (x: number) => Math.sin(x) * Math.exp(x);
  for (const x of [-1, 0.3, 2]) {
    const h = 1e-5;
    close(derivative(f)(x) as number, (plain(x + h) - plain(x - h)) / (2 * h), 1e-8);
    close(derivative(f)(x) as number, Math.exp(x) * (Math.sin(x) + Math.cos(x)));
  }
});

test("derivative is free of perturbation confusion: d/dx [x * d/dy (x + y)] at 1 is 1", () => {
  assert.is(derivative((x) => mul(x, derivative((y) => add(x, y))(1) as Lifted))(1), 1);
});

test("derivative is free of perturbation confusion: d/dx [d/dy (x y) at 2] at 1 is 1", () => {
  assert.is(derivative((x) => derivative((y) => mul(x, y))(2) as Lifted)(1), 1);
});

test("nested derivative with the outer variable as the inner point: d/dx [d/dy (x y^2) at y = x] = 4x", () => {
  const f = (x: Lifted) => derivative((y) => mul(mul(x, y), y))(x) as Lifted;
  assert.is(derivative(f)(3), 12);
});

test("the third derivative of sin by nesting derivative is -cos", () => {
  const d1 = (x: Lifted) => derivative(sin)(x) as Lifted;
  const d2 = (x: Lifted) => derivative(d1)(x) as Lifted;
  close(derivative(d2)(0.7) as number, -Math.cos(0.7), 1e-15);
});

test("derivative over grad and grad over derivative agree with the hand formula 4x for d/dx [d/dy (x y^2)]_{y=x}", () => {
  assert.is(derivative((x) => grad((y) => mul(mul(x, y), y))(x) as unknown as Lifted)(3), 12);
  assert.is(grad((x) => derivative((y) => mul(mul(x, y), y))(x) as Lifted)(3), 12);
});

test("derivative of an array-valued f gives the array of derivatives", () => {
  assert.equal(derivative((x) => [mul(x, x), sin(x), 4])(2), [4, Math.cos(2), 0]);
});

test("derivative of a Tensor-valued f gives a Tensor: d/dx (x [1, 2, 3]) = [1, 2, 3]", () => {
  const d = derivative((x) => mul(x, vec(1, 2, 3)))(2) as Tensor;
  assert.instance(d, Tensor);
  assert.equal(d.toArray(), [1, 2, 3]);
});

test("derivative of a constant f is 0 (a zero Tensor for a Tensor constant)", () => {
  assert.is(derivative(() => 5)(2), 0);
  assert.equal((derivative(() => vec(1, 2))(2) as Tensor).toArray(), [0, 0]);
});

test("derivative(f) at a hand-made Dual gives a Dual carrying the second derivative: cos at dual(0.5)", () => {
  const r = derivative(cos)(dual(0.5)) as Dual;
  assert.instance(r, Dual);
  close(r.value as number, -Math.sin(0.5), 1e-15);
  close(r.tangent as number, -Math.cos(0.5), 1e-15);
});

test("derivative(f) rejects a non-function", () => {
  throwsKind(() => derivative(3 as never), TypeMismatchError, "derivative", /expected a function, got number 3/);
});

test("derivative(f)(x) rejects a vector or non-number x", () => {
  throwsKind(() => derivative(sin)([1, 2] as never), TypeMismatchError, "derivative", /x is array\(2\), not a scalar.*jvp or jacfwd/);
  throwsKind(() => derivative(sin)(vec(1, 2) as never), TypeMismatchError, "derivative", /x is Tensor\[2\]/);
  throwsKind(() => derivative(sin)("1" as never), TypeMismatchError, "derivative", /x is string/);
});

test("derivative(f)(x) rejects a result that is not a value", () => {
  throwsKind(() => derivative(() => "y" as never)(1), TypeMismatchError, "derivative", /f returned string "y"/);
});

test("derivative rejects returning a Dual from a transform nested inside f", () => {
  let inner: Lifted | null = null;
  throwsKind(() => derivative((x) => {
    derivative((y) => (inner = mul(x, y)))(1);
    return inner!;
  })(2), PerturbationError, "derivative", /f returned a Dual or Var created by a transform nested inside it/);
});

test.run();
