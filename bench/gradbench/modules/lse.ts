/**
 * lse: log-sum-exp, LSE(x) = a + log Σ exp(x - a) with a = max x (the shift
 * keeps exp from overflowing, and its gradient is cut with stopGradient, as
 * JAX's logsumexp does: the shift does not change the value, and
 * differentiating through max only adds a rounded 1 - Σ softmax at the
 * argmax). The gradient is `jitValueAndGrad` of that written-out form: one
 * recording per input length (made in `prepare`, at zeros), then the fused
 * tensor plan runs (exp and its sum in one loop, the softmax from the saved
 * exp values). The `logsumexp` op under `grad` stays as `gradient_op`, for
 * comparison.
 */
import { logsumexp, grad, jitValueAndGrad, tensor, zeros, max, stopGradient, add, log, sum, exp, sub, type Lifted, type Value } from "../../../lib/index.ts";
import { asObject, asVector, InputError } from "../input.ts";
import { evalFunction, type Module } from "../runs.ts";
import { scalar, numbers } from "../output.ts";

/**
 * log Σ exp(x), max-shifted, written out, on a Tensor x.
 *
 * @example
 * ```ts
 * logSumExp(tensor([0, 0])); // ln 2
 * ```
 */
export function logSumExp(x: Value): Value {
  const a = stopGradient(max(x as Lifted));
  return add(a, log(sum(exp(sub(x as Lifted, a)))));
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

/** The compiled value and gradient, kept for the process (it records once per input length). */
const compiled = jitValueAndGrad((x: Lifted) => logSumExp(x) as Lifted, { cacheSize: 64 });

/** The lse module. @example `lse.gradient.run(lse.gradient.prepare({ x: [1, 2] }))` */
export const lse: Module = {
  primal: evalFunction(parseLse, (x) => scalar(logSumExp(tensor(x)))),
  gradient: evalFunction(
    (input) => {
      const x = tensor(parseLse(input));
      compiled(zeros([x.size]));
      return x;
    },
    (x) => numbers(compiled(x).grad),
  ),
  gradient_op: evalFunction(parseLse, (x) => numbers(grad((v: Lifted) => logsumexp(v) as Lifted)(tensor(x)))),
};
