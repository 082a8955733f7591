import { test } from "uvu";
import * as assert from "uvu/assert";
import { Adam, tensor, ones, variable, mul, DomainError, GraphError, TypeMismatchError } from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";
import { close } from "../support/close.ts";
import { stepSquare } from "../support/optim.ts";
import { gradients, jacfwd, jacobian, hessian, numericDerivative, numericGradient, numericJacobian, gradcheck, rand, randn, SGD, defineOp, type Var } from "../../lib/index.ts";

/**
 * The published Adam update (Kingma and Ba, Algorithm 1, with L2 decay added
 * to the gradient) on f(x) = x^2, written out independently of the library.
 */
function adamByHand(x0: number, steps: number, lr: number, b1: number, b2: number, eps: number, wd = 0): number[] {
  let x = x0, m = 0, v = 0;
  const xs: number[] = [];
  for (let t = 1; t <= steps; t++) {
    const g = 2 * x + wd * x;
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    const mHat = m / (1 - b1 ** t);
    const vHat = v / (1 - b2 ** t);
    x -= (lr * mHat) / (Math.sqrt(vHat) + eps);
    xs.push(x);
  }
  return xs;
}

test("new Adam([x], { lr: 0.1 }) matches the published update for 3 steps on f = x^2", () => {
  const x = variable(1);
  const opt = new Adam([x], { lr: 0.1 });
  const want = adamByHand(1, 3, 0.1, 0.9, 0.999, 1e-8);
  for (const w of want) close(stepSquare(opt, x), w);
});

test("Adam's first step moves x by lr against the gradient's sign (m_hat / sqrt(v_hat) = 1)", () => {
  const x = variable(1);
  const opt = new Adam([x], { lr: 0.1 });
  close(stepSquare(opt, x), 0.9, 1e-8);
  // second step by hand: g = 1.8, m = 0.36, v = 0.007236, m_hat = 0.36/0.19, v_hat = 0.007236/0.001999
  const second = 0.9 - (0.1 * (0.36 / 0.19)) / Math.sqrt(0.007236 / 0.001999);
  close(stepSquare(opt, x), second, 1e-8);
});

test("new Adam([x], { lr: 0.05, betas: [0.5, 0.9], eps: 0.1, weightDecay: 0.2 }) matches the update by hand", () => {
  const x = variable(-2);
  const opt = new Adam([x], { lr: 0.05, betas: [0.5, 0.9], eps: 0.1, weightDecay: 0.2 });
  const want = adamByHand(-2, 4, 0.05, 0.5, 0.9, 0.1, 0.2);
  for (const w of want) close(stepSquare(opt, x), w);
});

test("Adam.step() updates each element of a Tensor parameter like a scalar run", () => {
  const t = tensor([1, -3, 0.5]);
  const w = variable(t);
  const opt = new Adam([w], { lr: 0.1 });
  const seed = ones([3]);
  for (let k = 0; k < 3; k++) {
    opt.zeroGrad();
    mul(w, w).backward(seed);
    opt.step();
  }
  assert.is(w.value, t);
  [1, -3, 0.5].forEach((x0, i) => close(t.data[i]!, adamByHand(x0, 3, 0.1, 0.9, 0.999, 1e-8)[2]!));
  assert.ok(t.version >= 3);
});

test("Adam counts steps per parameter: a parameter first reached later starts its own bias correction", () => {
  const a = variable(1);
  const b = variable(1);
  const opt = new Adam([a, b], { lr: 0.1 });
  mul(a, a).backward();
  opt.step(); // b has no gradient yet and is left alone
  assert.is(b.value, 1);
  opt.zeroGrad();
  mul(b, b).backward();
  opt.step(); // b's first step: moves by lr; a has gradient 0 now
  close(b.value as number, 0.9, 1e-8);
});

test("new Adam rejects bad lr, betas, eps and weightDecay", () => {
  const x = variable(1);
  throwsKind(() => new Adam([x], { lr: 0 }), DomainError, "Adam", /lr is number 0/);
  throwsKind(() => new Adam([x], { lr: Infinity }), DomainError, "Adam", /lr/);
  throwsKind(() => new Adam([x], { lr: 0.1, betas: [1, 0.999] }), DomainError, "Adam", /betas\[0\].*< 1/);
  throwsKind(() => new Adam([x], { lr: 0.1, betas: [0.9, -0.1] }), DomainError, "Adam", /betas\[1\]/);
  throwsKind(() => new Adam([x], { lr: 0.1, betas: [0.9] as never }), DomainError, "Adam", /two numbers/);
  throwsKind(() => new Adam([x], { lr: 0.1, eps: -1e-8 }), DomainError, "Adam", /eps/);
  throwsKind(() => new Adam([x], { lr: 0.1, weightDecay: -1 }), DomainError, "Adam", /weightDecay/);
  throwsKind(() => new Adam([x], { lr: 0.1, momentum: 0.9 } as never), TypeMismatchError, "Adam", /unknown option 'momentum'/);
});

test("new Adam rejects non-leaf parameters and step() before backward", () => {
  const x = variable(1);
  throwsKind(() => new Adam([mul(x, x)], { lr: 0.1 }), GraphError, "Adam", /not a leaf/);
  const opt = new Adam([variable(2)], { lr: 0.1 });
  throwsKind(() => opt.step(), GraphError, "Adam.step", /backward/);
});

test("Adam({ eps: 0 }) is refused: with a zero gradient it would make parameters NaN (0 / 0)", () => {
  throwsKind(() => new Adam([variable(1)], { lr: 0.1, eps: 0 }), DomainError, "Adam", /eps is number 0; pass a finite number > 0/);
  const w = variable(1);
  const opt = new Adam([w], { lr: 0.1, eps: 1e-12 });
  (mul(w, 0) as Var).backward();
  opt.step();
  assert.is(w.value, 1);
});

test.run();
