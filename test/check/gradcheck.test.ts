import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  gradcheck, defineOp, sin, mul, pow, relu, sqrt, log, exp, primal, dual, Tensor,
  DomainError, TypeMismatchError, type Lifted, type Value,
} from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";
import { close, closeMat } from "../support/close.ts";

test("gradcheck(sin, x) is ok with forward = reverse = cos x and numeric within 1e-11", () => {
  for (const x of [-2, 0.3, 4]) {
    const r = gradcheck((t: Lifted) => sin(t), x);
    assert.ok(r.ok);
    assert.is(r.forward, Math.cos(x));
    assert.is(r.reverse, Math.cos(x));
    close(r.numeric as number, Math.cos(x), 1e-11);
    assert.ok(r.maxRelError < 1e-11, `maxRelError ${r.maxRelError}`);
  }
});

test("gradcheck(f, [2, 3]) gives the Jacobian [[x1, x0], [cos x0, 0]] three ways for f = [x0 x1, sin x0], written with methods", () => {
  const r = gradcheck((x: Lifted[]) => [x[0]!.mul(x[1]!), x[0]!.sin()], [2, 3]);
  assert.ok(r.ok);
  const want = [[3, 2], [Math.cos(2), 0]];
  closeMat(r.forward as number[][], want, 1e-15);
  closeMat(r.reverse as number[][], want, 1e-15);
  closeMat(r.numeric as number[][], want, 1e-11);
  assert.is(r.rtol, 1e-6);
  assert.is(r.atol, 1e-8);
});

test("gradcheck(p, x) is ok for the polynomial p = 3x³ - 2x + 1, whose derivative is 9x² - 2", () => {
  const r = gradcheck((x: Lifted) => mul(3, mul(x, mul(x, x))).sub(mul(2, x)).add(1), 1.5);
  assert.ok(r.ok);
  assert.is(r.forward, 9 * 1.5 * 1.5 - 2);
  close(r.numeric as number, 9 * 1.5 * 1.5 - 2, 1e-11);
});

test("gradcheck(f, t) of a Tensor -> Tensor map gives the Tensor [2, 2] diag(2 t) for f = t²", () => {
  const t = new Tensor(Float64Array.of(1.5, -2), [2]);
  const r = gradcheck((u: Lifted) => u.mul(u), t);
  assert.ok(r.ok);
  for (const j of [r.forward, r.reverse, r.numeric]) {
    assert.instance(j, Tensor);
    assert.equal((j as Tensor).shape, [2, 2]);
    Array.from((j as Tensor).data).forEach((v, k) => close(v, [3, 0, 0, -4][k]!, 1e-11));
  }
});

test("gradcheck(f, [2, 3]) is not ok when f detaches a value, and worst points at row 1, col 0", () => {
  // Second output x0 * primal(x0): AD sees primal(x0) as a constant (d = x0 = 2), the true slope is 2 x0 = 4.
  const r = gradcheck((x: Lifted[]) => [x[0]!.mul(x[1]!), mul(x[0]!, primal(x[0]!))], [2, 3]);
  assert.not.ok(r.ok);
  assert.is(r.worst!.row, 1);
  assert.is(r.worst!.col, 0);
  assert.is(r.worst!.forward, 2);
  assert.is(r.worst!.reverse, 2);
  close(r.worst!.numeric, 4, 1e-11);
  close(r.worst!.absError, 2, 1e-11);
  close(r.worst!.relError, 0.5, 1e-11);
  close(r.maxAbsError, 2, 1e-11);
  close(r.maxRelError, 0.5, 1e-11);
});

test("gradcheck(relu, 0) is not ok: AD's convention relu'(0) = 0 differs from the central slope 1/2", () => {
  const r = gradcheck((x: Lifted) => relu(x), 0);
  assert.not.ok(r.ok);
  assert.is(r.forward, 0);
  assert.is(r.reverse, 0);
  close(r.numeric as number, 0.5, 1e-12);
});

test("gradcheck(relu, 0, { atol: 0.6 }) is ok: the tolerances decide", () => {
  assert.ok(gradcheck((x: Lifted) => relu(x), 0, { atol: 0.6 }).ok);
  assert.not.ok(gradcheck((x: Lifted) => relu(x), 0, { atol: 0.4, rtol: 0 }).ok);
  assert.ok(gradcheck((x: Lifted) => relu(x), 0, { atol: 0, rtol: 1 }).ok);
});

test("gradcheck(x => 2x, 1, { atol: 0, rtol: 0 }) is ok: doubling is exact, so all three methods give exactly 2", () => {
  // 2(1 ± h) is exact in floating point, so every central difference is exactly 2.
  const r = gradcheck((x: Lifted) => mul(2, x), 1, { atol: 0, rtol: 0 });
  assert.ok(r.ok);
  assert.is(r.forward, 2);
  assert.is(r.reverse, 2);
  assert.is(r.numeric, 2);
  assert.is(r.maxAbsError, 0);
  assert.is(r.maxRelError, 0);
});

test("gradcheck(f, x, { h }) uses h as the first Richardson step", () => {
  // x³ at 1 with h = 0.1: extrapolation removes the h² error of the central difference exactly.
  const r = gradcheck((x: Lifted) => x.mul(x).mul(x), 1, { h: 0.1 });
  assert.ok(r.ok);
  close(r.numeric as number, 3, 1e-13);
});

test("gradcheck rejects f that is not a function and non-object options with TypeMismatchError", () => {
  throwsKind(() => gradcheck(5 as never, 1), TypeMismatchError, "gradcheck", /expected a function/);
  throwsKind(() => gradcheck((x: Lifted) => x, 1, 3 as never), TypeMismatchError, "gradcheck", /options is number 3/);
  throwsKind(() => gradcheck((x: Lifted) => x, 1, null as never), TypeMismatchError, "gradcheck", /options is null/);
});

test("gradcheck rejects bad tolerances: non-numbers (TypeMismatchError), negative or non-finite (DomainError)", () => {
  const f = (x: Lifted) => x;
  throwsKind(() => gradcheck(f, 1, { atol: "0" as never }), TypeMismatchError, "gradcheck", /atol is string/);
  throwsKind(() => gradcheck(f, 1, { rtol: -1 }), DomainError, "gradcheck", /rtol must be finite and non-negative/);
  throwsKind(() => gradcheck(f, 1, { atol: NaN }), DomainError, "gradcheck", /atol must be finite/);
  throwsKind(() => gradcheck(f, 1, { rtol: Infinity }), DomainError, "gradcheck", /rtol must be finite/);
});

test("gradcheck rejects a bad step h and bad points under its own name", () => {
  const f = (x: Lifted) => x;
  throwsKind(() => gradcheck(f, 1, { h: 0 }), DomainError, "gradcheck", /step h must be positive/);
  throwsKind(() => gradcheck(f, 1, { h: "a" as never }), TypeMismatchError, "gradcheck", /h is string/);
  throwsKind(() => gradcheck(f, dual(1) as never), TypeMismatchError, "gradcheck", /Dual\/Var/);
  throwsKind(() => gradcheck(f as never, []), DomainError, "gradcheck", /no elements/);
  throwsKind(() => gradcheck(f, NaN), DomainError, "gradcheck", /x is NaN/);
});


test("gradcheck(x => [sqrt x0, sqrt x1], [4, -1]) is not ok: worst is in row 1 (sqrt(-1) is NaN) with Infinity errors, row 0 agrees on [1/4, 0]", () => {
  const r = gradcheck((x: Lifted[]) => [sqrt(x[0]!), sqrt(x[1]!)], [4, -1]);
  assert.is(r.ok, false);
  assert.is(r.maxAbsError, Infinity);
  assert.is(r.maxRelError, Infinity);
  assert.is(r.worst?.row, 1);
  assert.is(r.worst?.absError, Infinity);
  for (const j of [r.forward, r.reverse, r.numeric] as number[][][]) {
    close(j[0]![0]!, 0.25, 1e-11);
    assert.is(j[0]![1], 0);
  }
});

// value x^2 (derivative 2x) with a deliberately broken partial: NaN everywhere.
const brokenSquare = defineOp({
  name: "gradcheck_nan_partial_square", arity: 1,
  value: (x) => x * x,
  partials: () => [NaN],
});

test("gradcheck(f, [1]).ok is false when both AD modes give NaN and finite differences give 2 (f = x^2 with a NaN partial)", () => {
  const r = gradcheck((x: Lifted[]) => brokenSquare(x[0]!), [1]);
  assert.ok(Number.isNaN((r.forward as number[])[0]!));
  assert.is(r.ok, false);
  assert.ok(r.worst !== null, "the failing entry is reported as worst");
});

test("gradcheck(x0^x1, [-2, 2]).ok is false: jacfwd gives NaN for d/dx0 while jacrev and finite differences give x1 x0^(x1-1) = -4", () => {
  const r = gradcheck((x: Lifted[]) => pow(x[0]!, x[1]!), [-2, 2]);
  const rev = r.reverse as number[];
  const fwd = r.forward as number[];
  assert.is(rev[0], -4);
  // Either forward mode agrees with the other two, or gradcheck must flag the disagreement.
  assert.ok(fwd[0] === -4 || r.ok === false, `forward d/dx0 = ${fwd[0]} against reverse -4, yet ok = ${r.ok}`);
});

test("gradcheck(x^0.5, [-1]).ok is false when every entry is NaN (maxAbsError is Infinity)", () => {
  const r = gradcheck((x: Lifted[]) => pow(x[0]!, 0.5), [-1]);
  assert.is(r.maxAbsError, Infinity);
  assert.is(r.ok, false);
});

test("gradcheck has no false failures on smooth functions at large and tiny x: sin at 1e6 and 1e12, log at 1e-300, exp(x/1e6) at 1e5", () => {
  const cases: [string, (x: Lifted) => Value, number][] = [
    ["sin", (x) => sin(x), 1e6], ["sin", (x) => sin(x), 1e12], ["sin", (x) => sin(x), -1e9], ["sin", (x) => sin(x), 1e-300],
    ["log", (x) => log(x), 1e-300], ["log", (x) => log(x), 1e-10], ["exp(x/1e6)", (x) => exp(mul(x, 1e-6)), 1e5],
    ["x log x", (x) => mul(x, log(x)), 1e200],
  ];
  for (const [name, f, x] of cases) {
    const r = gradcheck(f, x);
    assert.ok(r.ok, `${name} at ${x}: max relative error ${r.maxRelError}`);
  }
});

test.run();
