/**
 * The one product forward mode forms, partial times tangent, with one rule
 * on top of IEEE: a zero tangent gives exactly zero. Shared by the
 * single-lane accumulation (combine.ts), the scalar lanes and the tensor
 * lanes (lanes.ts) and Dual's scalar fast path, so a direction's derivative
 * is the same whichever of them carries it.
 */
import { G } from "./op.ts";
import type { Value } from "./lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { mapBroadcast } from "../tensor/broadcast.ts";

/**
 * `p * t` for a partial p and a scalar tangent t, where a zero tangent gives
 * exactly 0 whatever p is. Why: a zero tangent means "this input does not
 * move in this direction", and the direction's derivative must not depend
 * on whether it was pushed alone or beside others (jacfwd pushes a chunk of
 * one-hot directions per pass). With IEEE multiplication an infinite or NaN
 * partial (sqrt at 0, a product at Infinity) turned every other direction's
 * zero into NaN.
 *
 * @example
 * ```ts
 * term(Infinity, 0); // 0
 * term(2, 3);        // 6
 * ```
 */
export function term(p: number, t: number): number {
  return t === 0 ? 0 : p * t;
}

const zeroSafe = (p: number, t: number): number => (t === 0 ? 0 : p * t);

function allFinite(d: Float64Array): boolean {
  for (let i = 0; i < d.length; i++) if (d[i] - d[i] !== 0) return false;
  return true;
}

/**
 * `p * t` for tangents of any kind, with the rule of {@link term} (zero
 * tangent elements stay exactly 0). Plain values with finite partials take
 * the ordinary product; nested values (Duals/Vars of enclosing transforms)
 * too, since their product must stay differentiable.
 *
 * @example
 * ```ts
 * tangentTerm(tensor([Infinity, 2]), tensor([0, 1])); // Tensor [0, 2]
 * ```
 */
export function tangentTerm(p: Value, t: Value): Value {
  if (typeof p === "number") {
    if (typeof t === "number") return t === 0 ? 0 : p * t;
    if (p - p === 0) return G.mul(p, t);
  } else if (p instanceof Tensor && allFinite(p.data)) {
    return G.mul(p, t);
  }
  if ((typeof p === "number" || p instanceof Tensor) && (typeof t === "number" || t instanceof Tensor)) {
    return mapBroadcast(zeroSafe, [p, t], "tangent", true);
  }
  return G.mul(p, t);
}
