/**
 * Second derivatives by forward over reverse: the Hessian is the forward
 * Jacobian of the reverse gradient; a Hessian-vector product is one forward
 * pass through the gradient.
 */
import type { Value } from "../registry/lifted.ts";
import type { Output, TracedArg, InputFor, Jacobian, LikeInput } from "../structure/structure.ts";
import type { Lifted } from "../registry/lifted.ts";
import { fail, describe, TypeMismatchError } from "../errors.ts";
import { grad } from "../reverse/grad.ts";
import { jacfwdAs, type JacfwdOptions } from "../forward/jacfwd.ts";
import { jvp } from "../forward/jvp.ts";

/**
 * Returns x => H(x), the n x n Hessian of a scalar f (number[][] for number[] x, a Tensor for a Tensor x).
 *
 * @example
 * ```ts
 * hessian((x) => x[0].mul(x[0]).mul(x[1]))([1, 2]); // [[4, 2], [2, 0]]
 * ```
 */
export function hessian<P extends TracedArg = Lifted>(f: (x: P) => Output, options: JacfwdOptions = {}): (x: InputFor<P>) => Jacobian {
  if (typeof f !== "function") fail("hessian", `expected a function, got ${describe(f)}`, "pass (x) => scalar", TypeMismatchError);
  const g = grad(f) as (x: InputFor<P>) => Value | Value[];
  return jacfwdAs("hessian", (x: P) => g(x as InputFor<P>), options) as (x: InputFor<P>) => Jacobian;
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
  const g = grad(f) as (x: InputFor<P>) => Value | Value[];
  return (x, v) => jvp((xx: P) => g(xx as InputFor<P>), x, v).tangent as LikeInput<P>;
}
