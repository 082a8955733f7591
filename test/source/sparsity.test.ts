/**
 * Sparse Jacobians of compiled functions: the sparsity pass finds the
 * hand-known patterns (banded, block-diagonal, with a number entry, past 32
 * columns), the greedy coloring never gives two columns of one row the same
 * color, and the compressed Jacobian equals the dense forward and reverse
 * ones and the hand Jacobian. Misuse names the call and the fix.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile, DualtapeError, precompiled } from "../../lib/index.ts";
import type { Prebuilt } from "../../lib/source/prebuilt.ts";
import { writePrecompiled } from "../../lib/source/plugin/write.ts";
import { colorColumns, PATTERN_BITS, type SparsityPattern, type SparseJacobian } from "../../lib/source/sparsity.ts";
import { emit } from "../../lib/source/compile.ts";
import { closeMat } from "../support/close.ts";

/** r_i = 2 x_i² - x_{i-1} + sin(x_{i+1}) x_i: row i depends on columns i-1, i, i+1. */
function tridiagonal(x: Float64Array, n: number): Float64Array {
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const left = i > 0 ? x[i - 1] : 0;
    const right = i + 1 < n ? x[i + 1] : 0;
    r[i] = 2 * x[i] * x[i] - left + Math.sin(right) * x[i];
  }
  return r;
}

function tridiagonalJacobian(x: Float64Array): number[][] {
  const n = x.length;
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => {
    const right = i + 1 < n ? x[i + 1] : 0;
    if (j === i) return 4 * x[i] + Math.sin(right);
    if (j === i - 1) return -1;
    if (j === i + 1) return Math.cos(x[i + 1]) * x[i];
    return 0;
  }));
}

const rowsOf = (s: SparsityPattern): number[][] => Array.from({ length: s.rows }, (_, r) => [...s.colIndex.subarray(s.rowPtr[r], s.rowPtr[r + 1])]);

/** No row holds two columns of one color. */
function assertProperColoring(s: SparsityPattern): void {
  rowsOf(s).forEach((cols, r) => {
    const seen = new Set(cols.map((j) => s.colors[j]));
    assert.is(seen.size, cols.length, `row ${r}: columns [${cols.join(", ")}] have colors [${cols.map((j) => s.colors[j]).join(", ")}]`);
  });
}

test("a tridiagonal function: the pattern is the band, three colors, and the sparse Jacobian is the hand one", () => {
  const n = 2 * PATTERN_BITS + 7;
  const x = Float64Array.from({ length: n }, (_, i) => Math.cos(0.7 * i));
  const C = compile(tridiagonal, { wrt: [0] });
  const s = C.sparsity([x, n]);
  assert.is(s.rows, n);
  assert.is(s.cols, n);
  assert.equal(rowsOf(s), Array.from({ length: n }, (_, i) => [i - 1, i, i + 1].filter((j) => j >= 0 && j < n)));
  assert.is(s.colorCount, 3);
  assertProperColoring(s);
  const want = tridiagonalJacobian(x);
  closeMat(C.jacobian([x, n], { sparse: true }) as number[][], want);
  closeMat(C.jacobian([x, n], { mode: "forward", sparse: true }) as number[][], want);
  const flat = C.jacobian([x, n], { mode: "forward", sparse: true, flat: true }) as Float64Array;
  const dense = C.jacobian([x, n], { mode: "forward", flat: true }) as Float64Array;
  assert.equal([...flat], [...dense], "the compressed columns give the dense forward Jacobian exactly");
});

test("blocks of two outputs per observation, with a shared number input: colors = block width + 1", () => {
  const f = (v: Float64Array, s: number, p: number) => {
    const out = new Float64Array(2 * p);
    for (let i = 0; i < p; i++) {
      const a = v[3 * i];
      const b = v[3 * i + 1];
      const c = v[3 * i + 2];
      out[2 * i] = s * a * b + Math.exp(c);
      out[2 * i + 1] = a / (1 + b * b) - c;
    }
    return out;
  };
  const p = 15;
  const v = Float64Array.from({ length: 3 * p }, (_, i) => 0.1 * ((i % 7) - 3));
  const s0 = 1.3;
  const C = compile(f, { wrt: [0, 1] });
  const sp = C.sparsity([v, s0, p]);
  // Columns: v's 3p, then s.
  assert.is(sp.cols, 3 * p + 1);
  rowsOf(sp).forEach((cols, r) => {
    const i = Math.floor(r / 2);
    assert.equal(cols, r % 2 === 0 ? [3 * i, 3 * i + 1, 3 * i + 2, 3 * p] : [3 * i, 3 * i + 1, 3 * i + 2], `row ${r}`);
  });
  assert.is(sp.colorCount, 4);
  assertProperColoring(sp);
  const sparse = C.jacobian([v, s0, p], { sparse: true }) as number[][][];
  const reverse = C.jacobian([v, s0, p], { mode: "reverse" }) as number[][][];
  closeMat(sparse[0]!, reverse[0]!);
  closeMat(sparse[1]!, reverse[1]!);
  const a = v[0]!, b = v[1]!;
  assert.ok(Math.abs(sparse[0]![0]![1]! - s0 * a) < 1e-15, "d out0 / d v1 = s a");
  assert.ok(Math.abs(sparse[0]![1]![1]! - (-2 * a * b) / (1 + b * b) ** 2) < 1e-15, "d out1 / d v1 = -2ab / (1 + b²)²");
});

test("a partial that is zero only at the point keeps its column in the pattern; a constant-zero one does not", () => {
  const f = (x: Float64Array) => [x[0] * x[1], Math.floor(x[2]) + x[3], 0 * x[4]];
  const C = compile(f, { wrt: [0] });
  const s = C.sparsity([Float64Array.of(2, 0, 1.5, 1, 1)]);
  assert.equal(rowsOf(s), [[0, 1], [3], []]);
  const J = C.jacobian([Float64Array.of(2, 0, 1.5, 1, 1)], { sparse: true }) as number[][];
  assert.equal(J, [[0, 2, 0, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 0, 0]]);
});

test("the pattern follows the branch taken at the point", () => {
  const f = (x: Float64Array) => {
    if (x[0] > 0) return [x[1] * x[1], x[2]];
    return [x[2], x[3]];
  };
  const C = compile(f, { wrt: [0] });
  assert.equal(rowsOf(C.sparsity([Float64Array.of(1, 2, 3, 4)])), [[1], [2]]);
  assert.equal(rowsOf(C.sparsity([Float64Array.of(-1, 2, 3, 4)])), [[2], [3]]);
});

test("a number result: one row", () => {
  const C = compile((x: Float64Array, n: number) => {
    let s = 0;
    for (let i = 0; i < n; i += 2) s += x[i] * x[i];
    return s;
  }, { wrt: [0] });
  const x = Float64Array.of(1, 2, 3, 4, 5);
  const s = C.sparsity([x, 5]);
  assert.equal(rowsOf(s), [[0, 2, 4]]);
  assert.is(s.colorCount, 3);
  assert.equal(C.jacobian([x, 5], { sparse: true }), [[2, 0, 6, 0, 10]]);
});

test("colorColumns: diagonal needs one color, a full row n, and columns without rows take color 0", () => {
  assert.equal(colorColumns(Int32Array.of(0, 1, 2, 3), Int32Array.of(0, 1, 2), 3, 3), { colors: Int32Array.of(0, 0, 0), colorCount: 1 });
  const n = 40;
  const full = colorColumns(Int32Array.of(0, n), Int32Array.from({ length: n }, (_, j) => j), 1, n);
  assert.equal([...full.colors], Array.from({ length: n }, (_, j) => j), "past 32 colors, a second word of color bits");
  assert.is(full.colorCount, n);
  assert.equal(colorColumns(Int32Array.of(0, 1), Int32Array.of(1), 1, 3), { colors: Int32Array.of(0, 0, 0), colorCount: 1 });
});

test("explain with sparse counts colors", () => {
  const C = compile(tridiagonal, { wrt: [0] });
  const x = new Float64Array(40).fill(0.5);
  assert.match(C.explain([x, 40]).reason, /^40 inputs in 10 forward passes/);
  assert.match(C.explain([x, 40], { sparse: true }).reason, /^40 inputs in 3 colors in 1 forward pass/);
});

test("misuse: sparse with reverse mode, a non-boolean sparse, unknown explain options, a bundle without the pass", () => {
  const C = compile(tridiagonal, { wrt: [0] });
  const x = new Float64Array(4);
  const refused = (fn: () => unknown, pattern: RegExp) => assert.throws(fn, (e: unknown) => e instanceof DualtapeError && pattern.test((e as Error).message));
  refused(() => C.jacobian([x, 4], { mode: "reverse", sparse: true }), /compile\(f\)\.jacobian: sparse compresses the Jacobian's columns, which forward mode computes.*pass mode 'forward' or 'auto'/);
  refused(() => C.jacobian([x, 4], { sparse: "yes" as unknown as boolean }), /sparse/);
  refused(() => C.explain([x, 4], { colors: 3 } as never), /colors/);
  // A bundle written before the sparsity pass existed: the plugin's record with the pass taken out.
  const withoutPass = (record: Prebuilt) => precompiled({ ...record, make: (rt) => ({ ...record.make(rt), pattern: undefined }) });
  const text = writePrecompiled(emit(tridiagonal, { wrt: [0] }), "tridiagonal", "withoutPass");
  const old = new Function("withoutPass", `return ${text};`)(withoutPass) as ReturnType<typeof compile>;
  closeMat(old.jacobian([Float64Array.of(1, 2, 3), 3]) as number[][], tridiagonalJacobian(Float64Array.of(1, 2, 3)));
  refused(() => old.sparsity([x, 4]), /compile\(tridiagonal\)\.sparsity: this precompiled function was written by an older dualtape\/esbuild, without a sparsity pass.*rebuild the bundle/);
  refused(() => old.jacobian([x, 4], { sparse: true }), /compile\(f\)\.jacobian: this precompiled function was written by an older dualtape\/esbuild/);
});

/** The band pattern of `tridiagonal` for n inputs, by hand (no colors: the compiled function colors it). */
function band(n: number, skipSuper = false): SparsityPattern {
  const rowPtr = new Int32Array(n + 1);
  const cols: number[] = [];
  for (let i = 0; i < n; i++) {
    for (const j of [i - 1, i, i + 1]) if (j >= 0 && j < n && !(skipSuper && j === i + 1)) cols.push(j);
    rowPtr[i + 1] = cols.length;
  }
  return { rows: n, cols: n, rowPtr, colIndex: Int32Array.from(cols) } as SparsityPattern;
}

test("a pattern passed by hand: 10^5 inputs in one forward pass, as CSR entries equal to the hand Jacobian's", () => {
  const n = 100_000;
  const x = Float64Array.from({ length: n }, (_, i) => Math.sin(0.001 * i));
  const C = compile(tridiagonal, { wrt: [0] });
  const J = C.jacobian([x, n], { sparse: band(n), csr: true }) as SparseJacobian;
  assert.is(J.rows, n);
  assert.is(J.cols, n);
  assert.is(J.values.length, 3 * n - 2);
  for (let i = 0; i < n; i++) {
    const right = i + 1 < n ? x[i + 1]! : 0;
    for (let k = J.rowPtr[i]!; k < J.rowPtr[i + 1]!; k++) {
      const j = J.colIndex[k]!;
      const want = j === i ? 4 * x[i]! + Math.sin(right) : j === i - 1 ? -1 : Math.cos(x[i + 1]!) * x[i]!;
      if (Math.abs(J.values[k]! - want) > 1e-14) assert.unreachable(`J[${i}][${j}] = ${J.values[k]}, by hand ${want}`);
    }
  }
});

test("csr: true with sparse: true gives the found pattern's entries, which equal the dense Jacobian's", () => {
  const n = 37;
  const x = Float64Array.from({ length: n }, (_, i) => Math.cos(0.3 * i));
  const C = compile(tridiagonal, { wrt: [0] });
  const J = C.jacobian([x, n], { sparse: true, csr: true }) as SparseJacobian;
  const s = C.sparsity([x, n]);
  assert.equal([...J.rowPtr], [...s.rowPtr]);
  assert.equal([...J.colIndex], [...s.colIndex]);
  const dense = C.jacobian([x, n], { mode: "reverse" }) as number[][];
  for (let r = 0; r < n; r++) for (let k = J.rowPtr[r]!; k < J.rowPtr[r + 1]!; k++) assert.ok(Math.abs(J.values[k]! - dense[r]![J.colIndex[k]!]!) < 1e-14, `entry (${r}, ${J.colIndex[k]})`);
});

test("a passed pattern that misses a nonzero is refused: by the probe in forward mode, by the dense rows in reverse", () => {
  const C = compile(tridiagonal, { wrt: [0] });
  const n = 12;
  const x = Float64Array.from({ length: n }, (_, i) => 0.2 + 0.1 * i);
  const refused = (fn: () => unknown, pattern: RegExp) => assert.throws(fn, (e: unknown) => e instanceof DualtapeError && pattern.test((e as Error).message));
  refused(() => C.jacobian([x, n], { sparse: band(n, true), mode: "forward" }), /compile\(f\)\.jacobian: the sparsity pattern passed misses a nonzero in row 0: J times a probe vector gives .*pass the pattern sparsity\(args\) gives/);
  // A pattern changed in place after a call keeps the colors computed for it then; the probe still sees the change.
  const full = band(n);
  closeMat(C.jacobian([x, n], { sparse: full, mode: "forward" }) as number[][], tridiagonalJacobian(x));
  full.colIndex[1] = 2; // row 0 now claims column 2 instead of column 1
  refused(() => C.jacobian([x, n], { sparse: full, mode: "forward" }), /misses a nonzero in row 0/);
  // One output of 40 inputs: 'auto' takes the reverse row, then checks every entry outside the pattern is zero.
  const S = compile((y: Float64Array) => {
    let t = 0;
    for (let i = 0; i < 40; i++) t += y[i] * y[i];
    return t;
  }, { wrt: [0] });
  const y = Float64Array.from({ length: 40 }, (_, i) => 1 + i);
  const all = { rows: 1, cols: 40, rowPtr: Int32Array.of(0, 40), colIndex: Int32Array.from({ length: 40 }, (_, j) => j) } as SparsityPattern;
  assert.is(S.explain([y], { sparse: true }).mode, "reverse");
  const J = S.jacobian([y], { sparse: all, csr: true }) as SparseJacobian;
  assert.equal([...J.values], [...y].map((v) => 2 * v));
  const missing = { rows: 1, cols: 40, rowPtr: Int32Array.of(0, 39), colIndex: Int32Array.from({ length: 39 }, (_, j) => (j < 5 ? j : j + 1)) } as SparsityPattern;
  refused(() => S.jacobian([y], { sparse: missing }), /the sparsity pattern passed misses a nonzero: J\[0\]\[5\] = 12/);
});

test("malformed patterns and result options are refused with what to pass", () => {
  const C = compile(tridiagonal, { wrt: [0] });
  const n = 6;
  const x = new Float64Array(n).fill(0.5);
  const refused = (sparse: unknown, pattern: RegExp, extra: object = {}) => assert.throws(() => C.jacobian([x, n], { sparse: sparse as SparsityPattern, ...extra }), (e: unknown) => e instanceof DualtapeError && pattern.test((e as Error).message));
  refused({ rows: 6 }, /sparse is .*, not true, false or a sparsity pattern/);
  refused({ ...band(n), cols: 7 }, /the sparsity pattern has 7 columns, but the Jacobian has 6/);
  refused({ ...band(n), rows: 5, rowPtr: band(n).rowPtr.subarray(0, 6) }, /rowPtr .* does not frame its 16 columns in 5 rows/);
  refused({ ...band(n), colIndex: Int32Array.of(1, 0, 0, 1, 2, 1, 2, 3, 2, 3, 4, 3, 4, 5, 4, 5) }, /row 0 of the sparsity pattern lists column 0 out of range or order/);
  refused({ ...band(n), colors: new Int32Array(n), colorCount: 1 }, /two columns of row 0 of the sparsity pattern have color 0/);
  refused({ ...band(n), colors: new Int32Array(n), colorCount: 0 }, /colors are not one color in 0..colorCount-1 per column/);
  refused(true, /csr and flat ask for two different results/, { csr: true, flat: true });
  refused(false, /csr: true returns the entries of a sparsity pattern, and sparse is not set; pass sparse: true/, { csr: true });
  // The pattern's row count against the result's length.
  const seven = { rows: 7, cols: 6, rowPtr: Int32Array.from({ length: 8 }, (_, r) => r), colIndex: Int32Array.of(0, 1, 2, 3, 4, 5, 5) } as SparsityPattern;
  refused(seven, /the sparsity pattern has 7 rows, but f returns 6 values here; pass the pattern sparsity\(args\) gives for arguments of these sizes/);
});

test.run();
