/**
 * Forward mode's one rule for every registered op, derived from its
 * declaration: the output tangent is the partials times the argument
 * tangents for elementwise ops, and the declared linear tangent map for
 * structural ones. Dual calls this and nothing op-specific.
 */
import { G, algebraFor, type Op } from "../registry/op.ts";
import { primal, type Value } from "../registry/lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { accumulate, expandLike, ZERO_LANES, type Tangent } from "../registry/combine.ts";
import { pushforwardLanes, TensorLanes } from "../registry/lanes.ts";

/**
 * The output tangent of `op` at `vals` (value `out`) given the argument
 * tangents (`null` for arguments that carry none).
 *
 * @example
 * ```ts
 * pushforward(product, [2, 3], 6, [1, null], undefined); // 3, for the registered product op a b
 * ```
 */
export function pushforward(op: Op, vals: Value[], out: Value, tans: (Tangent | null)[], params: unknown): Tangent {
  const ew = op.elementwise;
  if (needsLaneMode(op, out, tans)) {
    return pushforwardLanes(op, vals, out, tans, params, ew === null ? null : ew.partials(G, vals, out));
  }
  if (ew === null) return op.structural!.jvp(G, vals, out, tans as (Value | null)[], params);
  const parts = ew.partials(typeof out === "number" ? algebraFor(vals) : G, vals, out);
  let acc: Tangent | null = null;
  let lanes = false;
  for (let i = 0; i < tans.length; i++) {
    const t = tans[i]!;
    if (t === null) continue;
    if (t instanceof Float64Array) lanes = true;
    const p = parts[i];
    if (p === null || p === undefined) continue;
    acc = accumulate(acc, p, t);
  }
  if (acc === null) return lanes ? ZERO_LANES : 0;
  return expandLike(acc, out);
}

/** Lanes go through the tensor-aware path when a tensor or a structural op is involved. */
function needsLaneMode(op: Op, out: Value, tans: readonly (Tangent | null)[]): boolean {
  let scalarLanes = false;
  for (let i = 0; i < tans.length; i++) {
    const t = tans[i];
    if (t instanceof TensorLanes) return true;
    if (t instanceof Float64Array) scalarLanes = true;
  }
  return scalarLanes && (op.elementwise === null || primal(out) instanceof Tensor);
}


