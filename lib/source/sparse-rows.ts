/**
 * Sparse Jacobians by rows: adjoint sweeps over the colors of the
 * pattern's rows. Rows that share no column take one cotangent between
 * them (ones on each), and the gradient it pulls back holds each of those
 * rows' entries at its own columns. A Jacobian with a few outputs per block
 * of inputs (ba's two residuals per observation) then takes one adjoint
 * lane per color, not per row, after one forward sweep. A pattern the
 * caller passed is checked by one more cotangent, weighting every row
 * differently.
 */
import { writeFlat, type Generated } from "./calls.ts";
import { keepSweep, adjointsOf } from "./kept-sweep.ts";
import { REVERSE_LANES } from "./reverse-lanes.ts";
import { colorRows } from "./coloring.ts";
import { fail } from "./registry.ts";
import { checkRows, probeWeight, PROBE_TOLERANCE, PATTERN_MISS_FIX, type SparseJacobian } from "./sparse-jacobian.ts";
import type { SparsityPattern } from "./sparsity.ts";

type NumArray = number[] | Float64Array;

/** Row colorings by pattern (its colIndex array): a caller passes one pattern call after call. */
const colorings = new WeakMap<Int32Array, { rowPtr: Int32Array; rows: number; colors: Int32Array; colorCount: number }>();

/**
 * The coloring of the pattern's rows (two rows of one color share no
 * column), computed once per pattern. A pattern changed in place
 * afterwards may be colored wrongly for it, which the probe then reports.
 *
 * @example
 * ```ts
 * rowColoring(F.sparsity([x])).colorCount; // adjoint lanes a sparse Jacobian by rows takes
 * ```
 */
export function rowColoring(s: SparsityPattern): { colors: Int32Array; colorCount: number } {
  let c = colorings.get(s.colIndex);
  if (c === undefined || c.rowPtr !== s.rowPtr || c.rows !== s.rows) {
    c = { rowPtr: s.rowPtr, rows: s.rows, ...colorRows(s.rowPtr, s.colIndex, s.rows, s.cols) };
    colorings.set(s.colIndex, c);
  }
  return c;
}

/** The rows of each color, in order: rows of color c at list[start[c] .. start[c + 1] - 1]. */
function rowsByColor(colors: Int32Array, colorCount: number): { start: Int32Array; list: Int32Array } {
  const start = new Int32Array(colorCount + 1);
  for (let r = 0; r < colors.length; r++) start[colors[r] + 1]++;
  for (let c = 0; c < colorCount; c++) start[c + 1] += start[c];
  const list = new Int32Array(colors.length);
  const at = start.slice(0, colorCount);
  for (let r = 0; r < colors.length; r++) list[at[colors[r]]++] = r;
  return { start, list };
}

/** A lane's gradients as one array over the Jacobian's columns (the wrt entries in order). */
function flatGradient(grads: readonly unknown[], n: readonly number[], width: number): ArrayLike<number> {
  if (grads.length === 1 && typeof grads[0] !== "number") return grads[0] as NumArray;
  const flat = new Float64Array(width);
  writeFlat(grads, n, flat, 0);
  return flat;
}

/**
 * The pattern's entries from one forward sweep and adjoint sweeps over
 * the colors of its rows (REVERSE_LANES colors per sweep): color c's
 * cotangent is one on each row of that color, and row r's entry at column
 * j is the pulled-back gradient's j-th value. With `probe` (a pattern the
 * caller passed), one more cotangent weights row r by probeWeight(r), and
 * each column of what it pulls back must equal the sum of that column's
 * entries times their rows' weights: a nonzero the pattern misses either
 * leaks into an entry of a row of its row's color or is lost.
 *
 * @example
 * ```ts
 * compressedRows(g, fresh, args, [n], pattern, false, "compile(f).jacobian").sparse.values;
 * ```
 */
export function compressedRows(
  g: Generated, fresh: () => unknown[], original: readonly unknown[], n: readonly number[], s: SparsityPattern, probe: boolean, api: string,
): { sparse: SparseJacobian; m: number } {
  const kept = keepSweep(g, fresh, api);
  const scalar = typeof kept.value === "number";
  const m = scalar ? 1 : (kept.value as Float64Array).length;
  checkRows(s, m, api);
  const { colors, colorCount } = rowColoring(s);
  const { start, list } = rowsByColor(colors, colorCount);
  const total = colorCount + (probe ? 1 : 0);
  const lanes = Math.max(1, Math.min(REVERSE_LANES, total));
  const values = new Float64Array(s.colIndex.length);
  // The probe's pullback: its lane's gradient, which no later sweep overwrites (the probe's color is the last).
  let probed: ArrayLike<number> | null = null;
  // Seeds and gradient buffers per lane, reused from sweep to sweep.
  const seeds: (number | Float64Array)[] = Array.from({ length: lanes }, () => (scalar ? 0 : new Float64Array(m)));
  const into = seeds.map(() => g.wrt.map((k, i) => (g.fn.params[k].array ? new Float64Array(n[i]) : undefined)));
  // Color c's rows get `on` (1, or the probe's weights for c = colorCount), or 0 to clear them.
  const seed = (l: number, c: number, on: boolean) => {
    const rows = c < colorCount ? list.subarray(start[c], start[c + 1]) : null;
    const weight = (r: number) => (!on ? 0 : rows === null ? probeWeight(r) : 1);
    if (scalar) return void (seeds[l] = weight(0));
    const a = seeds[l] as Float64Array;
    if (rows === null) for (let r = 0; r < m; r++) a[r] = weight(r);
    else for (let q = 0; q < rows.length; q++) a[rows[q]] = weight(rows[q]);
  };
  for (let first = 0; first < total; first += lanes) {
    const count = Math.min(lanes, total - first);
    for (let l = 0; l < count; l++) seed(l, first + l, true);
    const grads = adjointsOf(g, kept, original, seeds.slice(0, count), api, into.slice(0, count));
    for (let l = 0; l < count; l++) {
      const c = first + l;
      const gl = flatGradient(grads[l]!, n, s.cols);
      if (c === colorCount) {
        probed = gl;
      } else {
        for (let q = start[c]; q < start[c + 1]; q++) {
          const r = list[q];
          for (let k = s.rowPtr[r]; k < s.rowPtr[r + 1]; k++) values[k] = gl[s.colIndex[k]];
        }
      }
      seed(l, c, false);
    }
  }
  const sparse = { rows: s.rows, cols: s.cols, rowPtr: s.rowPtr, colIndex: s.colIndex, values };
  if (probed !== null) checkProbe(sparse, probed, api);
  return { sparse, m };
}

/** Each column of the probe's pullback against the column's entries times their rows' weights. */
function checkProbe(J: SparseJacobian, probed: ArrayLike<number>, api: string): void {
  // Per column, the pullback less the weighted entries, and the scale the difference is measured against.
  const rest = new Float64Array(J.cols);
  for (let j = 0; j < J.cols; j++) rest[j] = probed[j];
  const scale = new Float64Array(J.cols);
  for (let j = 0; j < J.cols; j++) scale[j] = Math.abs(rest[j]);
  for (let r = 0; r < J.rows; r++) {
    const w = probeWeight(r);
    for (let k = J.rowPtr[r]; k < J.rowPtr[r + 1]; k++) {
      const term = J.values[k] * w;
      rest[J.colIndex[k]] -= term;
      scale[J.colIndex[k]] += Math.abs(term);
    }
  }
  for (let j = 0; j < J.cols; j++) {
    // NaN and infinite entries make the comparison meaningless; they are passed on as computed.
    if (!Number.isFinite(scale[j])) continue;
    if (Math.abs(rest[j]) > PROBE_TOLERANCE * scale[j]) {
      fail(api, `the sparsity pattern passed misses a nonzero in column ${j}: a probe cotangent pulls back ${probed[j]} there, the pattern's entries ${probed[j] - rest[j]}`,
        PATTERN_MISS_FIX);
    }
  }
}
