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
import { checkRows, probeWeight, probeFloor, PROBE_TOLERANCE, PATTERN_MISS_FIX, type SparseJacobian } from "./sparse-jacobian.ts";
import type { SparsityPattern } from "./sparsity.ts";

/** Row colorings by pattern (its colIndex array): a caller passes one pattern call after call. */
const colorings = new WeakMap<Int32Array, RowColoring>();

/** A coloring of a pattern's rows, with the rows of each color listed (see rowsByColor). */
interface RowColoring {
  rowPtr: Int32Array;
  rows: number;
  colors: Int32Array;
  colorCount: number;
  start: Int32Array;
  list: Int32Array;
}

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
export function rowColoring(s: SparsityPattern): RowColoring {
  let c = colorings.get(s.colIndex);
  if (c === undefined || c.rowPtr !== s.rowPtr || c.rows !== s.rows) {
    const { colors, colorCount } = colorRows(s.rowPtr, s.colIndex, s.rows, s.cols);
    c = { rowPtr: s.rowPtr, rows: s.rows, colors, colorCount, ...rowsByColor(colors, colorCount) };
    colorings.set(s.colIndex, c);
  }
  return c;
}

/**
 * Buffers a Jacobian by rows reuses from call to call, per compiled
 * function: the lanes' seeds (zero between sweeps), their gradients (zeroed
 * by each sweep) and the probe check's column scales. Fresh buffers of the
 * size of the inputs on every call measured as much time again as the
 * adjoint sweeps, in page faults and collection.
 */
interface RowsWork {
  seeds: (number | Float64Array)[];
  into: (Float64Array | undefined)[][];
  scale: Float64Array;
}

const works = new WeakMap<Generated, RowsWork>();

function workFor(g: Generated, lanes: number, scalar: boolean, m: number, n: readonly number[], cols: number): RowsWork {
  const w = works.get(g);
  const fits = w !== undefined && w.seeds.length === lanes && w.scale.length === cols
    && w.seeds.every((a) => (scalar ? typeof a === "number" : a instanceof Float64Array && a.length === m))
    && w.into.every((lane) => lane.every((b, i) => b === undefined || b.length === n[i]));
  if (fits) return w;
  const seeds: (number | Float64Array)[] = Array.from({ length: lanes }, () => (scalar ? 0 : new Float64Array(m)));
  const into = seeds.map(() => g.wrt.map((k, i) => (g.fn.params[k].array ? new Float64Array(n[i]) : undefined)));
  const fresh = { seeds, into, scale: new Float64Array(cols) };
  works.set(g, fresh);
  return fresh;
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
function flatGradient(grads: readonly unknown[], n: readonly number[], width: number): Float64Array {
  // An array wrt entry's gradient is the lane's own Float64Array buffer (`into`).
  if (grads.length === 1 && grads[0] instanceof Float64Array) return grads[0];
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
  const { colorCount, start, list } = rowColoring(s);
  const total = colorCount + (probe ? 1 : 0);
  const lanes = Math.max(1, Math.min(REVERSE_LANES, total));
  const values = new Float64Array(s.colIndex.length);
  // The probe's pullback: its lane's gradient, which no later sweep overwrites (the probe's color is the last).
  let probed: Float64Array | null = null;
  // Seeds and gradient buffers per lane, reused from sweep to sweep and call to call.
  const { seeds, into, scale } = workFor(g, lanes, scalar, m, n, s.cols);
  // Each sweep clears the rows it seeded; a call that threw midway may not have, so every call starts from zeros.
  for (const a of seeds) if (a instanceof Float64Array) a.fill(0);
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
        gather(values, gl, s.rowPtr, s.colIndex, list, start[c], start[c + 1]);
      }
      seed(l, c, false);
    }
  }
  const sparse = { rows: s.rows, cols: s.cols, rowPtr: s.rowPtr, colIndex: s.colIndex, values };
  if (probed !== null) checkProbe(sparse, probed, scale, api);
  return { sparse, m };
}

/** The entries of the rows list[from .. to - 1] from the gradient of their color's cotangent. */
function gather(values: Float64Array, gl: Float64Array, rowPtr: Int32Array, colIndex: Int32Array, list: Int32Array, from: number, to: number): void {
  for (let q = from; q < to; q++) {
    const r = list[q], end = rowPtr[r + 1];
    for (let k = rowPtr[r]; k < end; k++) values[k] = gl[colIndex[k]];
  }
}

/**
 * Each column of the probe's pullback against the column's entries times
 * their rows' weights. `probed` (a lane's own buffer) is overwritten with
 * the differences, `scale` with what they are measured against.
 */
function checkProbe(J: SparseJacobian, probed: Float64Array, scale: Float64Array, api: string): void {
  const { rows, cols, rowPtr, colIndex, values } = J;
  const floor = Math.max(probeFloor(values), probeFloor(probed));
  const rest = probed;
  for (let j = 0; j < cols; j++) scale[j] = Math.abs(rest[j]);
  for (let r = 0; r < rows; r++) {
    const w = probeWeight(r);
    const end = rowPtr[r + 1];
    for (let k = rowPtr[r]; k < end; k++) {
      const j = colIndex[k], term = values[k] * w;
      rest[j] -= term;
      scale[j] += Math.abs(term);
    }
  }
  for (let j = 0; j < cols; j++) {
    // NaN and infinite entries make the comparison meaningless; they are passed on as computed.
    if (Math.abs(rest[j]) > Math.max(PROBE_TOLERANCE * scale[j], floor) && Number.isFinite(scale[j])) {
      const entries = weightedEntries(J, j);
      fail(api, `the sparsity pattern passed misses a nonzero in column ${j}: a probe cotangent pulls back ${rest[j] + entries} there, the pattern's entries ${entries}`,
        PATTERN_MISS_FIX);
    }
  }
}

/** The sum of column j's entries times their rows' probe weights. */
function weightedEntries(J: SparseJacobian, j: number): number {
  let sum = 0;
  for (let r = 0; r < J.rows; r++) {
    for (let k = J.rowPtr[r]; k < J.rowPtr[r + 1]; k++) if (J.colIndex[k] === j) sum += J.values[k] * probeWeight(r);
  }
  return sum;
}
