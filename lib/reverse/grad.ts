/**
 * `grad(f)(x)` and `valueAndGrad(f)(x)`: the gradient of a scalar function
 * by one recording and one reverse sweep.
 */
import type { Lifted, Value } from "../registry/lifted.ts";
export type { Input };
import { primal } from "../registry/lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { scalarOutput, type Input, type Output, type TracedArg, type InputFor, type LikeInput, type LikeInputFn } from "../structure/structure.ts";
import { fail, describe, TypeMismatchError } from "../errors.ts";
import { withTape } from "./pool.ts";
import { trace, outputNode, outputValue, inputCotangents } from "./trace.ts";

/** What f receives for an input of type X: a scalar Var/Dual for a number, an array of them for number[] (for helper signatures keyed by the input type). */
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
 * // product(x) = x0 x1, written with dualtape ops
 * valueAndGrad(product)([2, 3]); // { value: 6, grad: [3, 2] }
 * ```
 */
export function valueAndGrad<P extends TracedArg = Lifted>(f: (x: P) => Output): (x: InputFor<P>) => { value: Value; grad: LikeInput<P> } {
  checkFunction("valueAndGrad", f);
  return (x: InputFor<P>) =>
    withTape((tape) => {
      const tr = trace("grad", tape, f as (x: never) => Output, x);
      const y = scalarOutput("grad", tr.out.array ? tr.out.items : tr.out.items[0]);
      const grad = inputCotangents(tape, tr, [outputNode(tape, y)], [unitSeed(y)]);
      return { value: outputValue(tape, y), grad: grad as LikeInput<P> };
    });
}

/**
 * Returns x => ∇f(x) for a scalar-valued f, in x's structure (number, number[] or Tensor).
 *
 * @example
 * ```ts
 * // product(x) = x0 x1 and sumOfSquares(t) = Σ t², written with dualtape ops
 * grad(product)([2, 3]);                 // [3, 2]
 * grad(sumOfSquares)(tensor([1, 2]));    // Tensor [2, 4]
 * ```
 */
export function grad<P extends TracedArg = Lifted>(f: (x: P) => Output): LikeInputFn<P> {
  checkFunction("grad", f);
  const vg = valueAndGrad(f);
  return ((x: InputFor<P>) => vg(x).grad) as unknown as LikeInputFn<P>;
}
