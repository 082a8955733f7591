/**
 * lse: log-sum-exp, LSE(x) = a + log Σ exp(x - a) with a = max x (the shift
 * keeps exp from overflowing), on one Tensor, through the `logsumexp` op:
 * its gradient is the softmax in one fused pass (bench:tensors measured it
 * 2.6x faster than the same function written out with max, sub, exp, sum
 * and log, whose shift adds a rounded 1 - Σ softmax at the argmax).
 */
import { logsumexp, grad, tensor, type Value } from "../../../lib/index.ts";
import { asObject, asVector, InputError } from "../input.ts";
import { evalFunction, type Module } from "../runs.ts";
import { scalar, numbers } from "../output.ts";

/**
 * log Σ exp(x), max-shifted, on a Tensor x.
 *
 * @example
 * ```ts
 * logSumExp(tensor([0, 0])); // ln 2
 * ```
 */
export function logSumExp(x: Value): Value {
  return logsumexp(x);
}

/**
 * Checks an lse input.
 *
 * @example
 * ```ts
 * parseLse({ x: [1, 2] }); // [1, 2]
 * ```
 */
export function parseLse(input: unknown): number[] {
  const x = asVector(asObject(input, "input").x, "input.x");
  if (x.length === 0) throw new InputError("input.x must not be empty");
  return x;
}

/** The lse module. @example `lse.gradient.run([1, 2])` */
export const lse: Module = {
  primal: evalFunction(parseLse, (x) => scalar(logSumExp(tensor(x)))),
  gradient: evalFunction(parseLse, (x) => numbers(grad(logSumExp)(tensor(x)))),
};
