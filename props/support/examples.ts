/**
 * Fixed cases every run checks before the random ones: each registered op
 * alone on fresh variables (registry-driven, so new ops get one), and the
 * counterexamples these properties have found, kept as regressions so a
 * fix is confirmed and a relapse caught deterministically.
 */
import { elementwiseOps, isContinuous, type ElementwiseOp } from "./registry.ts";
import { Program, type Expr } from "./program.ts";

/**
 * Counterexamples found by ops.test.ts, by op name: argument lists.
 * An op missing from the registry is simply not checked.
 */
const OP_REGRESSIONS: Record<string, number[][]> = {
  // erf's value was ~200 ulps off near |x| = 3 (an alternating power series
  // cancelled there), which Richardson differences turned into a 1e-6
  // relative derivative error; fixed by a positive-term series.
  erf: [[2.995889531189951]],
};

/**
 * Scalar special points props/special-points.test.ts puts in every
 * continuous argument of every op: signed zeros (IEEE keeps the sign through
 * a division, so one-sided rules such as sqrt's and log's disagreed at -0),
 * the unit points, and NaN and ±Infinity (where piecewise rules used to drop
 * a NaN and infinite partials meet zero tangents).
 */
export const SPECIAL_SCALARS: readonly number[] = [0, -0, 1, -1, NaN, Infinity, -Infinity];

/** Argument pairs for binary ops: a zero base under pow (its Hessian was asymmetric at (0, 2)), both zero. */
export const SPECIAL_PAIRS: readonly number[][] = [[0, 2], [0, 3], [0, 0.5], [2, 0], [0, 0], [-0, 2]];

/** Tensors with exact zeros for prod (its Hessian was wrong at [2, 0, 0]). */
export const SPECIAL_PRODUCTS: number[][] = [[2, 0, 0], [0, 0, 0], [2, 3, 0], [0, 5, 0, 7], [0, 0, 0, 0], [1, 2, 3]];

/**
 * Regression argument lists for `op` (empty when none were recorded).
 *
 * @example
 * ```ts
 * regressionArgs(erfOp); // [[2.995889531189951]]
 * ```
 */
export function regressionArgs(op: ElementwiseOp): number[][] {
  return OP_REGRESSIONS[op.name] ?? [];
}

/** `op` applied to x0, x1, ... (discrete arguments at their domain's lower end). */
function alone(op: ElementwiseOp, vector: boolean): Program {
  let next = 0;
  const args = op.domains.map((d): Expr => (isContinuous(d) ? { kind: "var", index: next++ } : { kind: "const", value: Math.ceil(d.lo) }));
  return new Program(Math.max(next, 1), [{ kind: "op", op, args }], vector);
}

/**
 * Every registered op alone on fresh variables, at the origin (each
 * argument at fit(0) inside its domain: a fixed, ordinary point), with at most
 * `maxInputs` variables, returning a scalar or (`vector`) a one-element array.
 *
 * @example
 * ```ts
 * opsAtOrigin(3, false)[0]; // { program: (x0, x1) => add(x0, x1), x: [0, 0] }
 * ```
 */
export function opsAtOrigin(maxInputs: number, vector: boolean): { program: Program; x: number[] }[] {
  return elementwiseOps()
    .map((op) => alone(op, vector))
    .filter((p) => p.inputs <= maxInputs)
    .map((program) => ({ program, x: new Array<number>(program.inputs).fill(0) }));
}
