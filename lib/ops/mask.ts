/**
 * Masks for piecewise rules: a 0/1 (or 0.5 at ties) selector computed from
 * the primal values of the arguments. A mask is a constant for the
 * derivative (its own derivative is zero almost everywhere), so it is
 * returned as a plain number or Tensor even when the arguments are Duals or Vars.
 */
import { primal, type Value } from "../registry/lifted.ts";
import { mapBroadcast } from "../tensor/broadcast.ts";
import type { Tensor } from "../tensor/tensor.ts";

/**
 * Evaluates `pred` on the primal values of `args`, elementwise with broadcasting.
 *
 * @example
 * ```ts
 * mask((x) => (x > 0 ? 1 : 0), dual(-2)); // 0
 * ```
 */
export function mask(pred: (...xs: number[]) => number, ...args: Value[]): number | Tensor {
  let plain = true;
  const ps = new Array<number | Tensor>(args.length);
  for (let i = 0; i < args.length; i++) {
    const p = primal(args[i]!);
    ps[i] = p;
    if (typeof p !== "number") plain = false;
  }
  if (plain) return pred(...(ps as number[]));
  return mapBroadcast(pred, ps, "mask");
}
