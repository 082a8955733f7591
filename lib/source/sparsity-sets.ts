/**
 * The sparsity pattern from one pass of the sets pass (emitForwardSets),
 * whose tangents are sets of input columns: each seeded input's tangent is
 * the set of its own column. The pattern of ba's residuals at p = 31843
 * (477645 inputs) then takes one pass, where 32-column masks take 14927.
 */
import type { Generated, PatternPass } from "./calls.ts";
import { tangentArguments } from "./lanes.ts";
import { TooDense } from "./direction-sets.ts";

/**
 * Inputs from which the sparsity pattern comes from the sets pass (one
 * pass) rather than from 32-column masks (one pass per 32 inputs): past 8
 * mask passes, when every set stays within SET_LIMIT.
 *
 * @example
 * ```ts
 * width > SETS_FROM; // true: one sets pass
 * ```
 */
export const SETS_FROM = 256;

/** A set of columns, or 0 for none. */
type Columns = readonly number[] | 0;

/**
 * The pattern by rows (CSR) from one sets pass at `args`, with m; null
 * when some value's set outgrew SET_LIMIT (the caller then takes mask
 * passes).
 *
 * @example
 * ```ts
 * patternBySets(g, g.sets!(), prepare(g, args, "sparsity"), [n])?.colIndex;
 * ```
 */
export function patternBySets(g: Generated, pass: PatternPass, args: unknown[], n: readonly number[]): { rowPtr: Int32Array; colIndex: Int32Array; m: number } | null {
  let offset = 0;
  // Arrays of sets for array entries, and a one-entry list holding the set for a number entry.
  const seeds = n.map((nk) => {
    const a = Array.from({ length: nk }, (_, j) => [offset + j]);
    offset += nk;
    return a;
  });
  let r: ArrayLike<unknown>;
  try {
    r = pass.run(...args, ...tangentArguments(g, seeds as unknown as Float64Array[], 1));
  } catch (e) {
    if (e instanceof TooDense) return null;
    throw e;
  }
  const rows: ArrayLike<Columns> = g.fn.resultArray === null ? [r[1] as Columns] : (r[1] as ArrayLike<Columns>);
  const m = rows.length;
  const rowPtr = new Int32Array(m + 1);
  for (let i = 0; i < m; i++) rowPtr[i + 1] = rowPtr[i] + (rows[i] === 0 ? 0 : (rows[i] as readonly number[]).length);
  const colIndex = new Int32Array(rowPtr[m]);
  for (let i = 0; i < m; i++) {
    const s = rows[i];
    if (s !== 0) colIndex.set(s as readonly number[], rowPtr[i]);
  }
  return { rowPtr, colIndex, m };
}
