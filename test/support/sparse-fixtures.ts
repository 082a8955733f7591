/**
 * Fixtures of the sparse-Jacobian tests: a tridiagonal function with its
 * hand Jacobian and band pattern, and readers of a pattern's rows.
 */
import * as assert from "uvu/assert";
import type { SparsityPattern } from "../../lib/source/sparsity.ts";

/** r_i = 2 x_i² - x_{i-1} + sin(x_{i+1}) x_i: row i depends on columns i-1, i, i+1. */
export function tridiagonal(x: Float64Array, n: number): Float64Array {
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const left = i > 0 ? x[i - 1] : 0;
    const right = i + 1 < n ? x[i + 1] : 0;
    r[i] = 2 * x[i] * x[i] - left + Math.sin(right) * x[i];
  }
  return r;
}

export function tridiagonalJacobian(x: Float64Array): number[][] {
  const n = x.length;
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => {
    const right = i + 1 < n ? x[i + 1] : 0;
    if (j === i) return 4 * x[i] + Math.sin(right);
    if (j === i - 1) return -1;
    if (j === i + 1) return Math.cos(x[i + 1]) * x[i];
    return 0;
  }));
}

export const rowsOf = (s: SparsityPattern): number[][] => Array.from({ length: s.rows }, (_, r) => [...s.colIndex.subarray(s.rowPtr[r], s.rowPtr[r + 1])]);

/** No row holds two columns of one color. */
export function assertProperColoring(s: SparsityPattern): void {
  rowsOf(s).forEach((cols, r) => {
    const seen = new Set(cols.map((j) => s.colors[j]));
    assert.is(seen.size, cols.length, `row ${r}: columns [${cols.join(", ")}] have colors [${cols.map((j) => s.colors[j]).join(", ")}]`);
  });
}

/** The band pattern of `tridiagonal` for n inputs, by hand (no colors: the compiled function colors it). */
export function band(n: number, skipSuper = false): SparsityPattern {
  const rowPtr = new Int32Array(n + 1);
  const cols: number[] = [];
  for (let i = 0; i < n; i++) {
    for (const j of [i - 1, i, i + 1]) if (j >= 0 && j < n && !(skipSuper && j === i + 1)) cols.push(j);
    rowPtr[i + 1] = cols.length;
  }
  return { rows: n, cols: n, rowPtr, colIndex: Int32Array.from(cols) } as SparsityPattern;
}
