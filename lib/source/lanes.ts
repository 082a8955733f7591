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
export interface Direction { entry: number; element: number }

/** The directions one lane seeds together: one column of J, or a group of columns (sparse Jacobians). */
type Column = readonly Direction[];

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
    this.mark(this.chunk, 0);
    this.mark((this.chunk = chunk), 1);
    const order: unknown[] = [];
    this.g.fn.params.forEach((p, k) => {
      if (p.wrt < 0) return;
      const i = this.g.wrt.indexOf(k);
      const a = this.arrays[i];
      if (a !== null) order.push(a);
      else for (let l = 0; l < LANES; l++) order.push(chunk[l]?.some((d) => d.entry === i) ? 1 : 0);
    });
    return order;
  }

  private mark(chunk: readonly Column[], v: number): void {
    chunk.forEach((column, l) => {
      for (const d of column) {
        const a = this.arrays[d.entry];
        if (a !== null) a[d.element * LANES + l] = v;
      }
    });
  }
}

/**
 * The Jacobian by columns: a row-major m x (Σ n_k) buffer whose columns run
 * through the wrt entries in order, LANES columns per forward pass. The
 * first pass gives m (the result's length) before the buffer is made. With
 * `columns`, column c of the buffer is the sum of J's columns in
 * `columns[c]` instead (a compressed Jacobian; see sparsity.ts).
 *
 * @example
 * ```ts
 * forwardColumns(g, () => prepare(g, args, "jacobian"), n); // { flat, m }
 * ```
 */
export function forwardColumns(g: Generated, fresh: () => unknown[], n: readonly number[], columns?: readonly Column[]): { flat: Float64Array; m: number } {
  const all: readonly Column[] = columns ?? n.flatMap((nk, entry) => Array.from({ length: nk }, (_, element) => [{ entry, element }]));
  const width = all.length;
  const seeds = new Seeds(g, n);
  let flat: Float64Array | null = null;
  let m = 0;
  for (let start = 0; start === 0 || start < width; start += LANES) {
    const chunk = all.slice(start, start + LANES);
    const r = g.forwardLanes(...fresh(), ...seeds.next(chunk));
    if (flat === null) {
      m = g.fn.resultArray === null ? 1 : (r[0] as NumArray).length;
      flat = new Float64Array(m * width);
    }
    // Direction start + l is column start + l; the lanes of a row are adjacent in both.
    if (g.fn.resultArray === null) {
      for (let l = 0; l < chunk.length; l++) flat[start + l] = r[1 + l] as number;
      continue;
    }
    const t = r[1] as NumArray;
    for (let row = 0; row < m; row++) {
      const from = row * LANES;
      const to = row * width + start;
      for (let l = 0; l < chunk.length; l++) flat[to + l] = t[from + l];
    }
  }
  return { flat: flat!, m };
}
