/**
 * Plain-JS (numbers only) primals of the scalar-code evals: llsq, lse, det,
 * ode, kmeans. They compute exactly what the dualtape modules compute, with
 * no library calls, to measure AD overhead against.
 */
import { llsqSource, type LlsqInput } from "../modules/llsq.ts";
import type { DetInput } from "../modules/det.ts";
import { odeSource, type OdeInput } from "../modules/ode.ts";
import type { KmeansInput } from "../modules/kmeans.ts";

/** ½ Σ_i (s_i - Σ_j x_j t_i^j)². @example `llsqPlain({ x: [0], n: 3 }) // 1` */
export function llsqPlain({ x, n }: LlsqInput): number {
  // The same loops the source compiler differentiates (one copy of the program).
  return llsqSource(x, n);
}

/** max-shifted log Σ exp x. @example `lsePlain([0, 0]) // ln 2` */
export function lsePlain(x: readonly number[]): number {
  let a = -Infinity;
  for (const v of x) if (v > a) a = v;
  let s = 0;
  for (const v of x) s += Math.exp(v - a);
  return a + Math.log(s);
}

function minorDet(a: readonly number[], ell: number, row: number, cols: readonly number[]): number {
  if (cols.length === 1) return a[row * ell + cols[0]!]!;
  let total = 0;
  for (let k = 0; k < cols.length; k++) {
    const rest = cols.filter((_, i) => i !== k);
    const term = a[row * ell + cols[k]!]! * minorDet(a, ell, row + 1, rest);
    total = k % 2 === 0 ? total + term : total - term;
  }
  return total;
}

/** Determinant by the same Laplace expansion. @example `detPlain({ a: [1, 2, 3, 4], ell: 2 }) // -2` */
export function detPlain({ a, ell }: DetInput): number {
  return minorDet(a, ell, 0, Array.from({ length: ell }, (_, j) => j));
}

/**
 * The RK4 solve: the same loops the source compiler differentiates (one copy
 * of the program, `odeSource`), which computes the whole state and returns
 * its last component. @example `odePlain({ x: [1], s: 1 }) // 2`
 */
export function odePlain({ x, s }: OdeInput): number {
  return odeSource(x, s);
}

/** Σ_i min_j ‖C_j - P_i‖². @example `kmeansPlain(parseKmeans(input))` */
export function kmeansPlain({ points, centroids, k, d }: KmeansInput): number {
  let total = 0;
  for (const p of points) {
    let best = Infinity;
    for (let j = 0; j < k; j++) {
      let dist = 0;
      for (let l = 0; l < d; l++) {
        const e = centroids[j * d + l]! - p[l]!;
        dist += e * e;
      }
      if (dist < best) best = dist;
    }
    total += best;
  }
  return total;
}
