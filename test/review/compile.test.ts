/**
 * Review findings for compileGrad: values derived from the input outside
 * the recorded graph (detach, noGrad, hooks), guards on one-element
 * Tensors, and Dual/Var inputs after plain ones. Each expected value is
 * derived by hand in the test name or comment and checked against grad(f).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  compileGrad, grad, derivative, gt, mul, add, sum, max, noGrad, tensor, primal, Tensor,
  type Lifted, type Value, type Var,
} from "../../lib/index.ts";
import { close } from "../support/close.ts";

test("compileGrad(f)(5) equals 5 for f = x * detach(x) after recording at 2 (d/dx = detach(x) = x)", () => {
  const f = (x: Lifted): Value => mul(x, (x as Var).detach());
  const g = compileGrad(f);
  close(g(2) as number, 2);
  close(grad(f)(5) as number, 5);
  close(g(5) as number, 5);
});

test("compileGrad(f).valueAndGrad(5).value equals 30 for f = x + noGrad(x * x) after recording at 2", () => {
  const f = (x: Lifted): Value => add(x, noGrad(() => mul(x, x)));
  const g = compileGrad(f);
  g.valueAndGrad(2);
  const r = g.valueAndGrad(5);
  close(primal(r.value) as number, 30);
  close(r.grad as number, 1);
});

test("compileGrad(f)(5) equals 25 for f = x * noGrad(x * x) after recording at 2 (d/dx = x^2 held constant)", () => {
  const f = (x: Lifted): Value => mul(x, noGrad(() => mul(x, x)));
  const g = compileGrad(f);
  g(2);
  close(g(5) as number, 25);
});

test("compileGrad(f)(3) equals 18 for f = x^2 with a hook scaling the gradient by x, after recording at 1", () => {
  const f = (x: Lifted): Value => {
    const y = mul(x, x) as Var;
    y.registerHook((gy) => mul(gy, x));
    return y;
  };
  const g = compileGrad(f);
  close(primal(g(1) as Value) as number, 2);
  close(primal(g(3) as Value) as number, 18);
});

test("compileGrad re-records when gt on a one-element Tensor flips: gradient -3 at tensor([-1]) after recording at tensor([2])", () => {
  const f = (t: Lifted): Value => (gt(t, 0) ? sum(mul(t, t)) : sum(mul(t, -3)));
  const g = compileGrad(f);
  assert.equal(Array.from((g(tensor([2])) as Tensor).data), [4]);
  assert.equal(Array.from((grad(f)(tensor([-1])) as Tensor).data), [-3]);
  assert.equal(Array.from((g(tensor([-1])) as Tensor).data), [-3]);
  close(primal(g.valueAndGrad(tensor([-1])).value) as number, 3);
});

test("compileGrad re-records when gt on a keepdims max flips: gradient [-3, -3] at [-1, -2] after recording at [2, 1]", () => {
  const f = (t: Lifted): Value => (gt(max(t, 0, true), 0) ? sum(mul(t, t)) : sum(mul(t, -3)));
  const g = compileGrad(f);
  g(tensor([2, 1]));
  assert.equal(Array.from((g(tensor([-1, -2])) as Tensor).data), [-3, -3]);
});

test("derivative(x => g(x))(2) equals 12 for g = compileGrad(x^3) already called on a number", () => {
  const g = compileGrad((x: Lifted): Value => mul(mul(x, x), x));
  close(g(1) as number, 3);
  close(derivative((x) => g(x as never) as Value)(2) as number, 12);
});

test("compileGrad(x^3)(3) equals 27 after the same compiled gradient was differentiated by derivative at 2", () => {
  const g = compileGrad((x: Lifted): Value => mul(mul(x, x), x));
  close(derivative((x) => g(x as never) as Value)(2) as number, 12);
  close(g(3) as number, 27);
});

test("grad(x => g(x))(2) equals 12 for g = compileGrad(x^3) already called on a number", () => {
  const g = compileGrad((x: Lifted): Value => mul(mul(x, x), x));
  g(1);
  close(primal(grad((x: Lifted) => g(x as never) as Value)(2) as Value) as number, 12);
});

test.run();
