/**
 * Sparse Jacobians of compiled functions against the plain-JS primal, on the
 * interior residuals of x'' = sin(x) (a tridiagonal Jacobian, 3 colors):
 * finding the pattern alone, `sparse: true` (finding it, then the colored
 * forward passes), a pattern passed in (`sparse: pattern`, with its probe
 * direction), both as CSR, and the dense forward Jacobian where it fits; then
 * ba's residuals (blocks of two rows over fifteen columns of their own:
 * 15 column colors, 2 row colors) as CSR from a passed pattern, by rows
 * and by columns. Each figure is a ratio measured in alternation with the
 * primal in one run. Writes bench/results/sparse.md.
 *
 *   node scripts/run-bundled.mjs bench/sparse.ts
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compare } from "./lib/timing.ts";
import { compile, type SparsityPattern } from "../lib/index.ts";
import { baSource } from "./gradbench/modules/ba-source.ts";

/** The interior residuals r_i = x_{i-1} - 2 x_i + x_{i+1} - h² sin(x_i). */
function residuals(x: Float64Array, h: number): Float64Array {
  const r = new Float64Array(x.length - 2);
  for (let i = 1; i + 1 < x.length; i++) r[i - 1] = x[i - 1] - 2 * x[i] + x[i + 1] - h * h * Math.sin(x[i]);
  return r;
}

const R = compile(residuals, { wrt: [0] });
const lines = [
  "| inputs n | primal ms | finding the pattern (`sparsity`) / primal | `sparse: true, csr: true` / primal | `sparse: pattern, csr: true` / primal | dense forward / primal |",
  "|---|---|---|---|---|---|",
];
for (const n of [256, 1024, 16384, 1 << 20]) {
  const x = Float64Array.from({ length: n }, (_, i) => Math.sin(0.01 * i));
  const args = [x, 1 / n];
  const primal = () => residuals(x, 1 / n);
  // The dense result is n² numbers: only where it fits. Up to 256 inputs the pattern takes one
  // mask pass per 32 of them, past that one pass with sets of columns.
  const small = n <= 1024;
  const cell = (run: () => unknown) => compare(run, primal);
  const sparsity = cell(() => R.sparsity(args));
  const detected = cell(() => R.jacobian(args, { sparse: true, csr: true }));
  const given = band(n);
  const csr = cell(() => R.jacobian(args, { sparse: given, csr: true }));
  const dense = small ? cell(() => R.jacobian(args, { mode: "forward", flat: true })) : null;
  const ratio = (c: { ratio: number } | null) => (c === null ? "—" : `${c.ratio.toFixed(1)}x`);
  lines.push(`| ${n} | ${csr.baseMs.toFixed(4)} | ${ratio(sparsity)} | ${ratio(detected)} | ${ratio(csr)} | ${ratio(dense)} |`);
  console.log(lines[lines.length - 1]);
}

/** The band pattern of n - 2 interior rows over n inputs, by hand. */
function band(n: number): SparsityPattern {
  const m = n - 2;
  const rowPtr = Int32Array.from({ length: m + 1 }, (_, r) => 3 * r);
  const colIndex = Int32Array.from({ length: 3 * m }, (_, k) => Math.floor(k / 3) + (k % 3));
  return { rows: m, cols: n, rowPtr, colIndex } as SparsityPattern;
}

/** ba's pattern for p observations, by hand: rows 2i and 2i + 1 over columns 15i .. 15i + 14. */
function blocks(p: number): SparsityPattern {
  const rowPtr = Int32Array.from({ length: 2 * p + 1 }, (_, r) => 15 * r);
  const colIndex = Int32Array.from({ length: 30 * p }, (_, k) => 15 * Math.floor(k / 30) + (k % 15));
  return { rows: 2 * p, cols: 15 * p, rowPtr, colIndex } as SparsityPattern;
}

const B = compile(baSource, { wrt: [0] });
const baLines = [
  "| observations p | primal ms | by rows: 2 colors + probe, csr / primal | by columns: 15 colors + probe, csr / primal | finding the pattern (`sparsity`, one sets pass) / primal | `sparse: true, csr: true` (found, then by rows) / primal |",
  "|---|---|---|---|---|---|",
];
for (const p of [1000, 31843]) {
  // Cameras near the identity looking at points in front of them, as ba's data has.
  const v = Float64Array.from({ length: 15 * p }, (_, j) => {
    const k = j % 15;
    return k < 3 ? 0.01 * Math.sin(j) : k === 5 ? -5 : k === 6 ? 400 : k === 13 ? 3 + Math.cos(j) : k === 14 ? 0.8 : 0.1 * Math.sin(j);
  });
  const feats = Float64Array.from({ length: 2 * p }, (_, j) => Math.sin(3 * j));
  const args = [v, feats, p];
  const pattern = blocks(p);
  const primal = () => baSource(v, feats, p);
  const rows = compare(() => B.jacobian(args, { sparse: pattern, csr: true, mode: "reverse" }), primal);
  const cols = compare(() => B.jacobian(args, { sparse: pattern, csr: true, mode: "forward" }), primal);
  const found = compare(() => B.sparsity(args), primal);
  const auto = compare(() => B.jacobian(args, { sparse: true, csr: true }), primal);
  baLines.push(`| ${p} | ${rows.baseMs.toFixed(4)} | ${rows.ratio.toFixed(1)}x | ${cols.ratio.toFixed(1)}x | ${found.ratio.toFixed(1)}x | ${auto.ratio.toFixed(1)}x |`);
  console.log(baLines[baLines.length - 1]);
}

const here = dirname(fileURLToPath(import.meta.url));
writeFileSync(join(here, "results", "sparse.md"), `# Sparse Jacobians of a compiled function\n\nnode scripts/run-bundled.mjs bench/sparse.ts\n\n## Tridiagonal residuals, 3 colors\n\n${lines.join("\n")}\n\n`
  + `## ba's residuals: blocks of 2 rows over 15 columns of their own (pattern passed)\n\n${baLines.join("\n")}\n`);
