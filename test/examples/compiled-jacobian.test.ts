import { test } from "uvu";
import * as assert from "uvu/assert";
import { compiledJacobian, jacobianByHand, residuals } from "../../examples/compiled-jacobian.ts";
import { closeAll, closeMat } from "../support/close.ts";
import { central } from "../support/differences.ts";

const X = Float64Array.from([0, 0.4, 0.9, 1.1, 0.7, 0]);
const H = 0.2;

test("examples/compiled-jacobian: forward, reverse and flat Jacobians equal the hand tridiagonal one and differences", () => {
  const r = compiledJacobian(X, H);
  const J = jacobianByHand(X, H);
  closeMat(r.forward, J, 1e-14);
  closeMat(r.reverse, J, 1e-14);
  closeMat(J.map((_, i) => Array.from(r.flat.subarray(6 * i, 6 * i + 6))), J, 1e-14);
  // Central differences of each residual in each input.
  J.forEach((row, i) => row.forEach((want, col) => {
    const numeric = central((t) => { const y = X.slice(); y[col] = t; return residuals(y, H)[i]!; }, X[col]!, 1e-6);
    assert.ok(Math.abs(numeric - want) < 1e-8, `J[${i}][${col}]: ${want} vs difference ${numeric}`);
  }));
  // 6 inputs in 2 forward passes of 4 lanes against 4 rows: forward mode is the cheaper one.
  assert.is(r.mode, "forward");
});

test("examples/compiled-jacobian: pullbacks are rows and their sums; pullback into a kept buffer reuses it", () => {
  const r = compiledJacobian(X, H);
  const J = jacobianByHand(X, H);
  closeAll(r.pulled[0]!, J[0]!, 1e-14);
  closeAll(r.pulled[1]!, J[1]!, 1e-14);
  closeAll(r.pulled[2]!, J[0]!.map((_, c) => J.reduce((s, row) => s + row[c]!, 0)), 1e-14);
  assert.ok(r.keptSame, "the kept buffer itself is returned each time");
  closeAll(r.kept, J[0]!, 1e-14);
});

test("examples/compiled-jacobian: the sparsity pattern is the band, three colors, and the sparse Jacobian is the hand one", () => {
  const r = compiledJacobian(X, H);
  assert.equal(r.rowColumns, [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5]]);
  assert.is(r.colors, 3);
  closeMat(r.sparse, jacobianByHand(X, H), 1e-14);
});

test("examples/compiled-jacobian: by rows, three row colors, and the CSR entries are the hand Jacobian's at the pattern", () => {
  const r = compiledJacobian(X, H);
  const J = jacobianByHand(X, H);
  assert.is(r.rowColors, 3);
  const entries = r.rowColumns.flatMap((cols, i) => cols.map((c) => J[i]![c]!));
  closeAll(r.byRows.values, entries, 1e-14);
  assert.equal(Array.from(r.byRows.colIndex), r.rowColumns.flat());
});

test.run();
