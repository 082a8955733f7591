import { test } from "uvu";
import * as assert from "uvu/assert";
import { SGD, tensor, ones, variable, mul, primal, DomainError, GraphError, TypeMismatchError } from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";
import { close } from "../support/close.ts";
import { stepSquare } from "../support/optim.ts";

test("new SGD([x], { lr: 0.1 }) follows x_k = (1 - 2 lr)^k on f = x^2", () => {
  const x = variable(1);
  const opt = new SGD([x], { lr: 0.1 });
  for (const want of [0.8, 0.64, 0.512]) close(stepSquare(opt, x), want);
});

test("new SGD([x], { lr: 0.1, momentum: 0.9 }) gives 0.8, 0.46, 0.062 on f = x^2 from 1", () => {
  // b1 = 2, x1 = 0.8; b2 = 0.9*2 + 1.6 = 3.4, x2 = 0.46; b3 = 0.9*3.4 + 0.92 = 3.98, x3 = 0.062
  const x = variable(1);
  const opt = new SGD([x], { lr: 0.1, momentum: 0.9 });
  for (const want of [0.8, 0.46, 0.062]) close(stepSquare(opt, x), want);
});

test("new SGD([x], { lr: 0.1, momentum: 0.9, nesterov: true }) gives 0.62, 0.2224, -0.108352 on f = x^2", () => {
  // step k: b = 0.9 b + g, x -= 0.1 (g + 0.9 b)
  // g=2, b=2, x=1-0.38; g=1.24, b=3.04, x=0.62-0.3976; g=0.4448, b=3.1808, x=0.2224-0.330752
  const x = variable(1);
  const opt = new SGD([x], { lr: 0.1, momentum: 0.9, nesterov: true });
  for (const want of [0.62, 0.2224, -0.108352]) close(stepSquare(opt, x), want);
});

test("new SGD([x], { lr: 0.1, weightDecay: 0.5 }) uses gradient 2x + 0.5x: x_k = 0.75^k", () => {
  const x = variable(1);
  const opt = new SGD([x], { lr: 0.1, weightDecay: 0.5 });
  for (const want of [0.75, 0.5625, 0.421875]) close(stepSquare(opt, x), want);
});

test("SGD.step() updates a Tensor parameter in place and bumps its version", () => {
  const t = tensor([1, -2, 3]);
  const w = variable(t);
  const opt = new SGD([w], { lr: 0.25 });
  mul(w, w).backward(ones([3]));
  const before = t.version;
  opt.step();
  assert.is(w.value, t);
  assert.equal(Array.from(t.data), [0.5, -1, 1.5]); // w - 0.25 * 2w = w / 2
  assert.ok(t.version > before);
});

test("SGD.step() leaves a parameter the loss did not reach and updates the others", () => {
  const a = variable(2);
  const unused = variable(5);
  const opt = new SGD([a, unused], { lr: 0.5 });
  mul(a, 3).backward();
  opt.step();
  assert.is(a.value, 0.5);
  assert.is(unused.value, 5);
  assert.is(unused.grad, null);
});

test("SGD.zeroGrad() resets every parameter's gradient to 0", () => {
  const a = variable(2);
  const b = variable(3);
  const opt = new SGD([a, b], { lr: 1 });
  mul(a, b).backward();
  assert.is(a.grad, 3);
  opt.zeroGrad();
  assert.is(a.grad, 0);
  assert.is(b.grad, 0);
});

test("SGD.step() after backward(retainGraph) keeps later recording and replay consistent", () => {
  const x = variable(2);
  const opt = new SGD([x], { lr: 0.25 });
  mul(x, x).backward(undefined, { retainGraph: true });
  opt.step(); // x = 2 - 0.25 * 4 = 1
  assert.is(x.value, 1);
  opt.zeroGrad();
  // createGraph replays the tape from the leaves: it must see x = 1, not 2
  mul(x, x).backward(undefined, { createGraph: true });
  assert.is(primal(x.grad!), 2);
});

test("new SGD rejects lr <= 0, a non-finite lr, negative momentum and weightDecay", () => {
  const x = variable(1);
  throwsKind(() => new SGD([x], { lr: 0 }), DomainError, "SGD", /lr is number 0/);
  throwsKind(() => new SGD([x], { lr: -1 }), DomainError, "SGD", /> 0/);
  throwsKind(() => new SGD([x], { lr: NaN }), DomainError, "SGD", /lr/);
  throwsKind(() => new SGD([x], {} as never), DomainError, "SGD", /lr is undefined/);
  throwsKind(() => new SGD([x], { lr: 0.1, momentum: -0.5 }), DomainError, "SGD", /momentum/);
  throwsKind(() => new SGD([x], { lr: 0.1, weightDecay: -1 }), DomainError, "SGD", /weightDecay/);
});

test("new SGD rejects nesterov without momentum, unknown options and a non-object", () => {
  const x = variable(1);
  throwsKind(() => new SGD([x], { lr: 0.1, nesterov: true }), DomainError, "SGD", /nesterov.*momentum/);
  throwsKind(() => new SGD([x], { lr: 0.1, nesterov: "yes" as never }), DomainError, "SGD", /nesterov/);
  throwsKind(() => new SGD([x], { lr: 0.1, learningRate: 1 } as never), TypeMismatchError, "SGD", /unknown option 'learningRate'/);
  throwsKind(() => new SGD([x], 0.1 as never), TypeMismatchError, "SGD", /options/);
});

test("new SGD rejects non-leaf, no-grad, non-Var, repeated and missing parameters", () => {
  const x = variable(1);
  throwsKind(() => new SGD([mul(x, 2)], { lr: 0.1 }), GraphError, "SGD", /not a leaf/);
  throwsKind(() => new SGD([variable(1, { requiresGrad: false })], { lr: 0.1 }), GraphError, "SGD", /does not require grad/);
  throwsKind(() => new SGD([3 as never], { lr: 0.1 }), TypeMismatchError, "SGD", /not a Var/);
  throwsKind(() => new SGD([x, x], { lr: 0.1 }), GraphError, "SGD", /more than once/);
  throwsKind(() => new SGD([], { lr: 0.1 }), TypeMismatchError, "SGD", /non-empty array/);
});

test("SGD.step() before any backward throws a GraphError telling to call backward", () => {
  const opt = new SGD([variable(1)], { lr: 0.1 });
  throwsKind(() => opt.step(), GraphError, "SGD.step", /call loss\.backward\(\)/);
});

test("SGD.step() on a Tensor parameter saved by a retained graph makes backward through it throw a GraphError", () => {
  const w = variable(tensor([1, 2]));
  const seed = ones([2]);
  const y = mul(w, w); // saves w
  y.backward(seed, { retainGraph: true });
  new SGD([w], { lr: 0.1 }).step(); // writes w in place
  throwsKind(() => y.backward(seed), GraphError, "backward", /modified in place/);
});

test.run();
