/**
 * Second derivatives by forward over reverse: the Hessian is the forward
 * Jacobian of the reverse gradient; a Hessian-vector product is one forward
 * pass through the gradient.
 */
import type { Value } from "../shared/lifted.ts";
import type { Input, Output } from "../shared/structure.ts";
import { fail, describe, TypeMismatchError } from "../shared/errors.ts";
import { grad, type GradOf, type Traced } from "../reverse/grad.ts";
import { jacfwd, type JacfwdOptions } from "../forward/jacfwd.ts";
import { jvp } from "../forward/jvp.ts";

/**
 * Returns x => H(x), the n x n Hessian of a scalar f (number[][] for number[] x, a Tensor for a Tensor x).
 *
 * @example
 * ```ts
 * hessian((x) => x[0].mul(x[0]).mul(x[1]))([1, 2]); // [[4, 2], [2, 0]]
 * ```
 */
export function hessian<X extends Input>(f: (x: Traced<X>) => Output, options: JacfwdOptions = {}): (x: X) => unknown {
  if (typeof f !== "function") fail("hessian", `expected a function, got ${describe(f)}`, "pass (x) => scalar", TypeMismatchError);
  const g = grad(f);
  return jacfwd(((x: X) => g(x)) as (x: never) => Output, options) as (x: X) => unknown;
}

/**
 * Returns (x, v) => H(x) v without forming H: one forward pass over the reverse gradient.
 *
 * @example
 * ```ts
 * hvp((x) => x[0].mul(x[0]).mul(x[1]))([1, 2], [1, 0]); // [4, 2]
 * ```
 */
export function hvp<X extends Input>(f: (x: Traced<X>) => Output): (x: X, v: X) => GradOf<X> {
  if (typeof f !== "function") fail("hvp", `expected a function, got ${describe(f)}`, "pass (x) => scalar", TypeMismatchError);
  const g = grad(f);
  return (x: X, v: X) => jvp(((xx: X) => g(xx) as Value | Value[]) as never, x, v).tangent as GradOf<X>;
}
