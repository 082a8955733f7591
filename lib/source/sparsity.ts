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
import { forwardColumns, type Direction } from "./lanes.ts";

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
  const seen = new Map<number | string, number>();
  const distinct: number[] = [];
  for (let r = 0; r < m; r++) {
    const key = words.length === 1 ? words[0][r] : words.map((w) => w[r]).join(",");
    if (!seen.has(key)) {
      seen.set(key, r);
      distinct.push(r);
    }
  }
  const { rowPtr, colIndex } = toCsr({ words: words.map((w) => Int32Array.from(distinct, (r) => w[r])), m: distinct.length, n });
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
 * The Jacobian (row-major m x n, as `jacobianOf` returns it) from forward
 * passes over the colors of the pattern `rows`: color c's direction seeds
 * every column of that color, and entry (r, j) of the pattern is row r of
 * color j's column. Entries outside the pattern are exact zeros.
 *
 * @example
 * ```ts
 * const rows = rowMasks(g, pass, fresh, [n]);
 * sparseColumns(g, fresh, [n], rows, colorRows(rows)); // { flat, m }
 * ```
 */
export function sparseColumns(g: Generated, fresh: () => unknown[], n: readonly number[], rows: RowMasks, coloring: { colors: Int32Array; colorCount: number }): { flat: Float64Array; m: number } {
  const { colors, colorCount } = coloring;
  const groups: Direction[][] = Array.from({ length: colorCount }, () => []);
  let col = 0;
  n.forEach((nk, entry) => {
    for (let element = 0; element < nk; element++) groups[colors[col++]].push({ entry, element });
  });
  const { flat: c, m } = forwardColumns(g, fresh, n, groups);
  const width = rows.n;
  const flat = new Float64Array(m * width);
  for (let k = 0; k < rows.words.length; k++) {
    const w = rows.words[k];
    for (let r = 0; r < m; r++) {
      const row = r * width;
      const from = r * colorCount;
      for (let bits = w[r]; bits !== 0; bits &= bits - 1) {
        const j = k * PATTERN_BITS + 31 - Math.clz32(bits & -bits);
        flat[row + j] = c[from + colors[j]];
      }
    }
  }
  return { flat, m };
}
