// stopGradient cuts every transform level at once, and Var.detach is its reverse-mode spelling.
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  stopGradient, grad, hessian, hvp, jacrev, jacfwd, gradients, variable, derivative, compileGrad, mul, sin, dual, tensor,
  Var, Tensor, TypeMismatchError, type Lifted, type Value,
} from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";

// f(x) = x² · c with c = x held constant: f'' = 2c = 4 at x = 2 (PyTorch's double autograd.grad and JAX agree).
const cut = (x: Lifted): Value => (x instanceof Var ? x.detach() : stopGradient(x));
const routes: [string, (f: (x: Lifted) => Value) => unknown][] = [
  ["gradients twice with createGraph", (f) => {
    const x = variable(2);
    const [g] = gradients(f(x) as Var, x, { createGraph: true });
    return gradients(g as Var, x)[0];
  }],
  ["hessian", (f) => hessian(f)(2)],
  ["grad of grad", (f) => grad(grad(f) as (x: Lifted) => Value)(2)],
  ["jacrev of grad", (f) => jacrev(grad(f) as (x: Lifted) => Value)(2)],
  ["jacfwd of grad", (f) => jacfwd(grad(f) as (x: Lifted) => Value)(2)],
  ["hvp", (f) => hvp(f)(2, 1)],
  ["derivative of derivative", (f) => derivative(derivative(f) as (x: Lifted) => Value)(2)],
];

test("every second-order route gives 4 for f = x => mul(mul(x, x), stopGradient(x)) at 2", () => {
  const f = (x: Lifted) => mul(mul(x, x), stopGradient(x));
  for (const [name, run] of routes) assert.is(run(f), 4, name);
});

test("every second-order route gives 4 when the cut is spelt x.detach() on Vars", () => {
  const f = (x: Lifted) => mul(mul(x, x), cut(x));
  for (const [name, run] of routes) assert.is(run(f), 4, name);
});

test("stopGradient returns the plain value under every wrapper, arrays elementwise", () => {
  assert.is(stopGradient(dual(dual(3))), 3);
  assert.is(stopGradient(variable(dual(4))), 4);
  const t = tensor([1, 2]);
  assert.is(stopGradient(t), t);
  assert.equal(stopGradient([dual(1), 2, [variable(3)]]), [1, 2, [3]]);
  assert.equal(stopGradient({ w: dual(1), b: [variable(dual(2))] }), { w: 1, b: [2] });
  assert.is(variable(dual(5)).detach().value, 5);
  assert.is(variable(dual(5)).detach().requiresGrad, false);
});

test("first order: the derivative of sin(x) · stopGradient(x) is cos(x) · x in both modes", () => {
  const f = (x: Lifted) => mul(sin(x), stopGradient(x));
  assert.is(grad(f)(0.5), Math.cos(0.5) * 0.5);
  assert.is(derivative(f)(0.5), Math.cos(0.5) * 0.5);
});

test("compileGrad records a stopGradient cut once and its replays recompute it: d/dx of c x² with c = x is 2 x² at every input", () => {
  const g = compileGrad((x: Lifted) => mul(mul(x, x), stopGradient(x)));
  assert.is(g(2), 8);
  assert.is(g(3), 18);
  assert.is(g.valueAndGrad(-5).value, -125);
  assert.is(g.recordings, 1);
});

test("inside a compileGrad recording, stopGradient of a recorded value is a Var of the recording; outside it is the plain value", () => {
  let seen: unknown = null;
  compileGrad((x: Lifted) => {
    seen = stopGradient(x);
    return mul(x, x);
  })(2);
  assert.ok(seen instanceof Var);
  assert.is((seen as Var).value, 2);
  let plain: unknown = null;
  grad((x: Lifted) => {
    plain = stopGradient(x);
    return mul(x, x);
  })(2);
  assert.is(plain, 2);
});

test("stopGradient of something that is not a value throws a TypeMismatchError", () => {
  throwsKind(() => stopGradient("x" as never), TypeMismatchError, "stopGradient", /string "x"/);
  assert.ok(stopGradient(tensor([1])) instanceof Tensor);
});

test.run();
