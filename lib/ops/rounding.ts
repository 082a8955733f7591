/**
 * Rounding and remainder primitives. They exist so that plain code using
 * `Math.floor` or `%` (the source compiler's language) differentiates the
 * same way in every mode: each is piecewise, with the derivative of the
 * piece the point lies in, and 0 across the jumps (where none exists).
 */
import { elementwise } from "../registry/op.ts";
import { mask } from "./mask.ts";

/** Far enough from an integer for finite differences. */
const offInteger = (x: number) => Math.abs(x - Math.round(x)) > 1e-3 * Math.max(1, Math.abs(x));
/** Far enough from a half-integer (where Math.round jumps). */
const offHalf = (x: number) => Math.abs(x - Math.floor(x) - 0.5) > 1e-3 * Math.max(1, Math.abs(x));

/** Largest integer <= a (Math.floor); derivative 0 (also at the jumps). @example `floor(2.5) // 2` */
export const floor = elementwise({
  name: "floor", arity: 1,
  finitePartials: true, integerValued: true,
  value: Math.floor,
  partials: () => [0],
  domain: [{ lo: -5, hi: 5 }],
  smooth: offInteger,
  notes: "derivative 0 everywhere, also at the jumps at integers.",
});

/** Smallest integer >= a (Math.ceil); derivative 0. @example `ceil(2.5) // 3` */
export const ceil = elementwise({
  name: "ceil", arity: 1,
  finitePartials: true, integerValued: true,
  value: Math.ceil,
  partials: () => [0],
  domain: [{ lo: -5, hi: 5 }],
  smooth: offInteger,
  notes: "derivative 0 everywhere, also at the jumps at integers.",
});

/** Nearest integer, halves rounded up (Math.round); derivative 0. @example `round(2.5) // 3` */
export const round = elementwise({
  name: "round", arity: 1,
  finitePartials: true, integerValued: true,
  value: Math.round,
  partials: () => [0],
  domain: [{ lo: -5, hi: 5 }],
  smooth: offHalf,
  notes: "derivative 0 everywhere, also at the jumps at half-integers.",
});

/** Integer part, rounding towards 0 (Math.trunc); derivative 0. @example `trunc(-2.5) // -2` */
export const trunc = elementwise({
  name: "trunc", arity: 1,
  finitePartials: true, integerValued: true,
  value: Math.trunc,
  partials: () => [0],
  domain: [{ lo: -5, hi: 5 }],
  smooth: offInteger,
  notes: "derivative 0 everywhere, also at the jumps at integers.",
});

/**
 * Remainder with the sign of the dividend, JavaScript's `a % b` (C's fmod):
 * a - trunc(a / b) b. Partials 1 and -trunc(a / b), the slopes of the piece
 * the point lies in; b = 0 gives NaN (IEEE), and so does the partial in b.
 *
 * @example `fmod(7.5, 2) // 1.5`
 */
export const fmod = elementwise({
  name: "fmod", arity: 2,
  value: (a, b) => a % b,
  partials: (_A, [a, b]) => [
    1,
    mask((x, y) => -Math.trunc(x / y), a!, b!),
  ],
  domain: [{ lo: -5, hi: 5 }, { lo: 0.5, hi: 3 }],
  smooth: (a, b) => Math.abs(b) > 0.2 && offInteger(a / b),
  notes: "a % b as in JavaScript (sign of a); derivative 1 in a and -trunc(a/b) in b between the jumps; b = 0 gives a NaN value.",
});
