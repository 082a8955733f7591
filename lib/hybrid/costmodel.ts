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

/** Fitted constants (multiples of one plain evaluation). */
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

/** Constants measured by bench/modes.ts on this project's reference machine (see README). */
export const measuredCosts: CostModel = {
  forwardPass: 12,
  forwardPerLane: 1.5,
  record: 10,
  sweep: 1.5,
  chunk: 8,
};

/** Estimated costs of each mode for n inputs and m outputs. */
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
  const passes = Math.max(1, Math.ceil(n / model.chunk));
  const lanes = Math.min(n, model.chunk);
  return {
    forward: passes * (model.forwardPass + model.forwardPerLane * lanes),
    reverse: model.record + Math.max(1, m) * model.sweep,
  };
}
