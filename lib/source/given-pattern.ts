/**
 * A sparsity pattern the caller passes to `jacobian(args, { sparse: pattern })`:
 * checked as CSR against the Jacobian's columns, its coloring checked or
 * computed (once per pattern).
 */
import { fail, describe } from "./registry.ts";
import { colorColumns } from "./coloring.ts";
import type { SparsityPattern } from "./sparsity.ts";
import { PATTERN_SIZE_FIX } from "./sparse-jacobian.ts";

/** The colors computed for patterns passed without them, by their colIndex array. */
const coloredPatterns = new WeakMap<Int32Array, { rowPtr: Int32Array; colors: Int32Array; colorCount: number }>();

/**
 * A pattern the caller passed (`jacobian(args, { sparse: pattern })`),
 * checked against the Jacobian's n columns: a CSR structure with ascending
 * columns in range, and, when it has colors, a proper coloring (two columns
 * of one row never share a color); without colors, it is colored here.
 *
 * @example
 * ```ts
 * checkPattern({ rows: 2, cols: 2, rowPtr: Int32Array.of(0, 1, 2), colIndex: Int32Array.of(0, 1) }, 2, api).colorCount; // 1
 * ```
 */
export function checkPattern(p: unknown, n: number, api: string): SparsityPattern {
  const fix = "pass sparse: true, or a pattern as sparsity(args) returns it ({ rows, cols, rowPtr, colIndex }, colors optional)";
  const q = p as Partial<SparsityPattern> | null;
  if (q === null || typeof q !== "object" || !(q.rowPtr instanceof Int32Array) || !(q.colIndex instanceof Int32Array) || !Number.isInteger(q.rows) || !Number.isInteger(q.cols)) {
    fail(api, `sparse is ${describe(p)}, not true, false or a sparsity pattern`, fix);
  }
  const { rows, cols, rowPtr, colIndex } = q as SparsityPattern;
  if (cols !== n) fail(api, `the sparsity pattern has ${cols} columns, but the Jacobian has ${n}`, PATTERN_SIZE_FIX);
  if (rowPtr.length !== rows + 1 || rowPtr[0] !== 0 || rowPtr[rows] !== colIndex.length) {
    fail(api, `the sparsity pattern's rowPtr (length ${rowPtr.length}) does not frame its ${colIndex.length} columns in ${rows} rows`, fix);
  }
  for (let r = 0; r < rows; r++) {
    if (rowPtr[r + 1] < rowPtr[r]) fail(api, `the sparsity pattern's rowPtr decreases at row ${r}`, fix);
    for (let k = rowPtr[r]; k < rowPtr[r + 1]; k++) {
      const j = colIndex[k];
      if (!(j >= 0 && j < cols) || (k > rowPtr[r] && j <= colIndex[k - 1])) {
        fail(api, `row ${r} of the sparsity pattern lists column ${j} out of range or order`, "list each row's columns once, ascending, in 0..cols-1");
      }
    }
  }
  if (q!.colors === undefined) {
    // Colored once per pattern: a caller passes the same pattern call after call. A pattern changed in
    // place afterwards may be colored wrongly for it, which the probe then reports.
    let c = coloredPatterns.get(colIndex);
    if (c === undefined || c.rowPtr !== rowPtr || c.colors.length !== cols) {
      c = { rowPtr, ...colorColumns(rowPtr, colIndex, rows, cols) };
      coloredPatterns.set(colIndex, c);
    }
    return { rows, cols, rowPtr, colIndex, colors: c.colors, colorCount: c.colorCount };
  }
  const { colors, colorCount } = q as SparsityPattern;
  // No proper coloring needs more colors than columns (and a larger count would size the check below).
  if (!(colors instanceof Int32Array) || colors.length !== cols || !Number.isInteger(colorCount) || colorCount > Math.max(cols, 1) || colors.some((c) => c < 0 || c >= colorCount)) {
    fail(api, "the sparsity pattern's colors are not one color in 0..colorCount-1 per column", "leave colors out to have them computed, or pass those sparsity(args) returns");
  }
  const stamp = new Int32Array(colorCount).fill(-1);
  for (let r = 0; r < rows; r++) {
    for (let k = rowPtr[r]; k < rowPtr[r + 1]; k++) {
      const c = colors[colIndex[k]];
      if (stamp[c] === r) fail(api, `two columns of row ${r} of the sparsity pattern have color ${c}`, "leave colors out to have them computed");
      stamp[c] = r;
    }
  }
  return { rows, cols, rowPtr, colIndex, colors, colorCount };
}
