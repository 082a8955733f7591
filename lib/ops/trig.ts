/**
 * Trigonometric and hyperbolic primitives and their inverses.
 */
import { elementwise, type Binary, type Unary } from "../registry/op.ts";

const inside = (r: number) => (x: number) => Math.abs(x) < r;

/** sin a. @example `derivative(sin)(0) // 1` */
export const sin: Unary = elementwise({
  name: "sin", arity: 1, value: Math.sin,
  finitePartials: true,
  partials: (A, [a]) => [A.cos(a)],
  domain: [{ lo: -6, hi: 6 }],
  notes: "NaN at +-Infinity.",
});

/** cos a. @example `derivative(cos)(0) // -0` */
export const cos: Unary = elementwise({
  name: "cos", arity: 1, value: Math.cos,
  finitePartials: true,
  partials: (A, [a]) => [A.neg(A.sin(a))],
  domain: [{ lo: -6, hi: 6 }],
  notes: "NaN at +-Infinity.",
});

/** tan a; d/da = 1 + tan² a. @example `derivative(tan)(0) // 1` */
export const tan: Unary = elementwise({
  name: "tan", arity: 1, value: Math.tan,
  partials: (A, _args, y) => [A.add(1, A.square(y))],
  domain: [{ lo: -1.3, hi: 1.3 }],
  notes: "poles at pi/2 + k pi give huge finite values (pi/2 is not exact in floating point).",
});

/** arcsin a; d/da = 1/sqrt(1 - a²): Infinity at +-1, NaN outside [-1, 1]. @example `derivative(asin)(0) // 1` */
export const asin: Unary = elementwise({
  name: "asin", arity: 1, value: Math.asin,
  partials: (A, [a]) => [A.reciprocal(A.sqrt(A.sub(1, A.square(a))))],
  domain: [{ lo: -0.9, hi: 0.9 }],
  notes: "derivative Infinity at +-1; NaN outside [-1, 1].",
});

/** arccos a; d/da = -1/sqrt(1 - a²). @example `derivative(acos)(0) // -1` */
export const acos: Unary = elementwise({
  name: "acos", arity: 1, value: Math.acos,
  partials: (A, [a]) => [A.neg(A.reciprocal(A.sqrt(A.sub(1, A.square(a)))))],
  domain: [{ lo: -0.9, hi: 0.9 }],
  notes: "derivative -Infinity at +-1; NaN outside [-1, 1].",
});

/** arctan a. @example `derivative(atan)(0) // 1` */
export const atan: Unary = elementwise({
  name: "atan", arity: 1, value: Math.atan,
  finitePartials: true,
  partials: (A, [a]) => [A.reciprocal(A.add(1, A.square(a)))],
  domain: [{ lo: -5, hi: 5 }],
  notes: "atan(+-Infinity) = +-pi/2 with derivative 0.",
});

/**
 * atan2(y, x), the angle of the point (x, y). Partials x/(x²+y²) and
 * -y/(x²+y²); at the origin both are NaN (0/0), the function having no limit there.
 *
 * @example `atan2(1, 1) // pi/4`
 */
export const atan2: Binary = elementwise({
  name: "atan2", arity: 2, value: Math.atan2,
  partials: (A, [y, x]) => {
    const r2 = A.add(A.square(x), A.square(y));
    return [A.div(x, r2), A.neg(A.div(y, r2))];
  },
  domain: [{ lo: -3, hi: 3 }, { lo: -3, hi: 3 }],
  smooth: (y, x) => Math.hypot(x, y) > 0.2 && !(x < 0 && Math.abs(y) < 0.05),
  notes: "partials NaN at (0, 0); the value jumps across the negative x axis.",
});

/** sinh a. @example `derivative(sinh)(0) // 1` */
export const sinh: Unary = elementwise({
  name: "sinh", arity: 1, value: Math.sinh,
  partials: (A, [a]) => [A.cosh(a)],
  domain: [{ lo: -4, hi: 4 }],
  notes: "overflows to +-Infinity past ~710.48.",
});

/** cosh a. @example `derivative(cosh)(0) // 0` */
export const cosh: Unary = elementwise({
  name: "cosh", arity: 1, value: Math.cosh,
  partials: (A, [a]) => [A.sinh(a)],
  domain: [{ lo: -4, hi: 4 }],
  notes: "overflows to Infinity past ~710.48.",
});

/** tanh a; d/da = 1 - tanh² a. @example `derivative(tanh)(0) // 1` */
export const tanh: Unary = elementwise({
  name: "tanh", arity: 1, value: Math.tanh,
  finitePartials: true,
  partials: (A, _args, y) => [A.sub(1, A.square(y))],
  domain: [{ lo: -4, hi: 4 }],
  notes: "saturates to +-1, where the derivative underflows to 0.",
});

/** arsinh a. @example `derivative(asinh)(0) // 1` */
export const asinh: Unary = elementwise({
  name: "asinh", arity: 1, value: Math.asinh,
  finitePartials: true,
  partials: (A, [a]) => [A.reciprocal(A.sqrt(A.add(A.square(a), 1)))],
  domain: [{ lo: -5, hi: 5 }],
  notes: "defined everywhere; derivative 1/sqrt(a² + 1) tends to 0 at +-Infinity.",
});

/** arcosh a (a >= 1); derivative Infinity at 1, NaN below. @example `derivative(acosh)(2) // 1/sqrt(3)` */
export const acosh: Unary = elementwise({
  name: "acosh", arity: 1, value: Math.acosh,
  partials: (A, [a]) => [A.reciprocal(A.sqrt(A.sub(A.square(a), 1)))],
  domain: [{ lo: 1.1, hi: 6 }],
  notes: "derivative Infinity at 1; NaN below 1.",
});

/** artanh a (|a| < 1); +-Infinity at +-1, NaN outside. @example `derivative(atanh)(0) // 1` */
export const atanh: Unary = elementwise({
  name: "atanh", arity: 1, value: Math.atanh,
  partials: (A, [a]) => [A.reciprocal(A.sub(1, A.square(a)))],
  domain: [{ lo: -0.9, hi: 0.9 }],
  smooth: inside(0.95),
  notes: "+-Infinity at +-1 with derivative Infinity; NaN outside [-1, 1].",
});
