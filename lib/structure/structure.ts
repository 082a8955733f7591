/**
 * How transforms see inputs and outputs: a number, a Tensor or a Lifted
 * value is one item; a JS array of scalars is a list of items. Results come
 * back in the structure the user gave.
 */
import { Lifted, primal, type Value } from "../registry/lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { fail, describe, TypeMismatchError, ShapeError } from "../errors.ts";

/** What a transform accepts as the point `x`. */
export type Input = number | Tensor | Lifted | readonly (number | Lifted)[];

/** What a transformed function may return. */
export type Output = Value | readonly Value[];

/**
 * The parameter type a transformed f may declare. A transform passes one
 * Dual/Var (for a number or Tensor input) or a JS array of them (for a
 * number[] input); f may declare it as `Lifted`, `Lifted[]`, `Value[]`, ...
 */
export type TracedArg = Value | readonly Value[];

/** The inputs a transform accepts for a function whose parameter is P. */
export type InputFor<P> = P extends readonly unknown[] ? readonly (number | Lifted)[] : number | Tensor | Lifted;

/** A result shaped like the input (a gradient, a Hessian-vector product) for a function whose parameter is P. */
export type LikeInput<P> = P extends readonly unknown[] ? number[] : number | Tensor;

/** A function of the input that returns something shaped like it: overloaded so number -> number and Tensor -> Tensor. */
export type LikeInputFn<P> = P extends readonly unknown[]
  ? (x: readonly (number | Lifted)[]) => number[]
  : { (x: number): number; (x: Tensor): Tensor; (x: number | Tensor | Lifted): Value };

/** A Jacobian in the user's structures (cast to the form your input and output give, e.g. `as number[][]`). */
export type Jacobian = number | Tensor | Value | Value[] | Value[][] | Tensor[];

/** An input or output split into items. */
export interface Split {
  /** True when the user passed a JS array. */
  array: boolean;
  items: Value[];
}

function isItem(v: unknown): v is Value {
  return typeof v === "number" || v instanceof Tensor || v instanceof Lifted;
}

/**
 * Splits a transform's input into items, validating it.
 *
 * @example
 * ```ts
 * splitInput("grad", [1, 2]); // { array: true, items: [1, 2] }
 * ```
 */
export function splitInput(api: string, x: unknown): Split {
  if (Array.isArray(x)) {
    x.forEach((v, i) => {
      if (!(typeof v === "number" || (v instanceof Lifted && typeof primal(v) === "number"))) {
        fail(api, `element ${i} of the input array is ${describe(v)}`,
          "pass an array of numbers, or a single Tensor for array-valued inputs", TypeMismatchError);
      }
    });
    return { array: true, items: x.slice() as Value[] };
  }
  if (!isItem(x)) {
    fail(api, `the input is ${describe(x)}`, "pass a number, a number[] or a Tensor", TypeMismatchError);
  }
  return { array: false, items: [x] };
}

/**
 * Splits a function's result into items, validating it.
 *
 * @example
 * ```ts
 * splitOutput("jacrev", [y1, y2]); // { array: true, items: [y1, y2] }
 * ```
 */
export function splitOutput(api: string, y: unknown): Split {
  if (Array.isArray(y)) {
    y.forEach((v, i) => {
      if (!isItem(v)) fail(api, `element ${i} of f's result is ${describe(v)}`, "return numbers, Duals/Vars or Tensors", TypeMismatchError);
    });
    return { array: true, items: y.slice() as Value[] };
  }
  if (!isItem(y)) fail(api, `f returned ${describe(y)}`, "return a number, a Dual/Var, a Tensor, or an array of them", TypeMismatchError);
  return { array: false, items: [y] };
}

/**
 * Rebuilds the user's structure from items.
 *
 * @example
 * ```ts
 * join({ array: false, items: [0] }, [5]); // 5
 * ```
 */
export function join<T>(shape: Split, items: T[]): T | T[] {
  return shape.array ? items : items[0]!;
}

/**
 * The shape of an item's primal value ([] for a scalar).
 *
 * @example
 * ```ts
 * shapeOf(zeros([2, 3])); // [2, 3]
 * ```
 */
export function shapeOf(v: Value): number[] {
  const p = primal(v);
  return typeof p === "number" ? [] : p.shape;
}

/**
 * Requires a scalar result (a number, a scalar Dual/Var, or a one-element Tensor).
 *
 * @example
 * ```ts
 * scalarOutput("grad", 3); // 3
 * ```
 */
export function scalarOutput(api: string, y: unknown): Value {
  if (!isItem(y)) {
    fail(api, `f returned ${describe(y)}`, Array.isArray(y) ? "return a single scalar; use jacrev or jacobian for several outputs" : "return a number or a scalar Dual/Var", TypeMismatchError);
  }
  const p = primal(y);
  if (typeof p !== "number" && p.size !== 1) {
    fail(api, `f returned a Tensor of shape [${p.shape.join(", ")}], not a scalar`,
      "reduce it (e.g. sum(...)) or use jacrev/jacobian for vector outputs", ShapeError);
  }
  return y;
}
