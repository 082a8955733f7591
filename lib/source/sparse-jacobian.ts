/**
 * Sparse Jacobians of compiled functions: forward passes over the colors
 * of a sparsity pattern, whose compressed columns are read back into the
 * pattern's entries; a probe direction that checks a pattern the caller
 * passed; and conversions to and from the dense row-major form.
 */
import type { Generated } from "./calls.ts";
import { forwardPasses, LANES, type SeedFill } from "./lanes.ts";
import { fail } from "./registry.ts";
import type { SparsityPattern } from "./sparsity.ts";

/**
 * A sparse Jacobian: the values of the pattern's entries, in its CSR order.
 *
 * @example
 * ```ts
 * const J = F.jacobian([x], { sparse: true, csr: true }) as SparseJacobian;
 * J.values[J.rowPtr[2]]; // row 2's first entry, at column J.colIndex[J.rowPtr[2]]
 * ```
 */
export interface SparseJacobian {
  rows: number;
  /** The columns run through the wrt entries in order, as in the flat Jacobian. */
  cols: number;
  rowPtr: Int32Array;
  colIndex: Int32Array;
  values: Float64Array;
}

/** How to fix a pattern whose row count does not fit the result. */
export const PATTERN_SIZE_FIX = "pass the pattern sparsity(args) gives for arguments of these sizes";

/** How to fix a pattern that misses a nonzero. */
export const PATTERN_MISS_FIX = "pass the pattern sparsity(args) gives at arguments that take the same branches, or sparse: true to find it at these arguments";

/**
 * Refuses a pattern of `rows` rows for a result of `m` values.
 *
 * @example
 * ```ts
 * checkRows(pattern, m, "compile(f).jacobian");
 * ```
 */
export function checkRows(s: SparsityPattern, m: number, api: string): void {
  if (m !== s.rows) fail(api, `the sparsity pattern has ${s.rows} rows, but f returns ${m} values here`, PATTERN_SIZE_FIX);
}

/** Relative tolerance of the probe that checks a pattern the caller passed (see `compressedColumns`). */
export const PROBE_TOLERANCE = 1e-7;

/**
 * The smallest difference the probe reports, given the largest magnitude
 * among `values` (the probe's results and the entries): where a row's
 * entries cancel, the probe and the entries differ by rounding in the
 * terms that cancelled, which can be far above the tolerance relative to
 * what is left (seen: 6.9e-22 against 7.7e-22, in a gradient whose
 * other entries were about 1e-6). A missed entry below 1e-10 of the
 * Jacobian's largest goes unreported.
 *
 * @example
 * ```ts
 * probeFloor([1, -3, 2]); // 3e-10
 * ```
 */
export function probeFloor(values: ArrayLike<number>): number {
  let max = 0;
  for (let k = 0; k < values.length; k++) {
    const a = Math.abs(values[k]!);
    if (a > max && a !== Infinity) max = a;
  }
  return 1e-3 * PROBE_TOLERANCE * max;
}

/**
 * The probe's weight at column (or, in reverse mode, row) j: in [0.5, 1.5),
 * scattered by a multiplicative hash (different for nearby indices, the
 * same on every call, and cheap: it runs for every input and every entry).
 *
 * @example
 * ```ts
 * probeWeight(0) !== probeWeight(1); // true
 * ```
 */
export const probeWeight = (j: number): number => 0.5 + (Math.imul(j + 1, 0x9e3779b1) >>> 0) / 4294967296;

/**
 * A Jacobian compressed by the colors of its pattern `s`: row r's entry
 * for color c at c_flat[r * s.colorCount + c], the sum of J's entries of
 * row r in the columns of color c (at most one of them is in the pattern).
 *
 * @example
 * ```ts
 * const c = compressedColumns(g, fresh, [n], pattern, false, api);
 * denseOf(c); // or csrOf(c)
 * ```
 */
export interface Compressed {
  s: SparsityPattern;
  c: Float64Array;
  m: number;
}

/**
 * The Jacobian compressed by the colors of the pattern `s`, from forward
 * passes over them: color c's direction seeds every column of that color.
 * With `probe` (a pattern the caller passed rather than one found here),
 * one more direction weights every input by probeWeight, and each row's
 * tangent along it must equal the sum of the row's entries times those
 * weights: a nonzero the pattern misses either leaks into an entry of its
 * color or is lost, and the sums then differ.
 *
 * @example
 * ```ts
 * csrOf(compressedColumns(g, fresh, [n], sparsityOf(g, pass, fresh, [n]), false, "compile(f).jacobian")).values;
 * ```
 */
export function compressedColumns(g: Generated, fresh: () => unknown[], n: readonly number[], s: SparsityPattern, probe: boolean, api: string): Compressed {
  const { colors, colorCount } = s;
  // Column j (element e of entry i) goes into lane colors[j] - start of the pass holding its color,
  // and, probed, into the probe's lane with its weight.
  const fill: SeedFill = (start, count, seeds, on) => {
    const probeLane = probe && colorCount >= start && colorCount < start + count ? colorCount - start : -1;
    let j = 0;
    n.forEach((nk, i) => {
      const a = seeds[i];
      for (let e = 0; e < nk; e++, j++) {
        const l = colors[j] - start;
        if (l >= 0 && l < count) a[e * LANES + l] = on ? 1 : 0;
        if (probeLane >= 0) a[e * LANES + probeLane] = on ? probeWeight(j) : 0;
      }
    });
  };
  const c = new Float64Array(s.rows * colorCount);
  const probed = probe ? new Float64Array(s.rows) : null;
  const m = forwardPasses(g, fresh, n, colorCount + (probe ? 1 : 0), fill, (start, count, t, rows) => {
    checkRows(s, rows, api);
    // The colors of this pass, copied row by row; the probe's lane apart.
    const colored = Math.min(count, colorCount - start);
    for (let r = 0; r < rows; r++) {
      const from = r * LANES;
      const to = r * colorCount + start;
      for (let l = 0; l < colored; l++) c[to + l] = t[from + l];
      if (probed !== null && colored < count) probed[r] = t[from + colored];
    }
  });
  const out = { s, c, m };
  if (probed !== null) checkProbe(out, probed, api);
  return out;
}

/** Entry k of the pattern (row r) from the compressed Jacobian. */
const entryOf = ({ s, c }: Compressed, r: number, k: number): number => c[r * s.colorCount + s.colors[s.colIndex[k]]];

function checkProbe(z: Compressed, probed: Float64Array, api: string): void {
  const { s } = z;
  const floor = Math.max(probeFloor(z.c), probeFloor(probed));
  for (let r = 0; r < s.rows; r++) {
    let sum = 0;
    let scale = Math.abs(probed[r]);
    for (let k = s.rowPtr[r]; k < s.rowPtr[r + 1]; k++) {
      const term = entryOf(z, r, k) * probeWeight(s.colIndex[k]);
      sum += term;
      scale += Math.abs(term);
    }
    // NaN and infinite entries make the comparison meaningless; they are passed on as computed.
    if (!Number.isFinite(scale)) continue;
    if (Math.abs(sum - probed[r]) > Math.max(PROBE_TOLERANCE * scale, floor)) {
      fail(api, `the sparsity pattern passed misses a nonzero in row ${r}: J times a probe vector gives ${probed[r]} there, the pattern's entries ${sum}`,
        PATTERN_MISS_FIX);
    }
  }
}

/**
 * The pattern's entries of a compressed Jacobian, as CSR.
 *
 * @example
 * ```ts
 * csrOf(compressed).values[compressed.s.rowPtr[2]]; // row 2's first entry
 * ```
 */
export function csrOf(z: Compressed): SparseJacobian {
  const { s } = z;
  const values = new Float64Array(s.colIndex.length);
  for (let r = 0; r < s.rows; r++) for (let k = s.rowPtr[r]; k < s.rowPtr[r + 1]; k++) values[k] = entryOf(z, r, k);
  return { rows: s.rows, cols: s.cols, rowPtr: s.rowPtr, colIndex: s.colIndex, values };
}

/**
 * A compressed Jacobian as the dense row-major m x n buffer (zeros outside its pattern).
 *
 * @example
 * ```ts
 * denseOf(compressed); // Float64Array of m * n
 * ```
 */
export function denseOf(z: Compressed): Float64Array {
  const { s, c } = z;
  const flat = new Float64Array(s.rows * s.cols);
  for (let r = 0; r < s.rows; r++) {
    const row = r * s.cols;
    const from = r * s.colorCount;
    for (let k = s.rowPtr[r]; k < s.rowPtr[r + 1]; k++) {
      const j = s.colIndex[k];
      flat[row + j] = c[from + s.colors[j]];
    }
  }
  return flat;
}

/**
 * A sparse Jacobian as the dense row-major m x n buffer (zeros outside its pattern).
 *
 * @example
 * ```ts
 * denseOfSparse(J); // Float64Array of J.rows * J.cols
 * ```
 */
export function denseOfSparse(J: SparseJacobian): Float64Array {
  const flat = new Float64Array(J.rows * J.cols);
  for (let r = 0; r < J.rows; r++) for (let k = J.rowPtr[r]; k < J.rowPtr[r + 1]; k++) flat[r * J.cols + J.colIndex[k]] = J.values[k];
  return flat;
}
