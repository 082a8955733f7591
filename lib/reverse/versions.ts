/**
 * In-place safety: the tape keeps the version of every Tensor an extended
 * entry saved, and a backward checks it before using the saved value.
 */
import type { Value } from "../shared/lifted.ts";
import { Tensor } from "../shared/tensor.ts";
import { fail, GraphError } from "../shared/errors.ts";
import type { ExtEntry } from "./tape.ts";

/**
 * The version of each Tensor argument (-1 for other kinds), or null when none is a Tensor.
 *
 * @example
 * ```ts
 * versionsOf([tensor([1]), 2]); // [0, -1]
 * ```
 */
export function versionsOf(vals: Value[]): number[] | null {
  let versions: number[] | null = null;
  for (let k = 0; k < vals.length; k++) {
    const v = vals[k];
    if (v instanceof Tensor) (versions ??= new Array<number>(vals.length).fill(-1))[k] = v.version;
  }
  return versions;
}

/**
 * Throws if a Tensor saved by extended entry `i` was written in place after
 * it was recorded: its saved value (and the partials cached from it) would
 * give a silently wrong gradient.
 *
 * @example
 * ```ts
 * checkVersions(tape.ext.get(i)!, i); // throws GraphError after t.fill_(0) on a saved t
 * ```
 */
export function checkVersions(e: ExtEntry, i: number): void {
  const versions = e.versions;
  if (versions === null) return;
  for (let k = 0; k < versions.length; k++) {
    const v = e.vals[k];
    if (versions[k]! >= 0 && v instanceof Tensor && v.version !== versions[k]) {
      fail("backward", `argument ${k + 1} of '${e.op!.name}' (entry %${i}, a Tensor of shape [${v.shape.join(", ")}]) was modified in place after it was recorded (version ${versions[k]} -> ${v.version})`,
        "write into a copy instead, or make the in-place change after backward()", GraphError);
    }
  }
}

