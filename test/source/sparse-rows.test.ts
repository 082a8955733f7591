/**
 * Sparse Jacobians by rows: blocks of two outputs over nine inputs of their
 * own (the shape of ba's residuals) take two row colors, so one forward
 * sweep and one adjoint sweep of two lanes, where columns need nine colors.
 * The entries are checked against the hand Jacobian and against forward
 * mode; number wrt entries, number results and the probe of a passed
 * pattern are covered too.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile, DualtapeError } from "../../lib/index.ts";
import { rowColoring } from "../../lib/source/sparse-rows.ts";
import type { SparseJacobian } from "../../lib/source/sparse-jacobian.ts";
import { closeMat } from "../support/close.ts";

/** Block i: out[2i] = Σ_k (k + 1) v_k², out[2i + 1] = sin(v_0) v_8, over v = v[9i .. 9i + 8]. */
function blocks(v: Float64Array, p: number): Float64Array {
  const out = new Float64Array(2 * p);
  for (let i = 0; i < p; i++) {
    let s = 0;
    for (let k = 0; k < 9; k++) s += (k + 1) * v[9 * i + k]! * v[9 * i + k]!;
    out[2 * i] = s;
    out[2 * i + 1] = Math.sin(v[9 * i]!) * v[9 * i + 8]!;
  }
  return out;
}

function blocksJacobian(v: Float64Array, p: number): number[][] {
  const J = Array.from({ length: 2 * p }, () => new Array<number>(9 * p).fill(0));
  for (let i = 0; i < p; i++) {
    for (let k = 0; k < 9; k++) J[2 * i]![9 * i + k] = 2 * (k + 1) * v[9 * i + k]!;
    J[2 * i + 1]![9 * i] = Math.cos(v[9 * i]!) * v[9 * i + 8]!;
    J[2 * i + 1]![9 * i + 8] = Math.sin(v[9 * i]!);
  }
  return J;
}

const p = 7;
const v = Float64Array.from({ length: 9 * p }, (_, j) => Math.sin(j + 1) * 1.5);
const rows = (flat: Float64Array, m: number, n: number) => Array.from({ length: m }, (_, r) => Array.from(flat.subarray(r * n, (r + 1) * n)));

test("blocks of two rows: two row colors, 'auto' takes the rows, and the entries are the hand Jacobian's", () => {
  const C = compile(blocks, { wrt: [0] });
  const s = C.sparsity([v, p]);
  assert.is(s.colorCount, 9, "nine column colors: each block's columns share its first row");
  assert.is(rowColoring(s).colorCount, 2, "two row colors: blocks share no column");
  const choice = C.explain([v, p], { sparse: true });
  assert.is(choice.mode, "reverse");
  assert.match(choice.reason, /14 outputs in 2 row colors/);
  assert.is(choice.colors, 9);
  assert.is(choice.rowColors, 2);
  const want = blocksJacobian(v, p);
  closeMat(C.jacobian([v, p], { sparse: true }) as number[][], want, 1e-14);
  closeMat(C.jacobian([v, p], { sparse: true, mode: "reverse" }) as number[][], want, 1e-14);
  closeMat(C.jacobian([v, p], { sparse: true, mode: "forward" }) as number[][], want, 1e-14);
  const J = C.jacobian([v, p], { sparse: s, csr: true, mode: "reverse" }) as SparseJacobian;
  assert.equal([...J.rowPtr], [...s.rowPtr]);
  for (let r = 0; r < J.rows; r++) {
    for (let k = J.rowPtr[r]!; k < J.rowPtr[r + 1]!; k++) assert.ok(Math.abs(J.values[k]! - want[r]![J.colIndex[k]!]!) < 1e-14, `entry (${r}, ${J.colIndex[k]})`);
  }
  const flat = C.jacobian([v, p], { sparse: s, flat: true, mode: "reverse" }) as Float64Array;
  closeMat(rows(flat, 2 * p, 9 * p), want, 1e-14);
});

test("by rows with a number wrt entry in every row: each row its own color, entries through both wrt entries", () => {
  const scaled = (x: Float64Array, c: number, q: number) => {
    const out = new Float64Array(2 * q);
    for (let i = 0; i < q; i++) {
      out[2 * i] = c * x[2 * i]! * x[2 * i + 1]!;
      out[2 * i + 1] = Math.exp(c * x[2 * i + 1]!);
    }
    return out;
  };
  const q = 3;
  const x = Float64Array.of(0.5, -1, 2, 0.25, -0.75, 1.5);
  const c = 0.8;
  const C = compile(scaled, { wrt: [0, 1] });
  assert.is(rowColoring(C.sparsity([x, c, q])).colorCount, 2 * q, "column c is in every row");
  const J = C.jacobian([x, c, q], { sparse: true, mode: "reverse", flat: true }) as Float64Array;
  const want = Array.from({ length: 2 * q }, () => new Array<number>(2 * q + 1).fill(0));
  for (let i = 0; i < q; i++) {
    want[2 * i]![2 * i] = c * x[2 * i + 1]!;
    want[2 * i]![2 * i + 1] = c * x[2 * i]!;
    want[2 * i]![2 * q] = x[2 * i]! * x[2 * i + 1]!;
    const e = Math.exp(c * x[2 * i + 1]!);
    want[2 * i + 1]![2 * i + 1] = c * e;
    want[2 * i + 1]![2 * q] = x[2 * i + 1]! * e;
  }
  closeMat(rows(J, 2 * q, 2 * q + 1), want, 1e-14);
});

test("a passed pattern is probed in reverse too: a missed entry names its column", () => {
  const C = compile(blocks, { wrt: [0] });
  const s = C.sparsity([v, p]);
  // Drop row 3's (block 1's second row's) entry at column 9 + 8 from a copy of the pattern.
  const drop = s.rowPtr[3]! + 1;
  const colIndex = Int32Array.from([...s.colIndex].filter((_, k) => k !== drop));
  const rowPtr = Int32Array.from(s.rowPtr, (x, r) => (r > 3 ? x - 1 : x));
  const missing = { rows: s.rows, cols: s.cols, rowPtr, colIndex };
  assert.throws(() => C.jacobian([v, p], { sparse: missing as never, mode: "reverse" }),
    (e: unknown) => e instanceof DualtapeError && /misses a nonzero in column 17: a probe cotangent pulls back/.test((e as Error).message));
});

test.run();
