/**
 * Jacobian columns by forward mode in chunks of LANES directions per pass:
 * the generated lanes function computes each op's partials once and
 * multiplies every lane's tangent by them, so a chunk costs far less than
 * LANES one-direction passes.
 */
import { shapeOf, type Generated } from "./calls.ts";

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
 * Writes the seeds of one pass: for each wrt entry i, `seeds[i]` holds its
 * n_i elements' LANES lanes interleaved (element e's lane l at e * LANES + l;
 * a number entry is one element). Called with `on` true to seed the pass's
 * directions start..start+count-1, and with `on` false to clear them
 * again before the next pass.
 *
 * @example
 * ```ts
 * const unit: SeedFill = (start, count, seeds, on) => { seeds[0][start * LANES] = on ? 1 : 0; };
 * ```
 */
export type SeedFill = (start: number, count: number, seeds: Float64Array[], on: boolean) => void;

/**
 * A forward function's tangent arguments in its parameter order (the
 * order `CallShape.tangentOrder` gives), from one buffer per wrt entry that
 * holds `lanes` lanes interleaved: the buffer itself for an array, its
 * `lanes` numbers for a number. The tangent of an array f writes into is
 * written by the call too, so it gets a copy: seeds are reused from pass to
 * pass and cleared only where they were seeded.
 *
 * @example
 * ```ts
 * g.forwardLanes(...args, ...tangentArguments(g, seeds, LANES));
 * ```
 */
export function tangentArguments(g: Generated, seeds: readonly Float64Array[], lanes: number): unknown[] {
  const shape = shapeOf(g.fn);
  const order: unknown[] = [];
  for (const i of shape.tangentOrder) {
    const k = g.wrt[i];
    const a = seeds[i];
    if (shape.array[k]) order.push(shape.copy[k] ? a.slice() : a);
    else for (let l = 0; l < lanes; l++) order.push(a[l]);
  }
  return order;
}

/**
 * `directions` forward directions in passes of LANES (the last may hold
 * fewer), seeded by `fill`: `visit(start, count, t, m)` gets each pass's
 * tangents, row r's lane l at t[r * LANES + l] (a number result is one row),
 * while they are valid (the next pass overwrites them). Returns m, the
 * result's length.
 *
 * @example
 * ```ts
 * forwardPasses(g, fresh, n, width, unitSeeds(n), (start, count, t, m) => { ... });
 * ```
 */
export function forwardPasses(
  g: Generated, fresh: () => unknown[], n: readonly number[], directions: number, fill: SeedFill,
  visit: (start: number, count: number, t: ArrayLike<number>, m: number) => void,
): number {
  // Allocated once per Jacobian and reseeded per pass.
  const seeds = n.map((nk) => new Float64Array(nk * LANES));
  const scalar = g.fn.resultArray === null;
  let m = 0;
  for (let start = 0; start === 0 || start < directions; start += LANES) {
    const count = Math.min(LANES, directions - start);
    fill(start, count, seeds, true);
    const r = g.forwardLanes(...fresh(), ...tangentArguments(g, seeds, LANES));
    fill(start, count, seeds, false);
    m = scalar ? 1 : (r[0] as NumArray).length;
    visit(start, count, scalar ? (r as Float64Array).subarray(1) : (r[1] as NumArray), m);
  }
  return m;
}

/**
 * The seeds of the Jacobian's own columns, one per direction: column c is
 * element c - (the entry's first column) of its entry.
 *
 * @example
 * ```ts
 * forwardPasses(g, fresh, n, width, unitSeeds(n), visit);
 * ```
 */
export function unitSeeds(n: readonly number[]): SeedFill {
  const entryOf: number[] = [];
  const elementOf: number[] = [];
  n.forEach((nk, entry) => {
    for (let e = 0; e < nk; e++) entryOf.push(entry), elementOf.push(e);
  });
  return (start, count, seeds, on) => {
    for (let l = 0; l < count; l++) seeds[entryOf[start + l]][elementOf[start + l] * LANES + l] = on ? 1 : 0;
  };
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
  const width = n.reduce((a, b) => a + b, 0);
  let flat: Float64Array | null = null;
  const m = forwardPasses(g, fresh, n, width, unitSeeds(n), (start, count, t, rows) => {
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
