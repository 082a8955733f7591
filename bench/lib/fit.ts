/**
 * Least-squares fit of the cost model behind jacobian 'auto'
 * (lib/hybrid/costmodel.ts) to measured Jacobian times. Each mode has two
 * linear parameters, fitted on relative error (each observation divided by
 * itself) so that small and large problems weigh the same, which is what
 * matters for choosing a mode:
 *
 *   forward / primal = passes * forwardPass + passes * lanes * forwardPerLane
 *   reverse / primal = record + m * sweep
 */
import type { CostModel } from "../../lib/index.ts";

/** A measured forward-mode Jacobian: passes of `lanes` lanes took `ratio` primal evaluations. */
export interface ForwardObs {
  passes: number;
  lanes: number;
  ratio: number;
}

/** A measured reverse-mode Jacobian with m outputs (m sweeps) took `ratio` primal evaluations. */
export interface ReverseObs {
  m: number;
  ratio: number;
}

/**
 * Minimises sum_i (a u_i + b v_i - 1)^2 with a, b >= 0 (two-column non-negative least squares).
 *
 * @example
 * ```ts
 * fit2([[1, 0], [0, 1]]); // [1, 1]
 * ```
 */
export function fit2(rows: [number, number][]): [number, number] {
  let uu = 0, uv = 0, vv = 0, u1 = 0, v1 = 0;
  for (const [u, v] of rows) {
    uu += u * u; uv += u * v; vv += v * v; u1 += u; v1 += v;
  }
  const det = uu * vv - uv * uv;
  const a = det === 0 ? -1 : (u1 * vv - v1 * uv) / det;
  const b = det === 0 ? -1 : (v1 * uu - u1 * uv) / det;
  if (a >= 0 && b >= 0) return [a, b];
  const onlyA: [number, number] = [uu > 0 ? Math.max(0, u1 / uu) : 0, 0];
  const onlyB: [number, number] = [0, vv > 0 ? Math.max(0, v1 / vv) : 0];
  return residual(rows, onlyA) <= residual(rows, onlyB) ? onlyA : onlyB;
}

function residual(rows: [number, number][], [a, b]: [number, number]): number {
  return rows.reduce((s, [u, v]) => s + (a * u + b * v - 1) ** 2, 0);
}

/**
 * Fits the four cost constants; `chunk` is the lane count chosen by the chunk sweep.
 *
 * @example
 * ```ts
 * fitCostModel([{ passes: 1, lanes: 8, ratio: 20 }], [{ m: 1, ratio: 12 }], 8);
 * ```
 */
export function fitCostModel(fwd: ForwardObs[], rev: ReverseObs[], chunk: number): CostModel {
  const [forwardPass, forwardPerLane] = fit2(fwd.map((o) => [o.passes / o.ratio, (o.passes * o.lanes) / o.ratio]));
  const [record, sweep] = fit2(rev.map((o) => [1 / o.ratio, o.m / o.ratio]));
  return { forwardPass: round(forwardPass), forwardPerLane: round(forwardPerLane), record: round(record), sweep: round(sweep), chunk };
}

/** Three significant digits: the fit is no better than that. */
function round(x: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(3));
}

/**
 * The root-mean-square relative error of a model's predictions.
 *
 * @example
 * ```ts
 * rmsRelative([10, 20], [11, 19]); // ~0.08
 * ```
 */
export function rmsRelative(predicted: number[], observed: number[]): number {
  const s = predicted.reduce((acc, p, i) => acc + ((p - observed[i]!) / observed[i]!) ** 2, 0);
  return Math.sqrt(s / Math.max(1, predicted.length));
}
