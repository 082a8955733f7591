/**
 * Arithmetic primitives: one declaration each (value on numbers, partials on
 * any algebra A, the test domain, and the convention at non-smooth points).
 */
import { elementwise, type Binary, type Unary } from "../registry/op.ts";
import { mask, guarded } from "./mask.ts";
import { unsignedZero } from "./zero-sign.ts";
// Loading the op table also installs the ops as Tensor methods: a program
// that imports only tensor functions (no Dual or Var, whose modules import
// this too) still gets `t.exp()` after a bundler dropped everything else.
import "../registry/methods.ts";

const away = (eps: number) => (x: number) => Math.abs(x) > eps;

/** a + b. @example `add(1, dual(2)) // Dual 3` */
export const add: Binary = elementwise({
  name: "add", arity: 2,
  finitePartials: true,
  value: (a, b) => a + b,
  partials: () => [1, 1],
  domain: [{ lo: -5, hi: 5 }, { lo: -5, hi: 5 }],
  notes: "IEEE: Infinity + -Infinity = NaN.",
});

/** a - b. @example `sub(dual(3), 1) // Dual 2` */
export const sub: Binary = elementwise({
  name: "sub", arity: 2,
  finitePartials: true,
  value: (a, b) => a - b,
  partials: () => [1, -1],
  domain: [{ lo: -5, hi: 5 }, { lo: -5, hi: 5 }],
  notes: "IEEE: Infinity - Infinity = NaN.",
});

/** a * b. @example `grad((x) => mul(x, x))(3) // 6` */
export const mul: Binary = elementwise({
  name: "mul", arity: 2,
  finitePartials: true,
  value: (a, b) => a * b,
  partials: (_A, [a, b]) => [b, a],
  domain: [{ lo: -5, hi: 5 }, { lo: -5, hi: 5 }],
  notes: "IEEE: 0 * Infinity = NaN, and that NaN reaches the other operand's derivative.",
});

/** a / b. @example `derivative((x) => div(1, x))(2) // -0.25` */
export const div: Binary = elementwise({
  name: "div", arity: 2,
  value: (a, b) => a / b,
  // One division serves both partials: -y/b is -y · (1/b), a multiplication.
  partials: (A, [, b], y) => {
    const r = A.reciprocal(b);
    return [r, A.neg(A.mul(y, r))];
  },
  domain: [{ lo: -5, hi: 5 }, { lo: -5, hi: 5 }],
  smooth: (_a, b) => Math.abs(b) > 0.2,
  notes: "b = 0 gives +-Infinity or NaN (IEEE) and so do the partials; no guard.",
});

/** -a. @example `neg(dual(2)).tangent // -1` */
export const neg: Unary = elementwise({
  name: "neg", arity: 1,
  finitePartials: true,
  value: (a) => -a,
  partials: () => [-1],
  domain: [{ lo: -5, hi: 5 }],
  notes: "exact; NaN stays NaN.",
});

/**
 * a ** b. d/da = b a^(b-1), defined as 0 at a = b = 0; d/db = a^b ln a, defined
 * as 0 when a = 0 (the limit from the right for b > 0). A negative base with a
 * non-integer exponent is NaN (IEEE), and so are its partials.
 *
 * @example `derivative((x) => pow(x, 3))(2) // 12`
 */
export const pow: Binary = elementwise({
  name: "pow", arity: 2,
  value: (a, b) => a ** b,
  partials: (A, [a, b], y) => {
    // Guard only 0 * 0^-1 (NaN) at a = b = 0: for a != 0 the formula is already 0 at b = 0 and
    // keeps its derivative in b (the mixed second derivative 1/a).
    const both = mask((base, e) => (base === 0 && e === 0 ? 1 : 0), a, b);
    const atZero = mask((base) => (base === 0 ? 1 : 0), a);
    // The branch a guard does not select is still differentiated (with slope 0); it gets a base of 1
    // there so it stays finite: log(0) = -Infinity would make 0 * -Infinity = NaN in second derivatives.
    return [
      A.where(both, 0, A.mul(b, A.pow(guarded(A, both, a, 1), A.sub(b, 1)))),
      A.where(atZero, 0, A.mul(y, A.log(guarded(A, atZero, a, 1)))),
    ];
  },
  domain: [{ lo: 0.2, hi: 3 }, { lo: -2.5, hi: 2.5 }],
  notes: "d/da at a = b = 0 is 0; d/db at a = 0 is 0, and so are its own derivatives (the Hessian at (0, b) is [[b(b-1)0^(b-2), 0], [0, 0]], symmetric); negative base with non-integer exponent is NaN.",
});

/** a². @example `derivative(square)(3) // 6` */
export const square: Unary = elementwise({
  name: "square", arity: 1,
  value: (a) => a * a,
  partials: (A, [a]) => [A.mul(2, a)],
  domain: [{ lo: -5, hi: 5 }],
  notes: "overflows to Infinity past ~1.34e154, and so does the derivative.",
});

/** √a. d/da = 1/(2√a): +Infinity at 0; NaN for a < 0. @example `derivative(sqrt)(4) // 0.25` */
export const sqrt: Unary = elementwise({
  name: "sqrt", arity: 1,
  value: Math.sqrt,
  partials: (A, _args, y) => [A.div(0.5, unsignedZero(A, y))],
  domain: [{ lo: 0.05, hi: 9 }],
  notes: "sqrt(0) = 0 with derivative +Infinity, also at -0 (sqrt(-0) = -0); a < 0 gives NaN value and derivative.",
});

/** ∛a (real, defined for negative a). d/da = 1/(3 ∛a²): +Infinity at 0. @example `derivative(cbrt)(8) // 1/12` */
export const cbrt: Unary = elementwise({
  name: "cbrt", arity: 1,
  value: Math.cbrt,
  partials: (A, _args, y) => [A.div(1 / 3, A.square(y))],
  domain: [{ lo: -8, hi: 8 }],
  smooth: away(0.05),
  notes: "cbrt(0) = 0 with derivative +Infinity.",
});

/** 1/a. @example `derivative(reciprocal)(2) // -0.25` */
export const reciprocal: Unary = elementwise({
  name: "reciprocal", arity: 1,
  value: (a) => 1 / a,
  partials: (A, _args, y) => [A.neg(A.square(y))],
  domain: [{ lo: -5, hi: 5 }],
  smooth: away(0.2),
  notes: "1/0 = Infinity (sign of the zero) with derivative -Infinity.",
});

/** |a|. d/da = sign(a), 0 at a = 0 (the subgradient PyTorch and JAX use). @example `derivative(abs)(-3) // -1` */
export const abs: Unary = elementwise({
  name: "abs", arity: 1,
  finitePartials: true,
  value: Math.abs,
  partials: (_A, [a]) => [mask((x) => (x > 0 ? 1 : x < 0 ? -1 : 0), a)],
  domain: [{ lo: -5, hi: 5 }],
  smooth: away(1e-3),
  notes: "derivative at 0 is 0; NaN gives NaN value and derivative.",
});

/** sign(a) in {-1, 0, 1} (NaN stays NaN). Derivative 0 everywhere, also at 0; NaN at NaN. @example `sign(-2) // -1` */
export const sign: Unary = elementwise({
  name: "sign", arity: 1,
  finitePartials: true,
  value: (a) => (a > 0 ? 1 : a < 0 ? -1 : a === 0 ? 0 : NaN),
  partials: (_A, [a]) => [mask(() => 0, a)],
  domain: [{ lo: -5, hi: 5 }],
  smooth: away(1e-3),
  notes: "derivative 0 everywhere (also at the jump at 0); NaN gives NaN value and derivative.",
});
