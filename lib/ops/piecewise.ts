/**
 * Smooth activations and piecewise primitives. Each declares its convention
 * at the points where it is not differentiable.
 */
import { elementwise, type Binary, type Ternary, type Unary } from "../registry/op.ts";
import { mask, condition, guarded } from "./mask.ts";
import { erfValue } from "./special.ts";

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const apart = (eps: number) => (a: number, b: number) => Math.abs(a - b) > eps;

/** 1/(1 + e^-a), evaluated without overflow for large |a|. @example `derivative(sigmoid)(0) // 0.25` */
export const sigmoid: Unary = elementwise({
  name: "sigmoid", arity: 1,
  finitePartials: true,
  value: (a) => (a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a))),
  partials: (A, _args, y) => [A.mul(y, A.sub(1, y))],
  domain: [{ lo: -6, hi: 6 }],
  notes: "evaluated without overflow; saturates to 0 or 1, where the derivative underflows to 0.",
});

/** ln(1 + e^a), evaluated without overflow; d/da = sigmoid(a). @example `softplus(0) // ln 2` */
export const softplus: Unary = elementwise({
  name: "softplus", arity: 1,
  finitePartials: true,
  value: (a) => Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a))),
  partials: (A, [a]) => [A.sigmoid(a)],
  domain: [{ lo: -6, hi: 6 }],
  notes: "evaluated without overflow; equals a for large a, derivative sigmoid(a).",
});

/** max(a, 0); derivative 1 for a > 0 and 0 for a <= 0 (0 at the kink); NaN stays NaN. @example `relu(-1) // 0` */
export const relu: Unary = elementwise({
  name: "relu", arity: 1,
  finitePartials: true,
  value: (a) => (a > 0 ? a : a <= 0 ? 0 : NaN),
  partials: (_A, [a]) => [mask((x) => (x > 0 ? 1 : 0), a)],
  domain: [{ lo: -3, hi: 3 }],
  smooth: (a) => Math.abs(a) > 1e-3,
  notes: "derivative 0 at a = 0; NaN gives NaN value and derivative.",
});

/** The error function; d/da = 2/sqrt(pi) e^(-a²). @example `erf(0) // 0` */
export const erf: Unary = elementwise({
  name: "erf", arity: 1,
  finitePartials: true,
  value: erfValue,
  partials: (A, [a]) => [A.mul(TWO_OVER_SQRT_PI, A.exp(A.neg(A.square(a))))],
  domain: [{ lo: -3, hi: 3 }],
  notes: "erf(+-Infinity) = +-1; accurate to about 1e-16 relative.",
});

/** sqrt(a² + b²) without overflow; partials a/h, b/h, defined as 0 at the origin. @example `hypot(3, 4) // 5` */
export const hypot: Binary = elementwise({
  name: "hypot", arity: 2,
  value: Math.hypot,
  partials: (A, [a, b], y) => {
    const atZero = mask((h) => (h === 0 ? 1 : 0), y);
    // The unselected branch is still differentiated: dividing by 1 there keeps 0/0 out of second derivatives.
    const safe = guarded(A, atZero, y, 1);
    return [A.where(atZero, 0, A.div(a, safe)), A.where(atZero, 0, A.div(b, safe))];
  },
  domain: [{ lo: -4, hi: 4 }, { lo: -4, hi: 4 }],
  smooth: (a, b) => Math.hypot(a, b) > 0.2,
  notes: "partials 0 at (0, 0), and their derivatives too; Infinity in either argument gives Infinity.",
});

/** Elementwise larger of a and b (NumPy's maximum); at a tie each side gets half the gradient. NaN propagates. @example `maximum(1, 2) // 2` */
export const maximum: Binary = elementwise({
  name: "maximum", arity: 2,
  finitePartials: true,
  value: Math.max,
  partials: (_A, [a, b]) => [
    mask((x, y) => (x > y ? 1 : x === y ? 0.5 : 0), a, b),
    mask((x, y) => (y > x ? 1 : x === y ? 0.5 : 0), a, b),
  ],
  domain: [{ lo: -3, hi: 3 }, { lo: -3, hi: 3 }],
  smooth: apart(1e-3),
  notes: "ties split the gradient 0.5/0.5; NaN in either argument gives NaN value and NaN partials.",
});

/** Elementwise smaller of a and b (NumPy's minimum); at a tie each side gets half the gradient. @example `minimum(1, 2) // 1` */
export const minimum: Binary = elementwise({
  name: "minimum", arity: 2,
  finitePartials: true,
  value: Math.min,
  partials: (_A, [a, b]) => [
    mask((x, y) => (x < y ? 1 : x === y ? 0.5 : 0), a, b),
    mask((x, y) => (y < x ? 1 : x === y ? 0.5 : 0), a, b),
  ],
  domain: [{ lo: -3, hi: 3 }, { lo: -3, hi: 3 }],
  smooth: apart(1e-3),
  notes: "ties split the gradient 0.5/0.5; NaN in either argument gives NaN value and NaN partials.",
});

/**
 * `cond ? a : b`, elementwise. `cond` is not differentiated (any non-zero,
 * non-NaN value selects a); the gradient flows only to the selected side.
 *
 * @example `where(1, 2, 3) // 2`
 */
export const where: Ternary = elementwise({
  name: "where", arity: 3,
  value: (c, a, b) => (c ? a : b),
  partials: (_A, [c]) => [null, condition((x) => (x ? 1 : 0), c), condition((x) => (x ? 0 : 1), c)],
  domain: [{ lo: 0, hi: 1, integer: true }, { lo: -3, hi: 3 }, { lo: -3, hi: 3 }],
  notes: "cond is not differentiated; NaN cond selects b.",
});

/**
 * Clamps x into [lo, hi]. d/dx is 1 on the closed interval (as PyTorch), the
 * bound that is active gets the gradient outside it. With lo > hi the value
 * is hi for every x (as NumPy's clip and PyTorch's clamp), so the gradient
 * goes to hi: value and gradient always describe the same branch.
 *
 * @example `clamp(5, 0, 1) // 1`
 */
export const clamp: Ternary = elementwise({
  name: "clamp", arity: 3,
  finitePartials: true,
  value: (x, lo, hi) => Math.min(Math.max(x, lo), hi),
  partials: (_A, [x, lo, hi]) => [
    mask((v, l, h) => (v >= l && v <= h ? 1 : 0), x, lo, hi),
    mask((v, l, h) => (v < l && l <= h ? 1 : 0), x, lo, hi),
    mask((v, l, h) => (v > h || l > h ? 1 : 0), x, lo, hi),
  ],
  domain: [{ lo: -3, hi: 3 }, { lo: -2, hi: -0.1 }, { lo: 0.1, hi: 2 }],
  smooth: (x, lo, hi) => Math.abs(x - lo) > 1e-3 && Math.abs(x - hi) > 1e-3,
  notes: "d/dx = 1 on [lo, hi] including the bounds; lo > hi gives hi for every x, with the gradient on hi; NaN in any argument gives NaN value and NaN partials.",
});
