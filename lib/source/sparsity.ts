/**
 * Sparse Jacobians of compiled functions by column compression. One or
 * more sparsity passes (the forward code with 32-bit masks of directions
 * for tangents; see emitForwardPattern) give which inputs each output
 * depends on at the given arguments. Columns that share no row get one
 * color, greedily; one forward direction per color then carries all of its
 * columns at once, and each row's entries are read back from the color of
 * its column. A Jacobian with c colors costs ceil(c / LANES) forward passes
 * instead of ceil(n / LANES).
 */
import type { Generated } from "./calls.ts";
import { forwardPasses, LANES, type SeedFill } from "./lanes.ts";
import { fail, describe } from "./registry.ts";

/** Directions per sparsity pass: the bits of one int32 mask. */
export const PATTERN_BITS = 32;

/**
 * The nonzero pattern of a Jacobian at some arguments, by rows (CSR), and a
 * coloring of its columns: two columns of one color never share a row.
 *
 * @example
 * ```ts
 * const s: SparsityPattern = F.sparsity([x]);
 * s.colIndex.subarray(s.rowPtr[2], s.rowPtr[3]); // the columns row 2 depends on
 * s.colorCount;                                  // forward directions a sparse Jacobian takes
 * ```
 */
export interface SparsityPattern {
  /** m, the number of outputs. */
  rows: number;
  /** n, the number of inputs (columns run through the wrt entries in order). */
  cols: number;
  /** Row r's columns are colIndex[rowPtr[r] .. rowPtr[r + 1] - 1], ascending. */
  rowPtr: Int32Array;
  colIndex: Int32Array;
  /** The color of each column. */
  colors: Int32Array;
  colorCount: number;
}

/** The sparsity pass of a Generated: absent in bundles written before it existed. */
export interface PatternPass {
  run: (...args: unknown[]) => ArrayLike<unknown>;
  res: Float64Array;
}

type NumArray = number[] | Float64Array;

/**
 * The row masks of one sparsity pass over the 32 columns from `first`:
 * mask arguments in parameter order (an array per array entry, a number per
 * number entry, the bit of each seeded column set).
 */
function patternPass(g: Generated, pass: PatternPass, args: unknown[], n: readonly number[], first: number): { masks: ArrayLike<number>; m: number } {
  const masks: unknown[] = [];
  let offset = 0;
  const perEntry = n.map((nk) => {
    const at = offset;
    offset += nk;
    return at;
  });
  const bit = (col: number) => (col >= first && col < first + PATTERN_BITS ? 1 << (col - first) : 0);
  g.fn.params.forEach((p, k) => {
    if (p.wrt < 0) return;
    const i = g.wrt.indexOf(k);
    if (!p.array) return masks.push(bit(perEntry[i]));
    const a = new Float64Array(n[i]);
    for (let j = Math.max(0, first - perEntry[i]); j < n[i] && perEntry[i] + j < first + PATTERN_BITS; j++) a[j] = bit(perEntry[i] + j);
    masks.push(a);
  });
  const r = pass.run(...args, ...masks);
  if (g.fn.resultArray === null) return { masks: [r[1] as number], m: 1 };
  const t = r[1] as NumArray;
  return { masks: t, m: t.length };
}

/**
 * Which of the n columns each of the m rows depends on, as bit masks: word
 * k of row r (words[k][r]) holds columns 32k..32k+31.
 */
export interface RowMasks {
  words: Int32Array[];
  m: number;
  n: number;
}

/**
 * The row masks at the arguments `fresh` gives: one sparsity pass per 32 columns.
 *
 * @example
 * ```ts
 * rowMasks(g, pass, () => prepare(g, args, "sparsity"), [n]).words[0][r]; // row r's columns below 32
 * ```
 */
export function rowMasks(g: Generated, pass: PatternPass, fresh: () => unknown[], n: readonly number[]): RowMasks {
  const width = n.reduce((a, b) => a + b, 0);
  const words: Int32Array[] = [];
  let m = 0;
  for (let first = 0; first === 0 || first < width; first += PATTERN_BITS) {
    const r = patternPass(g, pass, fresh(), n, first);
    m = r.m;
    // Copied: the pass may hand back a buffer it reuses.
    const w = new Int32Array(m);
    for (let i = 0; i < m; i++) w[i] = r.masks[i];
    words.push(w);
  }
  return { words, m, n: width };
}

/**
 * The pattern of `rows` by rows (CSR).
 *
 * @example
 * ```ts
 * toCsr(rows).colIndex; // the columns of row 0, then of row 1, ...
 * ```
 */
export function toCsr({ words, m }: RowMasks): { rowPtr: Int32Array; colIndex: Int32Array } {
  const rowPtr = new Int32Array(m + 1);
  let total = 0;
  for (let r = 0; r < m; r++) {
    for (let k = 0; k < words.length; k++) total += bitCount(words[k][r]);
    rowPtr[r + 1] = total;
  }
  const colIndex = new Int32Array(total);
  for (let r = 0, at = 0; r < m; r++) {
    for (let k = 0; k < words.length; k++) {
      for (let bits = words[k][r]; bits !== 0; bits &= bits - 1) colIndex[at++] = k * PATTERN_BITS + 31 - Math.clz32(bits & -bits);
    }
  }
  return { rowPtr, colIndex };
}

/**
 * A coloring of the columns of `rows`. Rows with the same columns constrain
 * the coloring alike, so it runs on the distinct rows only: a Jacobian of
 * 30000 rows often has a few dozen.
 *
 * @example
 * ```ts
 * colorRows(rowMasks(g, pass, fresh, [n])).colorCount;
 * ```
 */
export function colorRows(rows: RowMasks): { colors: Int32Array; colorCount: number } {
  const { words, m, n } = rows;
  // Rows by a hash of their words, compared word by word within a bucket.
  const buckets = new Map<number, number[]>();
  const distinct: number[] = [];
  const same = (a: number, b: number): boolean => words.every((w) => w[a] === w[b]);
  for (let r = 0; r < m; r++) {
    let h = 0;
    for (let k = 0; k < words.length; k++) h = Math.imul(h ^ words[k][r], 0x9e3779b1);
    const bucket = buckets.get(h);
    if (bucket === undefined) buckets.set(h, [r]);
    else if (!bucket.some((q) => same(q, r))) bucket.push(r);
    else continue;
    distinct.push(r);
  }
  // A plain loop: Int32Array.from with a map function goes through the iterator protocol.
  const kept = words.map((w) => {
    const out = new Int32Array(distinct.length);
    for (let d = 0; d < distinct.length; d++) out[d] = w[distinct[d]];
    return out;
  });
  const { rowPtr, colIndex } = toCsr({ words: kept, m: distinct.length, n });
  return colorColumns(rowPtr, colIndex, distinct.length, n);
}

/**
 * The Jacobian's pattern at the arguments `fresh` gives (one sparsity pass
 * per 32 columns), with its columns colored.
 *
 * @example
 * ```ts
 * sparsityOf(g, pass, () => prepare(g, args, "sparsity"), [n]).colorCount;
 * ```
 */
export function sparsityOf(g: Generated, pass: PatternPass, fresh: () => unknown[], n: readonly number[]): SparsityPattern {
  const rows = rowMasks(g, pass, fresh, n);
  return { rows: rows.m, cols: rows.n, ...toCsr(rows), ...colorRows(rows) };
}

/** The number of set bits of an int32 (a branch-free count: rows are many, masks short). */
function bitCount(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/**
 * A greedy coloring of the columns, in column order: each column takes the
 * lowest color no column sharing a row with it has. Rows keep a bit set of
 * the colors used in them, 32 colors per word, so the coloring costs
 * O(nonzeros x colors / 32).
 *
 * @example
 * ```ts
 * colorColumns(Int32Array.of(0, 1, 2), Int32Array.of(0, 1), 2, 2); // one color: the columns share no row
 * ```
 */
export function colorColumns(rowPtr: Int32Array, colIndex: Int32Array, m: number, n: number): { colors: Int32Array; colorCount: number } {
  // The rows of each column (the pattern transposed).
  const colPtr = new Int32Array(n + 1);
  for (let k = 0; k < colIndex.length; k++) colPtr[colIndex[k] + 1]++;
  for (let j = 0; j < n; j++) colPtr[j + 1] += colPtr[j];
  const rowsOf = new Int32Array(colIndex.length);
  const fill = colPtr.slice(0, n);
  for (let r = 0; r < m; r++) for (let k = rowPtr[r]; k < rowPtr[r + 1]; k++) rowsOf[fill[colIndex[k]]++] = r;
  const used: Int32Array[] = [];
  const colors = new Int32Array(n);
  let colorCount = 0;
  for (let j = 0; j < n; j++) {
    let color = -1;
    for (let w = 0; color < 0; w++) {
      if (w === used.length) used.push(new Int32Array(m));
      let taken = 0;
      for (let k = colPtr[j]; k < colPtr[j + 1]; k++) taken |= used[w][rowsOf[k]];
      if (taken !== -1) {
        const free = ~taken & (taken + 1);
        color = w * 32 + (31 - Math.clz32(free));
        for (let k = colPtr[j]; k < colPtr[j + 1]; k++) used[w][rowsOf[k]] |= free;
      }
    }
    colors[j] = color;
    colorCount = Math.max(colorCount, color + 1);
  }
  return { colors, colorCount };
}

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
  cols: number;
  rowPtr: Int32Array;
  colIndex: Int32Array;
  values: Float64Array;
}

/** Relative tolerance of the probe that checks a pattern the caller passed (see `sparseColumns`). */
const PROBE_TOLERANCE = 1e-7;

/**
 * The probe's weight at column j: in [0.5, 1.5), scattered by a
 * multiplicative hash (different for nearby columns, the same on every
 * call, and cheap: it runs for every input and every entry).
 */
const probeWeight = (j: number): number => 0.5 + (Math.imul(j + 1, 0x9e3779b1) >>> 0) / 4294967296;

/**
 * The Jacobian's entries in the pattern `s`, from forward passes over its
 * colors: color c's direction seeds every column of that color, and entry
 * (r, j) is row r of color j's column. With `probe` (a pattern the caller
 * passed rather than one found here), one more direction weights every
 * input by probeWeight, and each row's tangent along it must equal the sum
 * of the row's entries times those weights: a nonzero the pattern misses
 * either leaks into an entry of its color or is lost, and the sums then
 * differ. Returns the values in CSR order and m.
 *
 * @example
 * ```ts
 * sparseColumns(g, fresh, [n], sparsityOf(g, pass, fresh, [n]), false, "compile(f).jacobian").values;
 * ```
 */
export function sparseColumns(g: Generated, fresh: () => unknown[], n: readonly number[], s: SparsityPattern, probe: boolean, api: string): SparseJacobian {
  const { colors, colorCount, rowPtr, colIndex } = s;
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
  const values = new Float64Array(colIndex.length);
  let probed: Float64Array | null = null;
  const m = forwardPasses(g, fresh, n, colorCount + (probe ? 1 : 0), fill, (start, count, t, rows) => {
    if (rows !== s.rows) fail(api, `the sparsity pattern has ${s.rows} rows, but f returns ${rows} values here`, "pass the pattern sparsity(args) gives for arguments of these sizes");
    const end = start + Math.min(count, colorCount - start);
    for (let r = 0; r < rows; r++) {
      const from = r * LANES - start;
      for (let k = rowPtr[r]; k < rowPtr[r + 1]; k++) {
        const c = colors[colIndex[k]];
        if (c >= start && c < end) values[k] = t[from + c];
      }
    }
    if (probe && colorCount >= start && colorCount < start + count) {
      probed = new Float64Array(rows);
      for (let r = 0; r < rows; r++) probed[r] = t[r * LANES + colorCount - start];
    }
  });
  if (probed !== null) checkProbe(s, values, probed, api);
  return { rows: m, cols: s.cols, rowPtr, colIndex, values };
}

function checkProbe(s: SparsityPattern, values: Float64Array, probed: Float64Array, api: string): void {
  for (let r = 0; r < s.rows; r++) {
    let sum = 0;
    let scale = Math.abs(probed[r]);
    for (let k = s.rowPtr[r]; k < s.rowPtr[r + 1]; k++) {
      const term = values[k] * probeWeight(s.colIndex[k]);
      sum += term;
      scale += Math.abs(term);
    }
    // NaN and infinite entries make the comparison meaningless; they are passed on as computed.
    if (!Number.isFinite(scale)) continue;
    if (Math.abs(sum - probed[r]) > PROBE_TOLERANCE * scale) {
      fail(api, `the sparsity pattern passed misses a nonzero in row ${r}: J times a probe vector gives ${probed[r]} there, the pattern's entries ${sum}`,
        "pass the pattern sparsity(args) gives at arguments that take the same branches, or sparse: true to find it at these arguments");
    }
  }
}

/**
 * The dense row-major m x n buffer of a sparse Jacobian (zeros outside its pattern).
 *
 * @example
 * ```ts
 * toDense(J); // Float64Array of J.rows * J.cols
 * ```
 */
export function toDense(J: SparseJacobian): Float64Array {
  const flat = new Float64Array(J.rows * J.cols);
  for (let r = 0; r < J.rows; r++) {
    for (let k = J.rowPtr[r]; k < J.rowPtr[r + 1]; k++) flat[r * J.cols + J.colIndex[k]] = J.values[k];
  }
  return flat;
}

/**
 * The entries of a dense row-major Jacobian at the pattern's positions.
 *
 * @example
 * ```ts
 * fromDense(flat, pattern).values;
 * ```
 */
export function fromDense(flat: Float64Array, s: SparsityPattern): SparseJacobian {
  const values = new Float64Array(s.colIndex.length);
  for (let r = 0; r < s.rows; r++) {
    for (let k = s.rowPtr[r]; k < s.rowPtr[r + 1]; k++) values[k] = flat[r * s.cols + s.colIndex[k]];
  }
  return { rows: s.rows, cols: s.cols, rowPtr: s.rowPtr, colIndex: s.colIndex, values };
}

/**
 * A dense Jacobian's nonzeros all lie in the pattern `s` (a pattern the
 * caller passed, when reverse rows gave the Jacobian and no probe ran).
 *
 * @example
 * ```ts
 * checkDenseInPattern(flat, pattern, "compile(f).jacobian"); // throws if an entry outside it is not zero
 * ```
 */
export function checkDenseInPattern(flat: Float64Array, s: SparsityPattern, api: string): void {
  for (let r = 0; r < s.rows; r++) {
    let k = s.rowPtr[r];
    for (let j = 0; j < s.cols; j++) {
      if (k < s.rowPtr[r + 1] && s.colIndex[k] === j) {
        k++;
        continue;
      }
      const v = flat[r * s.cols + j];
      if (v !== 0) {
        fail(api, `the sparsity pattern passed misses a nonzero: J[${r}][${j}] = ${v}`,
          "pass the pattern sparsity(args) gives at arguments that take the same branches, or sparse: true to find it at these arguments");
      }
    }
  }
}

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
  if (cols !== n) fail(api, `the sparsity pattern has ${cols} columns, but the Jacobian has ${n}`, "pass the pattern sparsity(args) gives for arguments of these sizes");
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
  if (!(colors instanceof Int32Array) || colors.length !== cols || !Number.isInteger(colorCount) || colors.some((c) => c < 0 || c >= colorCount)) {
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
