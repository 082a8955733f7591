/**
 * Exponential and logarithmic primitives.
 */
import { elementwise, type Unary } from "../registry/op.ts";
import { unsignedZero } from "./zero-sign.ts";

/** e^a. @example `derivative(exp)(0) // 1` */
export const exp: Unary = elementwise({
  name: "exp", arity: 1,
  value: Math.exp,
  partials: (_A, _args, y) => [y],
  domain: [{ lo: -4, hi: 4 }],
  notes: "overflows to Infinity past ~709.78, and so does the derivative.",
});

/** e^a - 1, accurate near 0. @example `derivative(expm1)(0) // 1` */
export const expm1: Unary = elementwise({
  name: "expm1", arity: 1,
  value: Math.expm1,
  partials: (A, _args, y) => [A.add(y, 1)],
  domain: [{ lo: -4, hi: 4 }],
  notes: "accurate near 0; overflows to Infinity past ~709.78.",
});

/** ln a. d/da = 1/a; log(0) = -Infinity (derivative +Infinity), a < 0 gives NaN. @example `derivative(log)(2) // 0.5` */
export const log: Unary = elementwise({
  name: "log", arity: 1,
  value: Math.log,
  partials: (A, [a]) => [A.reciprocal(unsignedZero(A, a))],
  domain: [{ lo: 0.05, hi: 10 }],
  notes: "log(0) = -Infinity with derivative Infinity, also at -0; negative input gives NaN.",
});

/** ln(1 + a), accurate near 0. @example `derivative(log1p)(0) // 1` */
export const log1p: Unary = elementwise({
  name: "log1p", arity: 1,
  value: Math.log1p,
  partials: (A, [a]) => [A.reciprocal(A.add(a, 1))],
  domain: [{ lo: -0.9, hi: 10 }],
  notes: "log1p(-1) = -Infinity; a < -1 gives NaN.",
});

/** log base 2. @example `log2(8) // 3` */
export const log2: Unary = elementwise({
  name: "log2", arity: 1,
  value: Math.log2,
  partials: (A, [a]) => [A.reciprocal(A.mul(unsignedZero(A, a), Math.LN2))],
  domain: [{ lo: 0.05, hi: 10 }],
  notes: "as log.",
});

/** log base 10. @example `log10(1000) // 3` */
export const log10: Unary = elementwise({
  name: "log10", arity: 1,
  value: Math.log10,
  partials: (A, [a]) => [A.reciprocal(A.mul(unsignedZero(A, a), Math.LN10))],
  domain: [{ lo: 0.05, hi: 10 }],
  notes: "as log.",
});
