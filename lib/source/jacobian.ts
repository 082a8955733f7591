/**
 * Jacobians of compiled functions, by columns (forward mode, one pass per
 * input direction) or by rows (reverse mode, one pass per output), and the
 * choice between them from a cost model measured for compiled code.
 */
import { writeFlat, type Generated, type PatternPass } from "./calls.ts";
import { keepSweep, adjointsOf } from "./kept-sweep.ts";
import { REVERSE_LANES } from "./reverse-lanes.ts";
import { fail } from "./registry.ts";
import { forwardColumns, LANES } from "./lanes.ts";
import { sparsityOf, type SparsityPattern } from "./sparsity.ts";
import { compressedColumns, csrOf, denseOf, denseOfSparse, type SparseJacobian } from "./sparse-jacobian.ts";
import { compressedRows, rowColoring } from "./sparse-rows.ts";
import { checkPattern } from "./given-pattern.ts";

/**
 * How a Jacobian is computed.
 *
 * @example
 * ```ts
 * const mode: SourceJacobianMode = "reverse";
 * F.jacobian([x], { mode }); // one reverse pass per output
 * ```
 */
export type SourceJacobianMode = "auto" | "forward" | "reverse";

/**
 * The choice `jacobian` makes and why.
 *
 * @example
 * ```ts
 * const c: SourceJacobianChoice = F.explain([x]);
 * c.mode;   // "forward" or "reverse"
 * c.reason; // a sentence with the input and output counts
 * ```
 */
export interface SourceJacobianChoice {
  mode: "forward" | "reverse";
  inputs: number;
  outputs: number;
  /** With `sparse`: the colors of the pattern's columns (forward directions) and of its rows (cotangents). */
  colors?: number;
  rowColors?: number;
  reason: string;
}

/**
 * Costs of a compiled Jacobian in units of the primal, measured by
 * bench/source-costs.ts (medians over the programs of bench/lib/problems.ts,
 * including the copying, seeding and filling of J): a forward pass of LANES
 * directions; by rows, one forward sweep (with the value) for all rows, then
 * adjoint sweeps of REVERSE_LANES rows, counted per row. A run on a 2-core
 * machine at load 0.9 gave forward 3.3, sweep 2.0, row 2.0 (before the
 * passes that only gave the value were dropped and rows shared sweeps:
 * 5.2 / 4.1, 4.8 / 4.1 and 2.3 / 1.6 in two runs).
 *
 * @example
 * ```ts
 * chooseMode(n, m); // forward when ceil(n / LANES) * forward <= sweep + m * row
 * ```
 */
export const COMPILED_COST = { forward: 3.3, sweep: 2, row: 2 };

type NumArray = number[] | Float64Array;

/** The Jacobian's column count per wrt entry: the array's length, or 1 for a number. */
function inputSizes(g: Generated, prepared: readonly unknown[]): number[] {
  return g.wrt.map((k) => (g.fn.params[k].array ? (prepared[k] as NumArray).length : 1));
}

/**
 * Which mode `jacobian` uses for these sizes: forward when ceil(n / LANES)
 * forward passes (LANES directions each) cost less than one forward sweep
 * and m adjoint sweeps. With `colors` and `rowColors` (a sparse Jacobian),
 * the forward passes carry that many compressed columns instead of n, and
 * the adjoint sweeps that many compressed rows instead of m.
 *
 * @example
 * ```ts
 * chooseMode(3, 100).mode; // "forward"
 * chooseMode(30, 20, 15, 2).mode; // "reverse": 2 row colors against 15 column colors
 * ```
 */
export function chooseMode(inputs: number, outputs: number, colors?: number, rowColors?: number): SourceJacobianChoice {
  const passes = Math.ceil((colors ?? inputs) / LANES);
  const f = passes * COMPILED_COST.forward;
  const rows = rowColors ?? outputs;
  const r = COMPILED_COST.sweep + rows * COMPILED_COST.row;
  const mode = f <= r ? "forward" : "reverse";
  const plural = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
  const what = colors === undefined ? plural(inputs, "input", "inputs") : `${plural(inputs, "input", "inputs")} in ${plural(colors, "color", "colors")}`;
  const rowWhat = rowColors === undefined ? plural(outputs, "output", "outputs") : `${plural(outputs, "output", "outputs")} in ${plural(rowColors, "row color", "row colors")}`;
  const reason = `${what} in ${plural(passes, "forward pass", "forward passes")} of ${LANES} directions x ${COMPILED_COST.forward} (pass / primal) = ${f.toFixed(1)} against `
    + `one forward sweep (${COMPILED_COST.sweep}) and ${rowWhat} x ${COMPILED_COST.row} (adjoint sweep / primal) = ${r.toFixed(1)}: ${mode} is cheaper`;
  return { mode, inputs, outputs, ...(colors === undefined ? {} : { colors }), ...(rowColors === undefined ? {} : { rowColors }), reason };
}

/** The sparsity pass of g, or an error naming `api` when g's bundle was written without one. */
function patternPass(g: Generated, api: string): PatternPass {
  if (g.pattern === undefined) fail(api, "this precompiled function was written by an older dualtape/esbuild, without a sparsity pass", "rebuild the bundle with the current dualtape/esbuild, or drop sparse");
  return g.pattern();
}

/**
 * The Jacobian's sparsity pattern and column coloring at the arguments
 * `fresh` gives (see sparsity.ts).
 *
 * @example
 * ```ts
 * sparsityFor(g, () => prepare(g, args, "sparsity"), "compile(f).sparsity").colorCount;
 * ```
 */
export function sparsityFor(g: Generated, fresh: () => unknown[], api: string): SparsityPattern {
  const pass = patternPass(g, api);
  const first = fresh();
  let taken = false;
  return sparsityOf(g, pass, () => (taken ? fresh() : ((taken = true), first)), inputSizes(g, first));
}

/**
 * The Jacobian as one row-major m x Σn_k buffer (columns through the `wrt`
 * entries in order), with the sizes. No pass runs only to learn m: forward
 * mode reads it from its first pass, reverse mode (and 'auto', which needs m
 * to choose) from the forward sweep that the rows then start from.
 *
 * With `sparse` (true: the pattern found by the sparsity pass at these
 * arguments; or a pattern the caller passes, which a probe direction then
 * checks), forward passes run over the colors of the pattern's columns
 * (see sparse-jacobian.ts), or adjoint sweeps over the colors of its rows
 * (sparse-rows.ts), as `mode` says or, for 'auto', whichever costs less;
 * with `csr`, the result is the pattern's entries (`sparse`), else the
 * dense buffer.
 *
 * @example
 * ```ts
 * jacobianOf(g, () => prepare(g, args, "jacobian"), args, "auto"); // { flat, n: [3], m: 2 }
 * ```
 */
export function jacobianOf(
  g: Generated, fresh: () => unknown[], original: readonly unknown[], mode: SourceJacobianMode, sparse: unknown = false, csr = false,
): { flat?: Float64Array; sparse?: SparseJacobian; n: number[]; m: number } {
  const api = "compile(f).jacobian";
  if (mode !== "auto" && mode !== "forward" && mode !== "reverse") fail(api, `mode ${String(mode)} is unknown`, "pass 'auto', 'forward' or 'reverse'");
  const isSparse = sparse !== false && sparse !== undefined;
  // The first pass or sweep takes the arguments prepared here (checked, and copied where f writes
  // them), so the sizes cost no preparation of their own.
  const prepare = fresh;
  const first = prepare();
  let taken = false;
  fresh = () => (taken ? prepare() : ((taken = true), first));
  const n = inputSizes(g, first);
  const width = n.reduce((a, b) => a + b, 0);
  if (isSparse) {
    const given = sparse !== true;
    const pattern = given ? checkPattern(sparse, width, api) : sparsityOf(g, patternPass(g, api), fresh, n);
    // A given pattern's probe takes one direction, or one cotangent, more.
    const probe = given ? 1 : 0;
    if (mode === "forward" || (mode === "auto" && chooseMode(width, pattern.rows, pattern.colorCount + probe, rowColoring(pattern).colorCount + probe).mode === "forward")) {
      const z = compressedColumns(g, fresh, n, pattern, given, api);
      return csr ? { sparse: csrOf(z), n, m: z.m } : { flat: denseOf(z), n, m: z.m };
    }
    const rows = compressedRows(g, fresh, original, n, pattern, given, api);
    return csr ? { sparse: rows.sparse, n, m: rows.m } : { flat: denseOfSparse(rows.sparse), n, m: rows.m };
  }
  if (mode === "forward") return { ...forwardColumns(g, fresh, n), n };
  return reverseRows(g, fresh, original, mode, n, width);
}

/** The Jacobian by reverse rows after one forward sweep (or, for 'auto', by forward columns when m turns out small). */
function reverseRows(g: Generated, fresh: () => unknown[], original: readonly unknown[], mode: SourceJacobianMode, n: number[], width: number): { flat: Float64Array; n: number[]; m: number } {
  // One forward sweep for all rows: each row runs only the adjoint sweep.
  const kept = keepSweep(g, fresh, "compile(f).jacobian");
  const m = typeof kept.value === "number" ? 1 : kept.value.length;
  if (mode === "auto" && chooseMode(width, m).mode === "forward") return { ...forwardColumns(g, fresh, n), n };
  const flat = new Float64Array(m * width);
  // REVERSE_LANES rows per adjoint sweep, each lane with its own seed and gradient buffers, reused
  // from chunk to chunk (a fresh seed of length m and gradients per row would be O(m (m + n)) garbage).
  const seeds = Array.from({ length: Math.min(REVERSE_LANES, m) }, () => (typeof kept.value === "number" ? 1 : new Float64Array(m)));
  const into = seeds.map(() => g.wrt.map((k, i) => (g.fn.params[k].array ? new Float64Array(n[i]) : undefined)));
  for (let first = 0; first < m; first += REVERSE_LANES) {
    const count = Math.min(REVERSE_LANES, m - first);
    for (let l = 0; l < count; l++) {
      const seed = seeds[l];
      if (seed instanceof Float64Array) {
        if (first > 0) seed[first - REVERSE_LANES + l] = 0;
        seed[first + l] = 1;
      }
    }
    adjointsOf(g, kept, original, seeds.slice(0, count), "compile(f).jacobian", into).forEach((grads, l) => writeFlat(grads, n, flat, (first + l) * width));
  }
  return { flat, n, m };
}

/**
 * One m x n_k matrix of rows (number[]) per wrt entry, from the row-major m x Σn_k buffer.
 *
 * @example
 * ```ts
 * splitRows(Float64Array.of(1, 2, 3, 4), [1, 1], 2); // [[[1], [3]], [[2], [4]]]
 * ```
 */
export function splitRows(flat: Float64Array, n: readonly number[], m: number): number[][][] {
  const width = n.reduce((a, b) => a + b, 0);
  let offset = 0;
  return n.map((nk) => {
    const start = offset;
    offset += nk;
    const rows = new Array<number[]>(m);
    for (let r = 0; r < m; r++) {
      const row = new Array<number>(nk);
      const base = r * width + start;
      for (let j = 0; j < nk; j++) row[j] = flat[base + j];
      rows[r] = row;
    }
    return rows;
  });
}

/**
 * Sizes and choice for `explain`.
 *
 * @example
 * ```ts
 * explainOf(g, prepared, value).reason;
 * ```
 */
export function explainOf(g: Generated, prepared: unknown[], value: number | Float64Array, colors?: number, rowColors?: number): SourceJacobianChoice {
  const n = inputSizes(g, prepared);
  return chooseMode(n.reduce((a, b) => a + b, 0), typeof value === "number" ? 1 : value.length, colors, rowColors);
}

