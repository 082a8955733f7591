/**
 * The sparsity pass of a compiled function: which inputs each output
 * depends on at the given arguments. The pass is the forward code with
 * 32-bit masks of directions for tangents (see emitForwardPattern), one
 * pass per 32 inputs; its masks give the pattern by rows, and a coloring
 * of its columns (coloring.ts) lets a sparse Jacobian (sparse-jacobian.ts)
 * carry all columns of one color in one forward direction. Past SETS_FROM
 * inputs, one pass with sets of columns for tangents gives the rows
 * instead (sparsity-sets.ts).
 */
import type { Generated, PatternPass } from "./calls.ts";
import { colorColumns } from "./coloring.ts";
import { tangentArguments } from "./lanes.ts";
import { patternBySets, SETS_FROM } from "./sparsity-sets.ts";

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

type NumArray = number[] | Float64Array;

/**
 * The row masks of one sparsity pass over the 32 columns from `first`:
 * each seeded input's mask has its column's bit set (columns run through
 * the wrt entries in order).
 */
function patternPass(g: Generated, pass: PatternPass, args: unknown[], n: readonly number[], first: number): { masks: ArrayLike<number>; m: number } {
  let offset = 0;
  const seeds = n.map((nk) => {
    const a = new Float64Array(nk);
    for (let j = Math.max(0, first - offset); j < nk && offset + j < first + PATTERN_BITS; j++) a[j] = 1 << (offset + j - first);
    offset += nk;
    return a;
  });
  const r = pass.run(...args, ...tangentArguments(g, seeds, 1));
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
 * A coloring of the columns of the row masks `rows`. Rows with the same columns constrain
 * the coloring alike, so it runs on the distinct rows only: a Jacobian of
 * 30000 rows often has a few dozen.
 *
 * @example
 * ```ts
 * colorMaskColumns(rowMasks(g, pass, fresh, [n])).colorCount;
 * ```
 */
export function colorMaskColumns(rows: RowMasks): { colors: Int32Array; colorCount: number } {
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
 * per 32 columns, or past SETS_FROM columns one sets pass when g has one
 * and every set stays small), with its columns colored.
 *
 * @example
 * ```ts
 * sparsityOf(g, pass, () => prepare(g, args, "sparsity"), [n]).colorCount;
 * ```
 */
export function sparsityOf(g: Generated, pass: PatternPass, fresh: () => unknown[], n: readonly number[]): SparsityPattern {
  const width = n.reduce((a, b) => a + b, 0);
  if (g.sets !== undefined && width > SETS_FROM) {
    const csr = patternBySets(g, g.sets(), fresh(), n);
    if (csr !== null) return { rows: csr.m, cols: width, rowPtr: csr.rowPtr, colIndex: csr.colIndex, ...colorColumns(csr.rowPtr, csr.colIndex, csr.m, width) };
  }
  const rows = rowMasks(g, pass, fresh, n);
  return { rows: rows.m, cols: rows.n, ...toCsr(rows), ...colorMaskColumns(rows) };
}

/** The number of set bits of an int32 (a branch-free count: rows are many, masks short). */
function bitCount(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
