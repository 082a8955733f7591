/**
 * Matrix arguments of a compiled function: the caller passes an array of
 * rows of one length (number[][] or Float64Array[]), indexed `m[i][j]` in
 * the source. The generated code takes the entries row by row in one
 * Float64Array, with the row count and row length as size parameters after
 * the caller's arguments (see `Param.matrix`). This module lays the
 * arguments and tangents out that way at each call, and lays gradients
 * back out as rows of the argument's kind.
 */
import type { Fn } from "./ir.ts";
import { fail, describe } from "./registry.ts";

type Arr = number[] | Float64Array;
type Row = number[] | Float64Array;

/** A matrix argument's shape at one call, and whether its rows were number[]. */
interface Shape {
  rows: number;
  cols: number;
  plain: boolean;
}

/** What a call with matrix arguments needs: lowering its arguments and tangents, raising gradients. */
export interface MatrixCall {
  /** The arguments with each matrix as its entries and the sizes appended; the shapes by parameter. */
  lower(args: readonly unknown[], api: string): { args: unknown[]; shapes: Map<number, Shape> };
  /** The tangents with each matrix entry's tangent as its entries (rows of the argument's shape, or already flat). */
  lowerTangents(tangents: readonly unknown[], shapes: ReadonlyMap<number, Shape>, api: string): unknown[];
  /** The gradients with each matrix entry's as rows (entries written into a caller's buffer stay as they are). */
  raise(grads: unknown[], shapes: ReadonlyMap<number, Shape>, kept?: readonly (Float64Array | undefined)[]): unknown[];
}

/**
 * The matrix handling of a compiled function, or null when it takes no
 * matrix (then its calls pass their arguments through untouched).
 *
 * @example
 * ```ts
 * const M = matrixCall(fn); // fn of (w, x) with w indexed w[i][j]
 * M!.lower([[[1, 2], [3, 4]], x], "compile(f).grad").args; // [Float64Array [1, 2, 3, 4], x, 2, 2]
 * ```
 */
export function matrixCall(fn: Fn): MatrixCall | null {
  const matrices = fn.params.flatMap((p, k) => (p.matrix === undefined ? [] : [k]));
  if (matrices.length === 0) return null;
  const visible = fn.params.filter((p) => p.size === undefined);
  const sizes = fn.params.filter((p) => p.size !== undefined);
  const wrtOf = (k: number) => fn.params[k]!.wrt;
  return {
    lower(args, api) {
      if (args.length !== visible.length) {
        fail(api, `got ${args.length} argument${args.length === 1 ? "" : "s"} for ${visible.length} parameters`, `pass ${visible.map((p) => p.name).join(", ")}`);
      }
      const out = args.slice();
      const shapes = new Map<number, Shape>();
      for (const k of matrices) {
        const { flat, shape } = entriesOf(args[k], k, fn.params[k]!.name, api);
        out[k] = flat;
        shapes.set(k, shape);
      }
      for (const p of sizes) out.push(shapes.get(p.size!.of)![p.size!.dim]);
      return { args: out, shapes };
    },
    lowerTangents(tangents, shapes, api) {
      if (!Array.isArray(tangents)) return tangents as unknown[];
      const out = tangents.slice();
      for (const k of matrices) {
        const i = wrtOf(k);
        if (i < 0 || i >= out.length) continue;
        const t = out[i];
        const shape = shapes.get(k)!;
        // A flat tangent of the entries' length is taken as it is; rows are checked against the argument's shape.
        if (t instanceof Float64Array && t.length === shape.rows * shape.cols) continue;
        const { flat, shape: got } = entriesOf(t, k, fn.params[k]!.name, api, `tangent ${i}`);
        if (got.rows !== shape.rows || got.cols !== shape.cols) {
          fail(api, `tangent ${i} has ${got.rows} rows of ${got.cols}, but '${fn.params[k]!.name}' has ${shape.rows} of ${shape.cols}`, "give each tangent the shape of its argument");
        }
        out[i] = flat;
      }
      return out;
    },
    raise(grads, shapes, kept) {
      const out = grads.slice();
      for (const k of matrices) {
        const i = wrtOf(k);
        if (i < 0 || kept?.[i] !== undefined) continue;
        out[i] = rowsOf(grads[i] as Arr, shapes.get(k)!);
      }
      return out;
    },
  };
}

/** A matrix argument's entries row by row, checked: an array of rows of one length. */
function entriesOf(a: unknown, k: number, name: string, api: string, what = `argument ${k} ('${name}')`): { flat: Float64Array; shape: Shape } {
  const fix = "pass an array of rows of one length (number[][] or Float64Array[])";
  if (!Array.isArray(a)) fail(api, `${what} is ${describe(a)}, but f indexes it as ${name}[i][j]`, fix);
  const rows = a.length;
  const first = a[0] as unknown;
  const isRow = (r: unknown): r is Row => Array.isArray(r) || r instanceof Float64Array;
  if (rows > 0 && !isRow(first)) fail(api, `row 0 of ${what} is ${describe(first)}`, fix);
  const cols = rows === 0 ? 0 : (first as Row).length;
  const flat = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const r = a[i] as unknown;
    if (!isRow(r)) fail(api, `row ${i} of ${what} is ${describe(r)}`, fix);
    if (r.length !== cols) fail(api, `row ${i} of ${what} has ${r.length} entries, row 0 has ${cols}`, fix);
    for (let j = 0; j < cols; j++) flat[i * cols + j] = r[j]!;
  }
  return { flat, shape: { rows, cols, plain: rows === 0 || Array.isArray(first) } };
}

/** Entries row by row as rows of the argument's kind. */
function rowsOf(flat: Arr, s: Shape): Row[] {
  return Array.from({ length: s.rows }, (_, i) => {
    const row = new Float64Array(s.cols);
    for (let j = 0; j < s.cols; j++) row[j] = flat[i * s.cols + j]!;
    return s.plain ? Array.from(row) : row;
  });
}
