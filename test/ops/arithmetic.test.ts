/**
 * The elementwise ops of lib/ops/arithmetic.ts: the generic checks of
 * test/support/scalar-rules.ts against the hand-derived formulas below, and
 * each op's convention where it is not smooth.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { abs, add, asin, cbrt, div, log, mul, neg, pow, reciprocal, sign, sqrt, square, sub, jvp, grad, hessian, jacrev, Tensor, type Lifted, type Value } from "../../lib/index.ts";
import * as arithmetic from "../../lib/ops/arithmetic.ts";
import { close } from "../support/close.ts";
import { scalarRuleTests, fwd, rev, gradAt, type U, type B } from "../support/scalar-rules.ts";

scalarRuleTests("arithmetic", arithmetic, {
  neg: { fn: neg, value: (x) => -x, d1: () => -1, at: [-2, 0.5, 3] },
  square: { fn: square, value: (x) => x * x, d1: (x) => 2 * x, at: [-2, 0.5, 3] },
  sqrt: { fn: sqrt, value: Math.sqrt, d1: (x) => 0.5 / Math.sqrt(x), at: [0.25, 2, 9] },
  cbrt: { fn: cbrt, value: Math.cbrt, d1: (x) => 1 / (3 * Math.cbrt(x) ** 2), at: [-8, 0.5, 27] },
  reciprocal: { fn: reciprocal, value: (x) => 1 / x, d1: (x) => -1 / (x * x), at: [-2, 0.5, 3] },
  abs: { fn: abs, value: Math.abs, d1: (x) => (x > 0 ? 1 : -1), at: [-2, 0.5, 3] },
  sign: { fn: sign, value: Math.sign, d1: () => 0, at: [-2, 0.5, 3] },
}, {
  add: { fn: add, value: (a, b) => a + b, d: () => [1, 1], at: [[2, -3], [0.5, 4]] },
  sub: { fn: sub, value: (a, b) => a - b, d: () => [1, -1], at: [[2, -3], [0.5, 4]] },
  mul: { fn: mul, value: (a, b) => a * b, d: (a, b) => [b, a], at: [[2, -3], [0.5, 4]] },
  div: { fn: div, value: (a, b) => a / b, d: (a, b) => [1 / b, -a / (b * b)], at: [[2, -3], [0.5, 4]] },
  pow: { fn: pow, value: (a, b) => a ** b, d: (a, b) => [b * a ** (b - 1), a ** b * Math.log(a)], at: [[2, -1.5], [0.5, 2.5], [3, 2]] },
});

test("abs'(0) = 0 and sign'(x) = 0 everywhere, also at 0, in both modes", () => {
  assert.is(fwd(abs as U, 0), 0);
  assert.is(rev(abs as U, 0), 0);
  assert.is(fwd(sign as U, 0), 0);
  assert.is(rev(sign as U, 0), 0);
  assert.is(sign(0), 0);
  assert.is(sign(-5), -1);
  assert.ok(Number.isNaN(sign(NaN)));
});

test("sqrt(0) = 0 with derivative +Infinity in both modes", () => {
  assert.is(sqrt(0), 0);
  assert.is(fwd(sqrt as U, 0), Infinity);
  assert.is(rev(sqrt as U, 0), Infinity);
});

test("pow with exponent 0: d/da = 0 (also at a = 0), d/db = ln a", () => {
  assert.is(pow(0, 0), 1);
  assert.equal(gradAt(pow as B, 0, 0), [0, 0]);
  const [da, db] = gradAt(pow as B, 2, 0);
  assert.is(da, 0);
  close(db!, Math.log(2), 1e-15);
  assert.is(fwd((t) => (pow as B)(t, 0), 0), 0);
});

test("pow with base 0: d/db = 0 and d/da = b 0^(b-1)", () => {
  assert.equal(gradAt(pow as B, 0, 2), [0, 0]);
  assert.equal(gradAt(pow as B, 0, 0.5), [Infinity, 0]);
  assert.is(fwd((t) => (pow as B)(0, t), 3), 0);
});

test("pow(0, x) has derivative 0 in x: the constant base's infinite partial does not leak as NaN", () => {
  assert.is(fwd((t) => (pow as B)(0, t), 0.5), 0);
  assert.is(rev((t) => (pow as B)(0, t), 0.5), 0);
  const r = jvp((t: Lifted) => (pow as B)(new Tensor(new Float64Array(2), [2]), t), new Tensor(Float64Array.of(0.5, 1), [2]), new Tensor(Float64Array.of(1, 1), [2]));
  assert.equal((r.tangent as Tensor).toArray(), [0, 0]);
});

test("pow with a negative base and a non-integer exponent is NaN", () => {
  assert.ok(Number.isNaN(pow(-8, 1 / 3)));
  close(pow(-2, 3), -8, 0);
  close(fwd((t) => (pow as B)(t, 3), -2), 12, 1e-15);
});

test("division by zero and log(0) follow IEEE with infinite derivatives", () => {
  assert.is(div(1, 0), Infinity);
  assert.is(fwd((t) => (div as B)(t, 0), 1), Infinity);
  assert.is(log(0), -Infinity);
  assert.is(fwd(log as U, 0), Infinity);
  assert.is(rev(asin as U, 1), Infinity);
});

test("pow's Hessian at (0, 2) is [[2, 0], [0, 0]] and at (0, 3) zero: symmetric, no NaN from log(0) in the unselected branch", () => {
  const f = (v: Lifted[]) => pow(v[0]!, v[1]!);
  // d²/da² b(b-1)a^(b-2) = 2 at (0, 2); the mixed and b-b terms carry a factor a^(b-1) ln a -> 0.
  assert.equal(hessian(f)([0, 2]), [[2, 0], [0, 0]]);
  assert.equal(jacrev((v: Lifted[]) => grad(f)(v) as Value[])([0, 2]), [[2, 0], [0, 0]]);
  assert.equal(hessian(f)([0, 3]), [[0, 0], [0, 0]]);
});

test.run();
