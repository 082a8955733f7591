/**
 * Sparse Jacobians as CSR entries and from patterns passed in: a
 * 10^5-input band in one pass against the hand Jacobian, the found
 * pattern's entries against the dense Jacobian, and a pattern missing a
 * nonzero refused by the probe (forward) or by the dense rows (reverse),
 * also after it was changed in place.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile, DualtapeError } from "../../lib/index.ts";
import type { SparsityPattern } from "../../lib/source/sparsity.ts";
import { probeFloor, PROBE_TOLERANCE, type SparseJacobian } from "../../lib/source/sparse-jacobian.ts";
import { closeMat } from "../support/close.ts";
import { tridiagonal, tridiagonalJacobian, band } from "../support/sparse-fixtures.ts";

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

test("a passed pattern that misses a nonzero is refused by the probe: a direction in forward mode, a cotangent in reverse", () => {
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
  refused(() => C.jacobian([x, n], { sparse: full, mode: "reverse" }), /misses a nonzero in column 1: a probe cotangent pulls back .*pass the pattern sparsity\(args\) gives/);
  refused(() => C.jacobian([x, n], { sparse: band(n, true), mode: "reverse" }), /compile\(f\)\.jacobian: the sparsity pattern passed misses a nonzero in column/);
  // One output of 40 inputs: 'auto' takes the reverse row (and the probe's cotangent).
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
  // Column 5's entry 12 is pulled back by the probe (times row 0's weight) and in no entry.
  refused(() => S.jacobian([y], { sparse: missing }), /the sparsity pattern passed misses a nonzero in column 5: a probe cotangent pulls back \d/);
});

test("the probe's floor: 1e-3 of its tolerance times the largest finite magnitude (cancelled entries differ by rounding of what cancelled)", () => {
  assert.is(probeFloor([1, -3, 2]), 1e-3 * PROBE_TOLERANCE * 3);
  assert.is(probeFloor([Infinity, -2, NaN]), 1e-3 * PROBE_TOLERANCE * 2);
  assert.is(probeFloor([]), 0);
});

test.run();
