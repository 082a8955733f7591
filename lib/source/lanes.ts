/**
 * Jacobian columns by forward mode in chunks of LANES directions per pass:
 * the generated lanes function computes each op's partials once and
 * multiplies every lane's tangent by them, so a chunk costs far less than
 * LANES one-direction passes.
 */
import type { Generated } from "./calls.ts";

/**
 * Directions per forward pass of the lanes function. Four keeps the
 * generated code about twice the one-direction size while sharing each
 * partial across four tangents.
 *
 * @example
 * ```ts
 * Math.ceil(n / LANES); // forward passes for a Jacobian with n inputs
 * ```
 */
export const LANES = 4;

type NumArray = number[] | Float64Array;

/**
 * An input direction: the wrt entry and the element within it (0 for numbers).
 *
 * @example
 * ```ts
 * const d: Direction = { entry: 0, element: 3 }; // x[3] of the first wrt argument
 * ```
 */
export interface Direction {
  entry: number;
  element: number;
  /** The seed's value at this input (1 when absent): a probe direction weights its inputs. */
  weight?: number;
}

/** The directions one lane seeds together: one column of J, or a group of columns (sparse Jacobians). */
export type Column = readonly Direction[];

/**
 * The tangent arguments of the lanes function, in parameter order: one
 * interleaved array per differentiated array (allocated once per Jacobian
 * and reseeded per chunk) and LANES numbers per differentiated number.
 */
class Seeds {
  private readonly arrays: (Float64Array | null)[];
  private chunk: readonly Column[] = [];

  constructor(private g: Generated, n: readonly number[]) {
    this.arrays = g.wrt.map((k, i) => (g.fn.params[k].array ? new Float64Array(n[i] * LANES) : null));
  }

  /** Seeds `chunk` (at most LANES columns), clearing the previous chunk's ones. */
  next(chunk: readonly Column[]): unknown[] {
    this.mark(this.chunk, false);
    this.mark((this.chunk = chunk), true);
    const order: unknown[] = [];
    this.g.fn.params.forEach((p, k) => {
      if (p.wrt < 0) return;
      const i = this.g.wrt.indexOf(k);
      const a = this.arrays[i];
      if (a !== null) order.push(a);
      else for (let l = 0; l < LANES; l++) order.push(chunk[l]?.reduce((v, d) => (d.entry === i ? v + (d.weight ?? 1) : v), 0) ?? 0);
    });
    return order;
  }

  private mark(chunk: readonly Column[], on: boolean): void {
    chunk.forEach((column, l) => {
      for (const d of column) {
        const a = this.arrays[d.entry];
        if (a !== null) a[d.element * LANES + l] = on ? (d.weight ?? 1) : 0;
      }
    });
  }
}

/**
 * Forward passes over `columns`, LANES per pass (the last may hold fewer):
 * `visit(start, count, t, m)` gets each pass's tangents, row r's lane l at
 * t[r * LANES + l] (a number result is one row), while they are valid (the
 * next pass overwrites them). Returns m, the result's length.
 *
 * @example
 * ```ts
 * forwardPasses(g, fresh, n, columns, (start, count, t, m) => { ... });
 * ```
 */
export function forwardPasses(
  g: Generated, fresh: () => unknown[], n: readonly number[], columns: readonly Column[],
  visit: (start: number, count: number, t: ArrayLike<number>, m: number) => void,
): number {
  const seeds = new Seeds(g, n);
  let m = 0;
  for (let start = 0; start === 0 || start < columns.length; start += LANES) {
    const chunk = columns.slice(start, start + LANES);
    const r = g.forwardLanes(...fresh(), ...seeds.next(chunk));
    const scalar = g.fn.resultArray === null;
    m = scalar ? 1 : (r[0] as NumArray).length;
    visit(start, chunk.length, scalar ? (r as Float64Array).subarray(1) : (r[1] as NumArray), m);
  }
  return m;
}

/**
 * The Jacobian by columns: a row-major m x (Σ n_k) buffer whose columns run
 * through the wrt entries in order, LANES columns per forward pass. The
 * first pass gives m (the result's length) before the buffer is made.
 *
 * @example
 * ```ts
 * forwardColumns(g, () => prepare(g, args, "jacobian"), n); // { flat, m }
 * ```
 */
export function forwardColumns(g: Generated, fresh: () => unknown[], n: readonly number[]): { flat: Float64Array; m: number } {
  const all: readonly Column[] = n.flatMap((nk, entry) => Array.from({ length: nk }, (_, element) => [{ entry, element }]));
  const width = all.length;
  let flat: Float64Array | null = null;
  const m = forwardPasses(g, fresh, n, all, (start, count, t, rows) => {
    flat ??= new Float64Array(rows * width);
    // Direction start + l is column start + l; the lanes of a row are adjacent in both.
    for (let row = 0; row < rows; row++) {
      const from = row * LANES;
      const to = row * width + start;
      for (let l = 0; l < count; l++) flat[to + l] = t[from + l];
    }
  });
  return { flat: flat!, m };
}
