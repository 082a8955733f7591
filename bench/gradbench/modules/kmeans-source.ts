/**
 * The k-means cost as plain-number loops over points × centroids: one copy
 * shared by the plain-JS primal (plain/scalar.ts) and the source compiler
 * (modules/kmeans.ts).
 *
 * The minimum over centroids is a comparison (`dist < best`), not
 * `Math.min`: compiled code differentiates a comparison by the branch taken,
 * so a point's whole gradient goes to its first nearest centroid, the eval's
 * tie rule, where `Math.min` (the registry's `minimum`) would split it
 * between exactly tied distances. The squared difference is written as
 * `(c - p) ** 2` rather than through a local `e = c - p`: the adjoint of
 * `e * e` reads e, which the loop overwrites, so the reverse sweep would save
 * one number per point, centroid and coordinate; the adjoint of the power
 * recomputes c - p from arrays that are never written.
 */

/**
 * Σ_i min_j ‖C_j - P_i‖² for k centroids `c` (k·d, row-major) and n points
 * `p` (n·d, row-major).
 *
 * @example
 * ```ts
 * kmeansSource([1, 0], [0, 0, 2, 0], 2, 1, 2); // 2
 * ```
 */
export function kmeansSource(c: ArrayLike<number>, p: ArrayLike<number>, n: number, k: number, d: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (let j = 0; j < k; j++) {
      let dist = 0;
      for (let l = 0; l < d; l++) dist += (c[j * d + l]! - p[i * d + l]!) ** 2;
      if (dist < best) best = dist;
    }
    total += best;
  }
  return total;
}
