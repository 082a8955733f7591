/**
 * In-place safety: the tape keeps the version of every Tensor an extended
 * entry saved, and a backward checks it before using the saved value.
 */
import type { Value } from "../registry/lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { fail, GraphError } from "../errors.ts";
import type { ExtEntry } from "./entry-layout.ts";

/**
 * The version of each Tensor argument, then of the output, in one list (-1
 * for values that are not Tensors); null when none is a Tensor.
 *
 * @example
 * ```ts
 * versionsOf([tensor([1]), 2], 3); // [0, -1, -1]
 * ```
 */
export function versionsOf(vals: Value[], out: Value): number[] | null {
  let versions: number[] | null = null;
  const all = [...vals, out];
  for (let k = 0; k < all.length; k++) {
    const v = all[k];
    if (v instanceof Tensor) (versions ??= new Array<number>(all.length).fill(-1))[k] = v.version;
  }
  return versions;
}

/**
 * Throws if a Tensor that this backward will read (a saved argument or
 * output) was written in place after entry `i` recorded it: the gradient
 * would silently use the new contents. A first-order sweep through an
 * elementwise entry reads only its cached partials, so only the saved
 * tensors those partials are (a product's other operand, an exponential's output) are
 * checked. A structural entry reads what its op declares in `reads` (none
 * for a linear op: only shapes), else everything; so do
 * differentiable sweeps through elementwise entries.
 *
 * @example
 * ```ts
 * checkVersions(tape.ext.get(i)!, i, true); // throws GraphError after t.fill_(0) on a saved t
 * ```
 */
export function checkVersions(e: ExtEntry, i: number, firstOrder: boolean): void {
  const versions = e.versions;
  if (versions === null) return;
  const reads = e.op!.structural?.reads;
  const read = (t: Tensor, k: number) => reads !== undefined ? reads.includes(k < e.vals.length ? k : "out")
    : !firstOrder || e.cache === null || e.cache.includes(t);
  for (let k = 0; k < versions.length; k++) {
    const v = k < e.vals.length ? e.vals[k] : e.out;
    if (versions[k] >= 0 && v instanceof Tensor && v.version !== versions[k] && read(v, k)) {
      const what = k < e.vals.length ? `argument ${k + 1}` : "the output";
      fail("backward", `${what} of '${e.op!.name}' (entry %${i}, a Tensor of shape [${v.shape.join(", ")}]) was modified in place after it was recorded (version ${versions[k]} -> ${v.version})`,
        "write into a copy instead, or make the in-place change after backward()", GraphError);
    }
  }
}
