/**
 * Review findings on nesting: Jacobians of Tensor functions inside other
 * transforms (README: "all nestings (e.g. hessian of a function of a
 * Tensor) work"), the API an error names, and grad returning an internal
 * Var when a hook inside f closes over the input.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  grad, hessian, jacfwd, jacrev, variable, sum, mul, sin, exp, eye, tensor, primal, DualtapeError,
  type Lifted, type Tensor, type Value, type Var,
} from "../../lib/index.ts";
import { close } from "../support/close.ts";

// f(t) = sum_i sin(t_i) exp(c_i t_i), c = [1, 2, 3]: separable, so
// H = diag(h_i), h_i = -sin t e^{ct} + 2c cos t e^{ct} + c^2 sin t e^{ct}, and
// d/dt_i trace(H) = h_i' = e^{ct}((c^3 - 3c) sin t + (3c^2 - 1) cos t).
const C = [1, 2, 3];
const f = (t: Lifted): Value => sum(mul(sin(t), exp(mul(t, tensor(C)))));
const t0 = [0.1, 0.2, 0.3];
const h = (t: number, c: number) => Math.exp(c * t) * ((c * c - 1) * Math.sin(t) + 2 * c * Math.cos(t));
const hPrime = (t: number, c: number) => Math.exp(c * t) * ((c ** 3 - 3 * c) * Math.sin(t) + (3 * c * c - 1) * Math.cos(t));

test("jacfwd(jacfwd(f))(t) equals hessian(f)(t) = diag(h_i) for f: Tensor[3] -> R", () => {
  const H = jacfwd((t: Lifted) => jacfwd(f)(t as never) as Value)(tensor(t0)) as Tensor;
  assert.equal(H.shape, [3, 3]);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) close(H.data[i * 3 + j]!, i === j ? h(t0[i]!, C[i]!) : 0, 1e-12);
});

test("grad(t => sum(hessian(f)(t) * I))(t) equals the derivative of the Hessian trace for a Tensor input", () => {
  const g = grad((t: Lifted) => sum(mul(hessian(f)(t as never) as Value, eye(3))))(tensor(t0)) as Tensor;
  for (let i = 0; i < 3; i++) close(g.data[i]!, hPrime(t0[i]!, C[i]!), 1e-12);
});

test("an error raised inside grad(t => hessian(f)(t)) on a Tensor names hessian, not jacfwd", () => {
  try {
    grad((t: Lifted) => sum(mul(hessian(f)(t as never) as Value, eye(3))))(tensor(t0));
  } catch (e) {
    assert.ok(e instanceof DualtapeError);
    assert.is.not((e as DualtapeError & { api: string }).api, "jacfwd", `the user called hessian, the error says: ${(e as Error).message}`);
  }
});

test("jacrev(t => t * w)(x) for a Tensor Var w equals diag(w), and backward through its sum gives w.grad = [1, 1]", () => {
  const w = variable(tensor([1, 2]));
  const J = jacrev((t: Lifted) => mul(t, w))(tensor([3, 4])) as unknown as Var;
  assert.equal(Array.from((primal(J) as Tensor).data), [1, 0, 0, 2]);
  (sum(J) as Var).backward();
  assert.equal(Array.from((w.grad as Tensor).data), [1, 1]);
});

test("grad(f)(3) is the number 18 for f = x^2 whose hook scales the gradient by x (not a Var of grad's finished tape)", () => {
  const g = grad((x: Lifted): Value => {
    const y = mul(x, x) as Var;
    y.registerHook((gy) => mul(gy, x));
    return y;
  })(3);
  assert.type(g, "number");
  close(g as number, 18);
});

test.run();
