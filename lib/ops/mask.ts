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
import { Lifted, primal, exampleShape, type Value } from "../registry/lifted.ts";
import { wrapLike } from "../registry/batched.ts";
import { fail, PerturbationError } from "../errors.ts";
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
export function mask(pred: (...xs: number[]) => number, ...args: Value[]): Value {
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
  const like = deepestBatch(args);
  if (like === null) return mapBroadcast(nanIn(pred, args.length), ps, "mask");
  return wrapLike(like, mapBroadcast(nanIn(pred, args.length), alignExamples(args, like), "mask"));
}

/** The argument under the most batch levels (vmap), or null when none is batched. */
function deepestBatch(args: readonly Value[]): Value | null {
  let best: Value | null = null;
  let most = 0;
  for (const a of args) if (a instanceof Lifted && a.hiddenAxes > most) [best, most] = [a, a.hiddenAxes];
  return best;
}

/**
 * Primals laid out so that broadcasting pairs up examples: each one's batch
 * axes first (unit axes for an argument shared by every example), then its
 * example axes right-aligned.
 */
function alignExamples(args: readonly Value[], like: Value): Tensor[] {
  const h = (like as Lifted).hiddenAxes;
  const rank = Math.max(...args.map((a) => exampleShape(a).length));
  return args.map((a) => {
    const p = primal(a);
    const t = typeof p === "number" ? new Tensor(Float64Array.of(p), []) : p;
    const own = a instanceof Lifted ? a.hiddenAxes : 0;
    if (own !== 0 && own !== h) {
      fail("mask", "values under different numbers of vmap levels met in a piecewise rule", "map every operand of this op over the same axes", PerturbationError);
    }
    const ex = exampleShape(a);
    const lead = own === 0 ? new Array<number>(h).fill(1) : t.shape.slice(0, h);
    return new Tensor(t.data, [...lead, ...new Array<number>(rank - ex.length).fill(1), ...ex]);
  });
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
export function condition(pred: (c: number) => number, c: Value): Value {
  const p = primal(c);
  if (isMaskBuilder(p)) return p.maskBy(pred, [c]) as number | Tensor;
  return typeof p === "number" ? pred(p) : wrapLike(c, mapBroadcast(pred, [p], "mask"));
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
export function guarded(A: Algebra, m: Value, v: Value, safe: number): Value {
  // A symbolic mask (source compiler) is only known at run time: always guard.
  if (isMaskBuilder(m)) return A.where(m, safe, v);
  const p = primal(m);
  if (typeof p === "number" ? p !== 1 : !p.data.includes(1)) return v;
  return A.where(m, safe, v);
}
