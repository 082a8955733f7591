/**
 * stopGradient: a value taken as a constant by every transform at once.
 *
 * Why every level: under nesting (a Hessian is forward over reverse, a
 * second `gradients` with createGraph differentiates the recorded backward)
 * a value is wrapped once per transform. Cutting only the innermost wrapper
 * left the enclosing derivative flowing through the "constant", so hessian,
 * grad∘grad and hvp disagreed with a double `gradients` call (8 against 4
 * for x² · stopGradient(x) at 2). A constant for one transform but not for
 * an enclosing one is not what anyone means by stop-gradient (JAX's
 * `lax.stop_gradient` and PyTorch's `detach` under `create_graph` cut
 * everything too).
 */
import { Lifted, primal, type Value } from "../registry/lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { fail, describe, TypeMismatchError } from "../errors.ts";
import { stopInRecording } from "./recording.ts";

/**
 * What stopGradient accepts: a value, or arrays and plain objects of values (nested).
 *
 * @example
 * ```ts
 * const params: Stoppable = { w: tensor([1, 2]), b: 3 };
 * stopGradient(params); // the same structure, every leaf a constant
 * ```
 */
export type Stoppable = Value | readonly Stoppable[] | { readonly [key: string]: Stoppable };

/**
 * The plain counterpart of a Stoppable: numbers and Tensors in the same structure.
 *
 * @example
 * ```ts
 * type P = { w: Lifted; b: Lifted };
 * const plain = (p: P): Stopped<P> => stopGradient(p); // { w: number | Tensor; b: number | Tensor }
 * ```
 */
export type Stopped<T> = T extends Value ? number | Tensor : { [K in keyof T]: Stopped<T[K]> };

/**
 * The plain value under every Dual/Var wrapper of `x` (arrays and plain
 * objects entry by entry):
 * every transform, at every nesting level, sees a constant, so no
 * derivative flows through it. `Var.detach()` is its reverse-mode spelling.
 * While `compileGrad` (or `jitValueAndGrad`) records f, a value computed
 * from f's input comes back as a Var of the recording that requires no
 * gradient path (pass it to ops as usual): replays and the compiled plan
 * recompute it at each new input instead of freezing its first value.
 *
 * @example
 * ```ts
 * // f(x) = x² · stopGradient(x), written with dualtape ops: c x² with c = x held constant
 * grad(grad(f))(2);   // 4: d²/dx² of c x² is 2c with c = 2
 * hessian(f)(2);      // 4 as well
 * ```
 */
export function stopGradient<T extends Stoppable>(x: T): Stopped<T> {
  return stop(x) as Stopped<T>;
}

function stop(x: Stoppable): unknown {
  if (typeof x === "number" || x instanceof Tensor) return x;
  if (x instanceof Lifted) {
    // Inside compileGrad's recording the cut is recorded, so a replay
    // recomputes the value instead of keeping the one of its first call.
    return stopInRecording(x) ?? primal(x);
  }
  if (Array.isArray(x)) return x.map((v: Stoppable) => stop(v));
  if (x !== null && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype) {
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, stop(v as Stoppable)]));
  }
  return fail("stopGradient", `expected a number, a Tensor, a Dual/Var or arrays and objects of them, got ${describe(x)}`,
    "pass the value to treat as a constant", TypeMismatchError);
}
