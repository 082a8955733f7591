/**
 * Plain-JS (numbers only) primals of the scalar-code evals: llsq, lse, det,
 * ode, kmeans. They compute exactly what the dualtape modules compute, with
 * no library calls, to measure AD overhead against. llsq, det, ode and kmeans
 * call the very loop programs the source compiler differentiates (one copy
 * of each program), so a compiled gradient is timed against its own primal.
 */
import { llsqSource, type LlsqInput } from "../modules/llsq.ts";
import type { DetInput } from "../modules/det.ts";
import { detSource } from "../modules/det-source.ts";
import { odeSource, type OdeInput } from "../modules/ode.ts";
import type { KmeansInput } from "../modules/kmeans.ts";
import { kmeansSource } from "../modules/kmeans-source.ts";

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

/**
 * Determinant by the same Laplace expansion, as the loops the source
 * compiler differentiates (one copy of the program).
 *
 * @example `detPlain({ a: [1, 2, 3, 4], ell: 2 }) // -2`
 */
export function detPlain({ a, ell }: DetInput): number {
  return detSource(a, ell);
}

/**
 * The RK4 solve: the same loops the source compiler differentiates (one copy
 * of the program, `odeSource`), which computes the whole state and returns
 * its last component. @example `odePlain({ x: [1], s: 1 }) // 2`
 */
export function odePlain({ x, s }: OdeInput): number {
  return odeSource(x, s);
}

/**
 * Σ_i min_j ‖C_j - P_i‖², the loops the source compiler differentiates (one
 * copy of the program).
 *
 * @example `kmeansPlain(parseKmeans(input))`
 */
export function kmeansPlain({ centroids, flatPoints, points, k, d }: KmeansInput): number {
  return kmeansSource(centroids, flatPoints, points.length, k, d);
}
