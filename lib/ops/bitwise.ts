/**
 * JavaScript's bitwise operators as primitives, so that plain code using
 * them (index arithmetic such as `(lo + hi) >> 1` or `i & 1`, in the source
 * compiler's language) runs the same way in every mode. Each converts its
 * operands to 32-bit integers first (ToInt32, ToUint32 for the shift
 * amount and `>>>`), so its value is piecewise constant in them: the
 * derivative is 0 everywhere, also across the jumps at integers.
 */
import { elementwise } from "../registry/op.ts";

/**
 * Far enough from an integer for finite differences (where ToInt32 jumps):
 * their steps grow with |x| (about 7.4e-4 |x| for the widest), so the
 * margin does too (at 28.001 a step of 0.02 crossed 28).
 */
const offInteger = (...xs: number[]) => xs.every((x) => Math.abs(x - Math.round(x)) > 1e-3 * Math.max(1, Math.abs(x)));

const NOTES = "operands are converted to 32-bit integers as JavaScript does (NaN and ±Infinity count as 0); derivative 0 everywhere, also at the jumps at integers.";
const DOMAIN = [{ lo: -40, hi: 40 }, { lo: -40, hi: 40 }];

/** a & b (JavaScript's bitwise and); derivative 0. @example `bitAnd(6, 3) // 2` */
export const bitAnd = elementwise({
  name: "bitAnd", arity: 2,
  finitePartials: true, integerValued: true,
  value: (a, b) => a & b,
  partials: () => [0, 0],
  domain: DOMAIN, smooth: offInteger, notes: NOTES,
});

/** a | b (JavaScript's bitwise or; `x | 0` truncates to a 32-bit integer); derivative 0. @example `bitOr(6, 3) // 7` */
export const bitOr = elementwise({
  name: "bitOr", arity: 2,
  finitePartials: true, integerValued: true,
  value: (a, b) => a | b,
  partials: () => [0, 0],
  domain: DOMAIN, smooth: offInteger, notes: NOTES,
});

/** a ^ b (JavaScript's bitwise exclusive or); derivative 0. @example `bitXor(6, 3) // 5` */
export const bitXor = elementwise({
  name: "bitXor", arity: 2,
  finitePartials: true, integerValued: true,
  value: (a, b) => a ^ b,
  partials: () => [0, 0],
  domain: DOMAIN, smooth: offInteger, notes: NOTES,
});

/** ~a (JavaScript's bitwise not, -ToInt32(a) - 1); derivative 0. @example `bitNot(5) // -6` */
export const bitNot = elementwise({
  name: "bitNot", arity: 1,
  finitePartials: true, integerValued: true,
  value: (a) => ~a,
  partials: () => [0],
  domain: [DOMAIN[0]!], smooth: offInteger, notes: NOTES,
});

/** a << b (JavaScript's left shift; the amount is taken mod 32); derivative 0. @example `shiftLeft(3, 2) // 12` */
export const shiftLeft = elementwise({
  name: "shiftLeft", arity: 2,
  finitePartials: true, integerValued: true,
  value: (a, b) => a << b,
  partials: () => [0, 0],
  domain: DOMAIN, smooth: offInteger, notes: NOTES,
});

/** a >> b (JavaScript's sign-propagating right shift); derivative 0. @example `shiftRight(-12, 2) // -3` */
export const shiftRight = elementwise({
  name: "shiftRight", arity: 2,
  finitePartials: true, integerValued: true,
  value: (a, b) => a >> b,
  partials: () => [0, 0],
  domain: DOMAIN, smooth: offInteger, notes: NOTES,
});

/** a >>> b (JavaScript's zero-filling right shift; the result is in [0, 2^32)); derivative 0. @example `shiftRightUnsigned(-1, 28) // 15` */
export const shiftRightUnsigned = elementwise({
  name: "shiftRightUnsigned", arity: 2,
  finitePartials: true,
  value: (a, b) => a >>> b,
  partials: () => [0, 0],
  domain: DOMAIN, smooth: offInteger, notes: NOTES,
});
