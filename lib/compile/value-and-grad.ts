/**
 * The jit-style entry point: a compiled value-and-gradient. Same machinery
 * as `compileGrad` (record once per input shapes, then run the compiled
 * tensor plan or the replay interpreter); this form returns the value with
 * the gradient, which an optimiser loop or a line search needs anyway.
 */
import type { Lifted, Value } from "../registry/lifted.ts";
import type { Output, TracedArg, InputFor, LikeInput } from "../structure/structure.ts";
import { compileGrad, type CompileGradOptions } from "./compile-grad.ts";
import type { TensorPlan } from "./plan.ts";

/**
 * A compiled value-and-gradient: call it with an input, get `{ value, grad }`.
 *
 * @example
 * ```ts
 * const vg: CompiledValueAndGrad<Lifted> = jitValueAndGrad((w: Lifted) => sum(mul(w, w)));
 * vg(tensor([1, 2]));   // { value: 5, grad: Tensor [2, 4] }: recorded and planned
 * vg(tensor([3, 4]));   // { value: 25, grad: Tensor [6, 8] }: the plan runs
 * vg.recordings;        // 1
 * ```
 */
export interface CompiledValueAndGrad<P> {
  (x: InputFor<P>): { value: Value; grad: LikeInput<P> };
  /** How many times f has been recorded (first call, new shapes, flipped guards). */
  readonly recordings: number;
  /** The current recording's compiled tensor program (fused loops, pooled buffers), or null when calls replay through the interpreter. */
  readonly plan: TensorPlan | null;
}

/**
 * Compiles the value and gradient of a scalar f. For a function of Tensors
 * the first call (per input shapes) records f and plans it: each chain of
 * elementwise ops becomes one generated loop (partials from the op
 * registry's rules), a sum or mean is accumulated in the loop that produces
 * its argument, other ops (matmul, reshape, ...) run their registered
 * kernels, and intermediate buffers come from a pool reused by liveness.
 * Later calls with the same shapes run the plan: no recording, no tape.
 * Branch with the guarded comparisons (gt, lt, ...): a flipped comparison
 * records again. `options` are compileGrad's (`cacheSize`).
 *
 * @example
 * ```ts
 * const lse = jitValueAndGrad((x: Lifted) => log(sum(exp(x))));
 * lse(tensor([1, 2, 3])); // { value: 3.4076..., grad: softmax([1, 2, 3]) }, recorded
 * lse(tensor([0, 0, 1])); // runs the fused plan
 * lse.plan?.steps.length;  // 2: exp+sum in one loop, log on the scalar
 * ```
 */
export function jitValueAndGrad<P extends TracedArg = Lifted>(f: (x: P) => Output, options: CompileGradOptions = {}): CompiledValueAndGrad<P> {
  const g = compileGrad(f, options);
  const run = ((x: InputFor<P>) => g.valueAndGrad(x)) as CompiledValueAndGrad<P>;
  Object.defineProperties(run, {
    recordings: { get: () => g.recordings },
    plan: { get: () => g.plan },
  });
  return run;
}
