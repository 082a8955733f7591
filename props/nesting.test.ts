/**
 * Nested transforms are free of perturbation confusion: the classic cases
 * (Siskind & Pearlmutter's x * d/dy (x + y) and relatives, in every
 * forward/reverse pairing), and random nestings of up to four transforms
 * with closures over every outer variable, checked exactly against the
 * polynomial answer derived by the power rule.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import {
  derivative, grad, jvp, vjp, add, mul, sin, PerturbationError, type Lifted, type Value,
} from "../lib/index.ts";
import { nesting } from "./arbitraries/nesting.ts";
import { params } from "./support/run.ts";
import { expectExact } from "./support/expect.ts";

type Scalar = (f: (x: Lifted) => Value) => (a: number | Lifted) => Value;

/** The four first-order scalar transforms, by name. */
const firstOrder: Record<string, Scalar> = {
  derivative: (f) => (a) => derivative(f)(a) as Value,
  grad: (f) => (a) => grad(f)(a as never) as Value,
  jvp: (f) => (a) => jvp(f, a as never, 1 as never).tangent as Value,
  vjp: (f) => (a) => vjp(f, a as never).pullback(1) as Value,
};

for (const [outerName, outer] of Object.entries(firstOrder)) {
  for (const [innerName, inner] of Object.entries(firstOrder)) {
    test(`${outerName}(x => x * ${innerName}(y => x + y)(1))(1) is exactly 1 (confusion would give 2)`, () => {
      assert.is(outer((x) => mul(x, inner((y) => add(x, y))(1)))(1), 1);
    });
    test(`${outerName}(x => x * ${innerName}(y => x * y)(2))(3) is exactly 6 = d/dx x²`, () => {
      assert.is(outer((x) => mul(x, inner((y) => mul(x, y))(2)))(3), 6);
    });
    test(`${outerName}(x => ${innerName}(y => x * y)(x))(5) is exactly 1: the inner point is the outer variable`, () => {
      assert.is(outer((x) => inner((y) => mul(x, y))(x))(5), 1);
    });
  }
}

test("derivative(x => derivative(y => derivative(z => z³ x)(y))(x))(2) is exactly 24 = d/dx 6x²", () => {
  const cube = (z: Value) => mul(z, mul(z, z));
  const got = derivative((x) => derivative((y) => derivative((z) => mul(cube(z), x))(y) as Value)(x) as Value)(2);
  assert.is(got, 24);
});

test("derivative(x => sin(x * derivative(y => x * sin(y))(0)))(0.5) equals cos(x²) 2x, the inner derivative being x", () => {
  const got = derivative((x) => sin(mul(x, derivative((y) => mul(x, sin(y)))(0) as Value)))(0.5) as number;
  const want = Math.cos(0.25) * 1;
  assert.ok(Math.abs(got - want) <= 1e-15, `${got} vs ${want}`);
});

test("a Dual that escaped its derivative call throws PerturbationError when used, instead of mixing into another", () => {
  let leaked: Lifted | null = null;
  derivative((x) => ((leaked = x), x))(1);
  assert.throws(() => derivative((y) => mul(y, leaked!))(2), (e: unknown) => e instanceof PerturbationError);
});

test("random nestings of derivative, grad, valueAndGrad, jvp, vjp, jacfwd, jacrev, hessian and hvp equal the power-rule answer exactly", () => {
  fc.assert(
    fc.property(nesting(4), (n) => {
      fc.pre(n.magnitude() < 2 ** 53);
      expectExact("nested transforms", n.run(), n.expected());
    }),
    params(),
  );
});

test.run();
