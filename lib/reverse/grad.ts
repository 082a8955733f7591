/**
 * `grad(f)(x)` and `valueAndGrad(f)(x)`: the gradient of a scalar function
 * by one recording and one reverse sweep.
 */
import type { Lifted, Value } from "../shared/lifted.ts";
import { primal } from "../shared/lifted.ts";
import { Tensor } from "../shared/tensor.ts";
import { scalarOutput, type Input, type Output } from "../shared/structure.ts";
import { fail, describe, TypeMismatchError } from "../shared/errors.ts";
import { withTape } from "./pool.ts";
import { trace, outputNode, outputValue, inputCotangents } from "./trace.ts";

/** What f receives for an input of type X: a scalar Var/Dual for a number, an array of them for number[]. */
export type Traced<X> = X extends readonly unknown[] ? Lifted[] : Lifted;
/** The gradient's type for an input of type X (same structure). */
export type GradOf<X> = X extends number ? number : X extends readonly unknown[] ? number[] : X extends Tensor ? Tensor : Value;

function unitSeed(y: Value): Value {
  const p = primal(y);
  return typeof p === "number" ? 1 : new Tensor(new Float64Array([1]), p.shape);
}

function checkFunction(api: string, f: unknown): void {
  if (typeof f !== "function") fail(api, `expected a function, got ${describe(f)}`, "pass (x) => scalar", TypeMismatchError);
}

/**
 * Returns x => { value: f(x), grad: ∇f(x) } for a scalar-valued f.
 *
 * @example
 * ```ts
 * valueAndGrad((x) => x[0].mul(x[1]))([2, 3]); // { value: 6, grad: [3, 2] }
 * ```
 */
export function valueAndGrad<X extends Input>(f: (x: Traced<X>) => Output): (x: X) => { value: Value; grad: GradOf<X> } {
  checkFunction("valueAndGrad", f);
  return (x: X) =>
    withTape((tape) => {
      const tr = trace("grad", tape, f as (x: never) => Output, x);
      const y = scalarOutput("grad", tr.out.array ? tr.out.items : tr.out.items[0]);
      const grad = inputCotangents(tape, tr, [outputNode(tape, y)], [unitSeed(y)]);
      return { value: outputValue(tape, y), grad: grad as GradOf<X> };
    });
}

/**
 * Returns x => ∇f(x) for a scalar-valued f, in x's structure (number, number[] or Tensor).
 *
 * @example
 * ```ts
 * grad((x) => x.mul(x).sum())(tensor([1, 2])); // Tensor [2, 4]
 * grad((x) => x[0].mul(x[1]))([2, 3]);         // [3, 2]
 * ```
 */
export function grad<X extends Input>(f: (x: Traced<X>) => Output): (x: X) => GradOf<X> {
  checkFunction("grad", f);
  const vg = valueAndGrad(f);
  return (x: X) => vg(x).grad;
}
