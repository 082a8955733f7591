/**
 * Array results of a compiled function: the residuals of a discretised
 * boundary-value problem, r_i = x_{i-1} - 2 x_i + x_{i+1} - h² sin(x_i) for
 * the interior points, written as a plain loop. Its Jacobian is tridiagonal
 * (1, -2 - h² cos(x_i), 1 on each row), which makes every derivative easy
 * to check by hand:
 *
 * - `jacobian` in forward and reverse mode, as rows or as one flat buffer,
 *   and `explain`, which says which mode 'auto' picks;
 * - `vjp` with `pullbacks`: several cotangents, two per adjoint sweep;
 * - `pullback(ct, into)`: gradients written into a buffer kept between
 *   calls, as a solver's inner loop would do;
 * - `sparsity` and `jacobian(args, { sparse: true })`: the banded pattern,
 *   found by a sparsity pass, lets three forward directions carry all n
 *   columns (columns i, i + 3, i + 6, ... share no row), whatever n is;
 * - the same pattern passed back, by rows (`mode: 'reverse'`): rows i,
 *   i + 3, ... share no column, so three cotangents carry all the rows, and
 *   `csr: true` gives the entries in the pattern's order.
 *
 * Run: npx tsx examples/compiled-jacobian.ts
 */
import { pathToFileURL } from "node:url";
import { compile, type SparseJacobian } from "../lib/index.ts";

/** The interior residuals of x'' = sin(x) on a grid of spacing h (x.length - 2 of them). @example `residuals(Float64Array.from([0, 1, 0]), 0.1)` */
export function residuals(x: Float64Array, h: number): Float64Array {
  const r = new Float64Array(x.length - 2);
  for (let i = 1; i + 1 < x.length; i++) r[i - 1] = x[i - 1]! - 2 * x[i]! + x[i + 1]! - h * h * Math.sin(x[i]!);
  return r;
}

/**
 * The Jacobian by hand: row i - 1 has 1 at column i - 1, -2 - h² cos(x_i)
 * at column i and 1 at column i + 1.
 *
 * @example
 * ```ts
 * jacobianByHand(Float64Array.from([0, 1, 0]), 0.1); // [[1, -2 - 0.01 cos 1, 1]]
 * ```
 */
export function jacobianByHand(x: Float64Array, h: number): number[][] {
  const m = x.length - 2;
  return Array.from({ length: m }, (_, row) => Array.from(x, (_, col) => {
    const i = row + 1;
    if (col === i) return -2 - h * h * Math.cos(x[i]!);
    return col === i - 1 || col === i + 1 ? 1 : 0;
  }));
}

/**
 * Every way to get derivatives of `residuals` at x.
 *
 * @example
 * ```ts
 * const r = compiledJacobian(Float64Array.from([0, 0.5, 1, 0.5, 0]), 0.25);
 * r.forward; // the tridiagonal Jacobian, by columns
 * ```
 */
export function compiledJacobian(x: Float64Array, h: number): {
  forward: number[][];
  reverse: number[][];
  flat: Float64Array;
  mode: string;
  pulled: Float64Array[];
  kept: Float64Array;
  keptSame: boolean;
  sparse: number[][];
  colors: number;
  rowColumns: number[][];
  byRows: SparseJacobian;
  rowColors: number;
} {
  const R = compile(residuals, { wrt: [0] });
  const args = [x, h];
  const forward = R.jacobian(args, { mode: "forward" }) as number[][];
  const reverse = R.jacobian(args, { mode: "reverse" }) as number[][];
  const flat = R.jacobian(args, { flat: true }) as Float64Array;
  const { mode } = R.explain(args);
  // Three cotangents: the first two share one adjoint sweep, the third has one of its own.
  const m = x.length - 2;
  const unit = (k: number) => Float64Array.from({ length: m }, (_, i) => (i === k ? 1 : 0));
  const v = R.vjp(args);
  const pulled = v.pullbacks([unit(0), unit(1), new Float64Array(m).fill(1)]) as Float64Array[];
  // One buffer for every pullback: overwritten each time, never reallocated.
  const kept = new Float64Array(x.length);
  const first = v.pullback(unit(m - 1), kept);
  const keptSame = first === kept && v.pullback(unit(0), kept) === kept;
  // The pattern at x, by rows, and the Jacobian from one forward direction per color.
  const pattern = R.sparsity(args);
  const rowColumns = Array.from({ length: pattern.rows }, (_, r) => Array.from(pattern.colIndex.subarray(pattern.rowPtr[r], pattern.rowPtr[r + 1])));
  const sparse = R.jacobian(args, { sparse: true }) as number[][];
  // By rows: the pattern passed back (checked by one more cotangent), its entries as CSR.
  const byRows = R.jacobian(args, { sparse: pattern, mode: "reverse", csr: true }) as SparseJacobian;
  const rowColors = R.explain(args, { sparse: true }).rowColors!;
  return { forward, reverse, flat, mode, pulled, kept, keptSame, sparse, colors: pattern.colorCount, rowColumns, byRows, rowColors };
}

function main(): void {
  const x = Float64Array.from([0, 0.4, 0.9, 1.1, 0.7, 0]);
  const h = 0.2;
  const r = compiledJacobian(x, h);
  console.log("Jacobian (forward mode, rows):");
  for (const row of r.forward) console.log(`  ${row.map((v) => v.toFixed(4).padStart(8)).join(" ")}`);
  console.log(`'auto' picks ${r.mode}; reverse mode gives the same rows; flat: ${r.flat.length} numbers, row-major`);
  console.log(`pullbacks of e0, e1 and ones: ${r.pulled.map((g) => `[${Array.from(g, (v) => v.toFixed(3)).join(", ")}]`).join(" ")}`);
  console.log(`pullback into a kept buffer (the last of two calls, e0): [${Array.from(r.kept, (v) => v.toFixed(3)).join(", ")}]`);
  console.log(`sparsity: row i depends on columns ${r.rowColumns.map((c) => `[${c.join(", ")}]`).join(" ")}; ${r.colors} colors, so the sparse Jacobian takes ${r.colors} forward directions for ${x.length} columns`);
  console.log(`by rows: ${r.rowColors} row colors, so ${r.rowColors} cotangents for ${r.byRows.rows} rows; the entries as CSR: [${Array.from(r.byRows.values, (v) => v.toFixed(3)).join(", ")}]`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
