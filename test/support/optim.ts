/**
 * One optimisation step on f(x) = x², whose gradient 2x makes every
 * optimiser's update easy to write out by hand in the test.
 */
import { mul, type Optimizer, type Var } from "../../lib/index.ts";

/**
 * Runs zeroGrad, backward of x² and step on `opt`, and returns x's value
 * after the step.
 *
 * @example
 * ```ts
 * const x = variable(1);
 * stepSquare(new SGD([x], { lr: 0.1 }), x); // 1 - 0.1 * 2 = 0.8
 * ```
 */
export function stepSquare(opt: Optimizer, x: Var): number {
  opt.zeroGrad();
  mul(x, x).backward();
  opt.step();
  return x.value as number;
}
