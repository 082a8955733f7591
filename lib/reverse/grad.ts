/**
 * `grad(f)(x)` and `valueAndGrad(f)(x)`: the gradient of a scalar function
 * by one recording and one reverse sweep.
 */
import type { Lifted, Value } from "../registry/lifted.ts";
export type { Input };
import { primal, exampleShape } from "../registry/lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { scalarOutput, join, type Input, type Output, type TracedArg, type InputFor, type LikeInput, type LikeInputFn, type Tree } from "../structure/structure.ts";
import { readArgumentOptions, bindCall, withAux, callWithArguments, type ArgumentOptions } from "../structure/arguments.ts";
import { fail, describe, TypeMismatchError } from "../errors.ts";
import { withTape } from "./pool.ts";
import { trace, outputNode, outputValue, inputCotangents } from "./trace.ts";

/**
 * What f receives for an input of type X: a scalar Var/Dual for a number, an array of them for number[] (for helper signatures keyed by the input type).
 *
 * @example
 * ```ts
 * const f = (x: Traced<number[]>) => x[0]!; // x: Lifted[]
 * grad(f)([2, 3]); // [1, 0]
 * ```
 */
export type Traced<X> = X extends readonly unknown[] ? Lifted[] : Lifted;
/**
 * The gradient's type for an input of type X (same structure).
 *
 * @example
 * ```ts
 * const g: GradOf<number[]> = [3, 2];   // number[] in, number[] out
 * const t: GradOf<Tensor> = tensor([1]); // Tensor in, Tensor out
 * ```
 */
export type GradOf<X> = X extends number ? number : X extends readonly unknown[] ? number[] : X extends Tensor ? Tensor : Value;

function unitSeed(y: Value): Value {
  // One example's shape: a batched output (vmap of grad) holds every example, and the seed is shared by all.
  const s = exampleShape(y);
  return typeof primal(y) === "number" || s.length === 0 ? 1 : new Tensor(new Float64Array([1]), s);
}

function checkFunction(api: string, f: unknown): void {
  if (typeof f !== "function") fail(api, `expected a function, got ${describe(f)}`, "pass (x) => scalar", TypeMismatchError);
}

/**
 * The gradient of a function transformed with `argnums` or `hasAux`: the structure of the differentiated argument(s).
 *
 * @example
 * ```ts
 * // affine(w, b, x) = w x + b, written with dualtape ops
 * const g: Gradient = grad(affine, { argnums: [0, 1] })(2, 1, 3); // [x, 1] = [3, 1]
 * ```
 */
export type Gradient = Tree<Value>;

/** The core of `grad`: value and gradient of a one-input scalar function g at x. */
/**
 * The value and gradient of g at x; errors name `api` (hessian and hvp pass
 * their own name, so a misuse names the function the user called).
 *
 * @example
 * ```ts
 * valueAndGradAt(f, 2, "hessian").grad;
 * ```
 */
export function valueAndGradAt(g: (x: never) => Output, x: unknown, api = "grad"): { value: Value; grad: Value | Value[] } {
  return withTape(api, (tape) => {
    const tr = trace(api, tape, g, x);
    const y = scalarOutput(api, tr.out.array || tr.out.tree ? join(tr.out, tr.out.items) : tr.out.items[0]);
    const grad = inputCotangents(tape, tr, [outputNode(tape, y)], [unitSeed(y)]);
    return { value: outputValue(tape, y), grad };
  });
}

/**
 * Returns x => { value: f(x), grad: ∇f(x) } for a scalar-valued f. With
 * `argnums`, the returned function takes all of f's arguments and
 * differentiates the chosen ones (the others are constants); with `hasAux`,
 * f returns `[output, aux]` and the result carries `aux` too.
 *
 * @example
 * ```ts
 * // product(x) = x0 x1, written with dualtape ops
 * valueAndGrad(product)([2, 3]); // { value: 6, grad: [3, 2] }
 * // affine(w, b, x) = w x + b: differentiate w and b, with x a constant
 * valueAndGrad(affine, { argnums: [0, 1] })(2, 1, 3); // { value: 7, grad: [3, 1] }
 * ```
 */
export function valueAndGrad<P extends TracedArg = Lifted>(f: (x: P) => Output): (x: InputFor<P>) => { value: Value; grad: LikeInput<P> };
export function valueAndGrad(f: (...args: never[]) => unknown, options: ArgumentOptions): (...args: unknown[]) => { value: Value; grad: Gradient; aux?: unknown };
export function valueAndGrad(f: (...args: never[]) => unknown, options: ArgumentOptions = {}): (...args: never[]) => unknown {
  checkFunction("valueAndGrad", f);
  const opts = readArgumentOptions("valueAndGrad", options);
  return (...args: unknown[]) => {
    const call = bindCall("grad", f, args, opts);
    if (!opts.hasAux) return valueAndGradAt(call.g, call.x);
    const { result, aux } = withAux(call, () => valueAndGradAt(call.g, call.x));
    return { ...result, aux };
  };
}

/**
 * Returns x => ∇f(x) for a scalar-valued f, in x's structure (number,
 * number[], Tensor, or arrays and plain objects of them). Options as for
 * `valueAndGrad`: with `hasAux` the result is `[gradient, aux]`.
 *
 * @example
 * ```ts
 * // product(x) = x0 x1 and sumOfSquares(t) = Σ t², written with dualtape ops
 * grad(product)([2, 3]);                 // [3, 2]
 * grad(sumOfSquares)(tensor([1, 2]));    // Tensor [2, 4]
 * // loss(p) = Σ p.w² + p.b over a structure of parameters
 * grad(loss)({ w: tensor([1, 2]), b: 3 });                 // { w: Tensor [2, 4], b: 1 }
 * // squareWithAux(x) = [x², { twice: 2x }]
 * grad(squareWithAux, { hasAux: true })(3);                 // [6, { twice: 6 }]
 * ```
 */
export function grad<P extends TracedArg = Lifted>(f: (x: P) => Output): LikeInputFn<P>;
export function grad(f: (...args: never[]) => unknown, options: ArgumentOptions): (...args: unknown[]) => Gradient | [Gradient, unknown];
export function grad(f: (...args: never[]) => unknown, options: ArgumentOptions = {}): (...args: never[]) => unknown {
  checkFunction("grad", f);
  const opts = readArgumentOptions("grad", options);
  return (...args: unknown[]) => callWithArguments("grad", f, args, opts, (g, x) => valueAndGradAt(g, x).grad);
}
