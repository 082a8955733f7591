/**
 * Second derivatives by forward over reverse: the Hessian is the forward
 * Jacobian of the reverse gradient; a Hessian-vector product is one forward
 * pass through the gradient.
 */
import type { Value } from "../registry/lifted.ts";
import type { Output, TracedArg, InputFor, Jacobian, LikeInput } from "../structure/structure.ts";
import type { Lifted } from "../registry/lifted.ts";
import { fail, describe, TypeMismatchError } from "../errors.ts";
import { valueAndGradAt } from "../reverse/grad.ts";
import { jacfwdAs, checkChunk, type JacfwdOptions } from "../forward/jacfwd.ts";
import { jvp } from "../forward/jvp.ts";
import { readArgumentOptions, callWithArguments, ARGUMENT_KEYS } from "../structure/arguments.ts";

/**
 * Returns x => H(x), the n x n Hessian of a scalar f (number[][] for number[] x, a Tensor for a Tensor x).
 *
 * @example
 * ```ts
 * hessian((x) => x[0].mul(x[0]).mul(x[1]))([1, 2]); // [[4, 2], [2, 0]]
 * ```
 */
export function hessian<P extends TracedArg = Lifted>(f: (x: P) => Output, options?: Omit<JacfwdOptions, "argnums" | "hasAux">): (x: InputFor<P>) => Jacobian;
export function hessian(f: (...args: never[]) => unknown, options: JacfwdOptions): (...args: unknown[]) => Jacobian | [Jacobian, unknown];
export function hessian(f: (...args: never[]) => unknown, options: JacfwdOptions = {}): (...args: never[]) => unknown {
  if (typeof f !== "function") fail("hessian", `expected a function, got ${describe(f)}`, "pass (x) => scalar", TypeMismatchError);
  const opts = readArgumentOptions("hessian", options, [...ARGUMENT_KEYS, "chunk"]);
  const { chunk } = options;
  if (chunk !== undefined) checkChunk("hessian", chunk);
  return (...args: unknown[]) => callWithArguments("hessian", f, args, opts, (g, x) => {
    // The gradient's own errors (f returned an array, ...) name hessian, the function the user called.
    const gradient = (y: unknown) => valueAndGradAt(g, y, "hessian").grad;
    return jacfwdAs("hessian", (y: TracedArg) => gradient(y), chunk === undefined ? {} : { chunk })(x);
  });
}

/**
 * Returns (x, v) => H(x) v without forming H: one forward pass over the reverse gradient.
 *
 * @example
 * ```ts
 * hvp((x) => x[0].mul(x[0]).mul(x[1]))([1, 2], [1, 0]); // [4, 2]
 * ```
 */
export function hvp<P extends TracedArg = Lifted>(f: (x: P) => Output): (x: InputFor<P>, v: InputFor<P>) => LikeInput<P> {
  if (typeof f !== "function") fail("hvp", `expected a function, got ${describe(f)}`, "pass (x) => scalar", TypeMismatchError);
  const g = (y: unknown) => valueAndGradAt(f as (x: never) => Output, y, "hvp").grad;
  return (x, v) => jvp((xx: TracedArg) => g(xx), x as InputFor<TracedArg>, v as InputFor<TracedArg>).tangent as LikeInput<P>;
}
