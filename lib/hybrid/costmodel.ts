/**
 * The cost model behind `jacobian(f, { mode: 'auto' })`. Costs are in units
 * of one plain evaluation of f:
 *
 *   forward = ceil(n / chunk) * (forwardPass + forwardPerLane * chunk')
 *   reverse = record + m * sweep
 *
 * where chunk' is the lanes actually used per pass. The constants are fitted
 * by `npm run bench` (bench/modes.ts prints the fit) on scalar programs.
 */

import { fail, describe, checkOptions, DomainError } from "../errors.ts";

/**
 * Fitted constants (multiples of one plain evaluation).
 *
 * @example
 * ```ts
 * const mine: CostModel = { ...measuredCosts, forwardPass: 40 }; // forward passes measured slower here
 * jacobian(f, { costModel: mine });
 * ```
 */
export interface CostModel {
  /** Fixed cost of one forward pass, whatever its lane count. */
  forwardPass: number;
  /** Extra cost per lane in a forward pass. */
  forwardPerLane: number;
  /** Cost of recording f on the tape. */
  record: number;
  /** Cost of one reverse sweep over the recording. */
  sweep: number;
  /** Lanes per forward pass. */
  chunk: number;
}

/**
 * Constants fitted by bench/modes.ts (least squares over the f, g and n x m
 * grid problems) on a 2-core AMD EPYC under Node 20; see README, Performance.
 * Re-fit with `npm run bench` after changing the core, or pass your own via
 * `jacobian(f, { costModel })`.
 *
 * @example
 * ```ts
 * measuredCosts.chunk; // 8 lanes per forward pass
 * jacobian(f, { costModel: { ...measuredCosts, record: 80 } });
 * ```
 */
export const measuredCosts: CostModel = {
  forwardPass: 27.5,
  forwardPerLane: 0.902,
  record: 53.9,
  sweep: 0.858,
  chunk: 8,
};

/**
 * Estimated costs of each mode for n inputs and m outputs.
 *
 * @example
 * ```ts
 * const c: CostEstimate = estimateCosts(1000, 1, measuredCosts);
 * c.reverse < c.forward; // true: one output, many inputs
 * ```
 */
export interface CostEstimate {
  forward: number;
  reverse: number;
}

/**
 * Estimated cost of computing an m x n Jacobian in each mode.
 *
 * @example
 * ```ts
 * estimateCosts(1000, 1).reverse < estimateCosts(1000, 1).forward; // true
 * ```
 */
export function estimateCosts(n: number, m: number, model: CostModel = measuredCosts): CostEstimate {
  checkModel(model);
  for (const [name, v] of [["n", n], ["m", m]] as const) {
    if (!Number.isInteger(v) || v < 0) fail("estimateCosts", `${name} = ${describe(v)} is not a non-negative integer`, "pass the input and output sizes", DomainError);
  }
  const passes = Math.max(1, Math.ceil(n / model.chunk));
  const lanes = Math.min(n, model.chunk);
  return {
    forward: passes * (model.forwardPass + model.forwardPerLane * lanes),
    reverse: model.record + Math.max(1, m) * model.sweep,
  };
}

/**
 * Validates a cost model: finite non-negative costs and a positive integer chunk.
 *
 * @example
 * ```ts
 * checkModel({ ...measuredCosts, chunk: 0 }); // throws DomainError
 * ```
 */
export function checkModel(model: CostModel): void {
  if (model === null || typeof model !== "object") fail("jacobian", `the cost model is ${describe(model)}`, "pass { forwardPass, forwardPerLane, record, sweep, chunk }", DomainError);
  checkOptions("jacobian", model, ["forwardPass", "forwardPerLane", "record", "sweep", "chunk"]);
  for (const key of ["forwardPass", "forwardPerLane", "record", "sweep"] as const) {
    const v = model[key];
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
      fail("jacobian", `cost model ${key} = ${describe(v)} is not a finite non-negative number`, "use costs measured as multiples of one evaluation of f", DomainError);
    }
  }
  if (!Number.isInteger(model.chunk) || model.chunk < 1) {
    fail("jacobian", `cost model chunk = ${describe(model.chunk)} is not a positive integer`, "use the lanes per forward pass, e.g. 8", DomainError);
  }
}
