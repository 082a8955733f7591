/**
 * `derivative(f)(x)`: the derivative of a function of one real variable, by
 * one forward pass.
 */
import type { Value } from "../registry/lifted.ts";
import { primal } from "../registry/lifted.ts";
import { splitOutput, join, type Output } from "../structure/structure.ts";
import { fail, describe, TypeMismatchError } from "../errors.ts";
import { Lifted } from "../registry/lifted.ts";
import { Dual } from "./dual.ts";
import { withTag } from "./tag.ts";
import { tangentUnder } from "./extract.ts";

/**
 * Returns x => f'(x) for f: R -> R (an array- or Tensor-valued f gives the
 * derivative of each output). Nested calls are safe: each call has its own tag.
 *
 * @example
 * ```ts
 * // cube(x) = x³ written with dualtape ops
 * derivative(cube)(2); // 12
 * ```
 */
export function derivative<R extends Output>(f: (x: Lifted) => R): (x: number | Lifted) => R extends readonly unknown[] ? Value[] : Value {
  if (typeof f !== "function") fail("derivative", `expected a function, got ${describe(f)}`, "pass (x) => ...", TypeMismatchError);
  return (x) => {
    if (!(typeof x === "number" || (x instanceof Lifted && typeof primal(x) === "number"))) {
      fail("derivative", `x is ${describe(x)}, not a scalar`, "use jvp or jacfwd for vector inputs", TypeMismatchError);
    }
    return withTag("derivative", (tag) => {
      const out = splitOutput("derivative", f(new Dual(x, 1, tag)));
      return join(out, out.items.map((y) => tangentUnder(y, tag))) as R extends readonly unknown[] ? Value[] : Value;
    });
  };
}
