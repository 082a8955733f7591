/**
 * How many times each imperative leaf was given a new value (setLeafValue,
 * an optimiser step). A tape notes the count when a leaf registers, so a
 * backward that reaches a registration older than the leaf's value (on a
 * tape retired before the step) is refused, as the retired node on the
 * leaf's own tape is. Kept beside the Vars rather than in them: only leaves
 * that were ever updated have an entry, and Var handles stay small.
 */
import type { Var } from "./var.ts";

const versions = new WeakMap<Var, number>();

/**
 * The number of value changes of leaf `v` so far (0 if never changed).
 *
 * @example
 * ```ts
 * leafVersion(w); // 0, then 1 after setLeafValue(w, 0.9)
 * ```
 */
export function leafVersion(v: Var): number {
  return versions.get(v) ?? 0;
}

/**
 * Counts one more value change of leaf `v`.
 *
 * @example
 * ```ts
 * bumpLeafVersion(w);
 * ```
 */
export function bumpLeafVersion(v: Var): void {
  versions.set(v, leafVersion(v) + 1);
}
