/**
 * Masks for piecewise rules: a 0/1 (or 0.5 at ties) selector computed from
 * the primal values of the arguments. A mask is a constant for the
 * derivative (its own derivative is zero almost everywhere), so it is
 * returned as a plain number or Tensor even when the arguments are Duals or Vars.
 *
 * A NaN argument makes the mask NaN: every comparison with NaN is false, so
 * a predicate would silently pick a branch (relu(NaN) and maximum(NaN, 1)
 * got a zero or unit slope) and the NaN would vanish from the derivative
 * while the value stays NaN. Only `condition` (where's selector, which is
 * not differentiated) reads NaN as JavaScript does, as false.
 */
import { primal, type Value } from "../registry/lifted.ts";
import type { Algebra } from "../registry/op.ts";
import { mapBroadcast } from "../tensor/broadcast.ts";
import { Tensor } from "../tensor/tensor.ts";

/**
 * An operand that builds masks itself: the source compiler evaluates rules
 * on symbolic expressions, and a mask over them becomes code that evaluates
 * the predicate when the generated function runs.
 */
export interface MaskBuilder {
  maskBy(pred: (...xs: number[]) => number, args: readonly unknown[]): unknown;
}

/**
 * Whether a primal value is symbolic (the source compiler's), not a number or Tensor.
 *
 * @example
 * ```ts
 * isMaskBuilder(2); // false
 * ```
 */
export function isMaskBuilder(v: unknown): v is MaskBuilder {
  return typeof v === "object" && v !== null && typeof (v as Partial<MaskBuilder>).maskBy === "function";
}

/**
 * Evaluates `pred` on the primal values of `args`, elementwise with broadcasting.
 *
 * @example
 * ```ts
 * mask((x) => (x > 0 ? 1 : 0), dual(-2)); // 0
 * mask((x) => (x > 0 ? 1 : 0), NaN);      // NaN
 * ```
 */
export function mask(pred: (...xs: number[]) => number, ...args: Value[]): number | Tensor {
  let plain = true;
  let nan = false;
  const ps = new Array<number | Tensor>(args.length);
  for (let i = 0; i < args.length; i++) {
    const p = primal(args[i]);
    // Symbolic operands get the predicate itself (typed as a mask value for the rules).
    if (isMaskBuilder(p)) return p.maskBy(nanIn(pred, args.length), args) as number | Tensor;
    ps[i] = p;
    if (typeof p !== "number") plain = false;
    else if (p !== p) nan = true;
  }
  if (plain) return nan ? NaN : pred(...(ps as number[]));
  return mapBroadcast(nanIn(pred, args.length), ps, "mask");
}

/**
 * `pred` made NaN wherever an argument is NaN (arity 1 to 3 without a rest
 * array in the loop). The result records the closure it captures
 * (`captured.pred`), so a build step can write it out as text with `pred`.
 */
function nanIn(pred: (...xs: number[]) => number, arity: number): (...xs: number[]) => number {
  const guarded: (...xs: number[]) => number =
    arity === 1 ? (a) => (a !== a ? NaN : pred(a))
      : arity === 2 ? (a, b) => (a !== a || b !== b ? NaN : pred(a, b))
        : arity === 3 ? (a, b, c) => (a !== a || b !== b || c !== c ? NaN : pred(a, b, c))
          : (...xs) => (xs.some((x) => x !== x) ? NaN : pred(...xs));
  return Object.assign(guarded, { captured: { pred } });
}

/**
 * A selector read from a condition as JavaScript reads it (NaN is false),
 * for `where`, whose condition is not differentiated.
 *
 * @example
 * ```ts
 * condition((c) => (c ? 1 : 0), NaN); // 0
 * ```
 */
export function condition(pred: (c: number) => number, c: Value): number | Tensor {
  const p = primal(c);
  if (isMaskBuilder(p)) return p.maskBy(pred, [c]) as number | Tensor;
  return typeof p === "number" ? pred(p) : mapBroadcast(pred, [p], "mask");
}

/**
 * `where(m, safe, v)`, or `v` itself when the mask selects nothing (the
 * common case costs no extra op). For the branch a guard does not select:
 * it is still differentiated, with slope 0, so it must stay finite there.
 *
 * @example
 * ```ts
 * guarded(G, mask((x) => (x === 0 ? 1 : 0), a), a, 1); // a, with 1 where a is 0
 * ```
 */
export function guarded(A: Algebra, m: number | Tensor, v: Value, safe: number): Value {
  // A symbolic mask (source compiler) is only known at run time: always guard.
  if (isMaskBuilder(m)) return A.where(m, safe, v);
  if (typeof m === "number" ? m !== 1 : !m.data.includes(1)) return v;
  return A.where(m, safe, v);
}
