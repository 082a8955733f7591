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

/** A direction: the wrt entry and the element within it (0 for numbers). */
interface Direction { entry: number; element: number }

/** The tangent arguments seeding `chunk` (at most LANES directions), in parameter order. */
function seeds(g: Generated, prepared: readonly unknown[], n: readonly number[], chunk: readonly Direction[]): unknown[] {
  const byEntry = g.wrt.map((k, i) => {
    if (g.fn.params[k].array) {
      const t = new Float64Array(n[i] * LANES);
      chunk.forEach((d, l) => { if (d.entry === i) t[d.element * LANES + l] = 1; });
      return [t];
    }
    return Array.from({ length: LANES }, (_, l) => (chunk[l]?.entry === i ? 1 : 0));
  });
  void prepared;
  const order: unknown[] = [];
  g.fn.params.forEach((p, k) => { if (p.wrt >= 0) order.push(...byEntry[g.wrt.indexOf(k)]); });
  return order;
}

/**
 * Fills J (one m x n_k matrix per wrt entry) column by column, LANES
 * columns per forward pass.
 *
 * @example
 * ```ts
 * forwardColumns(g, () => prepare(g, args, "jacobian"), n, m, J);
 * ```
 */
export function forwardColumns(g: Generated, fresh: () => unknown[], n: readonly number[], m: number, J: number[][][]): void {
  const all: Direction[] = n.flatMap((nk, entry) => Array.from({ length: nk }, (_, element) => ({ entry, element })));
  for (let start = 0; start < all.length; start += LANES) {
    const chunk = all.slice(start, start + LANES);
    const prepared = fresh();
    const r = g.forwardLanes(...prepared, ...seeds(g, prepared, n, chunk));
    chunk.forEach((d, l) => {
      const col = J[d.entry];
      if (g.fn.resultArray === null) col[0][d.element] = r[1 + l] as number;
      else {
        const t = r[1] as NumArray;
        for (let row = 0; row < m; row++) col[row][d.element] = t[row * LANES + l];
      }
    });
  }
}
