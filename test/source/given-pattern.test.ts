/**
 * Patterns passed to jacobian(args, { sparse: pattern }) that are not
 * well-formed CSR, colorings that are not proper, a row count that does not
 * match the result, and result options that conflict: each refused with
 * what to pass instead.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile, DualtapeError } from "../../lib/index.ts";
import type { SparsityPattern } from "../../lib/source/sparsity.ts";
import { tridiagonal, band } from "../support/sparse-fixtures.ts";

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
  refused({ ...band(n), colors: new Int32Array(n), colorCount: 1e9 }, /colors are not one color in 0..colorCount-1 per column/);
  refused(true, /csr and flat ask for two different results/, { csr: true, flat: true });
  refused(false, /csr: true returns the entries of a sparsity pattern, and sparse is not set; pass sparse: true/, { csr: true });
  // The pattern's row count against the result's length.
  const seven = { rows: 7, cols: 6, rowPtr: Int32Array.from({ length: 8 }, (_, r) => r), colIndex: Int32Array.of(0, 1, 2, 3, 4, 5, 5) } as SparsityPattern;
  refused(seven, /the sparsity pattern has 7 rows, but f returns 6 values here; pass the pattern sparsity\(args\) gives for arguments of these sizes/);
});

test.run();
