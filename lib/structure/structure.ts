/**
 * How transforms see inputs and outputs: a number, a Tensor or a Lifted
 * value is one item; a JS array of scalars is a list of items; any other
 * nesting of arrays and plain objects (a pytree, lib/structure/tree.ts) is
 * a list of its leaves plus a description to rebuild it. Results come back
 * in the structure the user gave.
 */
import { Lifted, primal, exampleShape, type Value } from "../registry/lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { fail, describe, TypeMismatchError, ShapeError } from "../errors.ts";
import { flattenTree, unflattenTree, isLeaf, LEAF, type TreeDef } from "./tree.ts";

/**
 * A nested structure of arrays and plain objects whose leaves are of type L.
 *
 * @example
 * ```ts
 * const params: Tree<number | Tensor> = { w: tensor([1, 2]), layers: [1, 2] };
 * ```
 */
export type Tree<L> = L | readonly Tree<L>[] | { readonly [key: string]: Tree<L> };

/**
 * What a transform accepts as the point `x`: a number, a Tensor, a number[], or any nesting of arrays and plain objects of them.
 *
 * @example
 * ```ts
 * grad((x: Lifted[]) => mul(x[0]!, x[1]!))([2, 3]);                    // number[]: [3, 2]
 * grad((x: Lifted) => sum(mul(x, x)))(tensor([1, 2]));                  // Tensor: Tensor [2, 4]
 * grad((p: { w: Lifted; b: Lifted }) => add(mul(p.w, p.w), p.b))({ w: 3, b: 1 }); // object: { w: 6, b: 1 }
 * ```
 */
export type Input = number | Tensor | Lifted | readonly (number | Lifted)[] | Tree<number | Tensor | Lifted>;

/**
 * What a transformed function may return: a value, an array of values, or any nesting of arrays and plain objects of them.
 *
 * @example
 * ```ts
 * const f = (x: Lifted[]): Output => [mul(x[0]!, x[1]!), x[0]!];
 * jacobian(f)([2, 3]); // [[3, 2], [1, 0]]
 * ```
 */
export type Output = Value | readonly Value[] | Tree<Value>;

/**
 * The parameter type a transformed f may declare. A transform passes one
 * Dual/Var (for a number or Tensor input) or a JS array of them (for a
 * number[] input); f may declare it as `Lifted`, `Lifted[]`, `Value[]`, ...
 *
 * @example
 * ```ts
 * grad((x: Value[]) => mul(x[0]!, x[0]!))([3]);                         // [6]
 * grad((p: { w: Lifted; b: Lifted }) => add(mul(p.w, p.w), p.b))({ w: 3, b: 1 }); // { w: 6, b: 1 }
 * ```
 */
export type TracedArg = Value | readonly Value[] | readonly unknown[] | { readonly [key: string]: unknown };

/**
 * `InputFor<P>` where P must not be inferred from the input itself (for
 * transforms that take x beside f: P comes from f's parameter, or defaults
 * to a single traced value). The indexed tuple defers inference on every
 * TypeScript version (no NoInfer needed).
 *
 * @example
 * ```ts
 * const x: InputOf<Lifted[]> = [1, 2];   // what jvp(f, x, v) accepts for f of Lifted[]
 * ```
 */
export type InputOf<P> = [InputFor<P>][P extends unknown ? 0 : never];

/**
 * The inputs a transform accepts for a function whose parameter is P: a
 * number, Tensor or Dual/Var for a traced value; an array of them for an
 * array of traced values; the same nesting for tuples and objects.
 *
 * @example
 * ```ts
 * const x: InputFor<Lifted[]> = [1, 2];                               // f of Lifted[] takes a number[]
 * const p: InputFor<{ w: Lifted; b: Lifted }> = { w: tensor([1, 2]), b: 3 }; // the same nesting
 * ```
 */
export type InputFor<P> = P extends Value
  ? number | Tensor | Lifted
  : P extends readonly Value[]
    ? readonly (number | Tensor | Lifted)[]
    : { readonly [K in keyof P]: InputFor<P[K]> };

/**
 * A result shaped like the input (a gradient, a Hessian-vector product) for
 * a function whose parameter is P: number or Tensor for a traced value,
 * number[] for an array of traced scalars, the same nesting for tuples and
 * objects.
 *
 * @example
 * ```ts
 * const g: LikeInput<{ w: Lifted; b: Lifted }> = { w: tensor([2, 4]), b: 1 }; // a gradient of that input
 * ```
 */
export type LikeInput<P> = P extends Value
  ? number | Tensor
  : P extends readonly Value[]
    ? number[]
    : { -readonly [K in keyof P]: LikeInput<P[K]> };

/**
 * A function of the input that returns something shaped like it: overloaded so number -> number and Tensor -> Tensor.
 *
 * @example
 * ```ts
 * const df: LikeInputFn<Lifted> = grad((x: Lifted) => mul(x, x));
 * df(3);             // 6 (number in, number out)
 * df(tensor([3]));   // Tensor [6]
 * ```
 */
export type LikeInputFn<P> = P extends Value
  ? { (x: number): number; (x: Tensor): Tensor; (x: number | Tensor | Lifted): Value }
  : P extends readonly Value[]
    ? (x: readonly (number | Lifted)[]) => number[]
    : (x: InputFor<P>) => LikeInput<P>;

/**
 * A Jacobian in the user's structures (cast to the form your input and output give, e.g. `as number[][]`).
 *
 * @example
 * ```ts
 * const J = jacobian((x: Lifted[]) => [mul(x[0]!, x[1]!), x[0]!])([2, 3]) as number[][]; // [[3, 2], [1, 0]]
 * ```
 */
export type Jacobian = number | Tensor | Value | Value[] | Value[][] | Tensor[] | Tree<Value>;

/** An input or output split into items. */
export interface Split {
  /** True when the user passed a flat JS array of items (numbers or scalars for inputs). */
  array: boolean;
  /** True when the user passed any other nesting of arrays and plain objects: `def` rebuilds it. */
  tree: boolean;
  /** The structure, leaves taken out. */
  def: TreeDef;
  items: Value[];
}

const isItem = isLeaf;

/**
 * A split of a single item.
 *
 * @example
 * ```ts
 * join(single(0), [5]); // 5
 * ```
 */
export function single(x: Value): Split {
  return { array: false, tree: false, def: LEAF, items: [x] };
}

/**
 * A split of a flat JS array of items.
 *
 * @example
 * ```ts
 * join(flat([0, 0]), [5, 6]); // [5, 6]
 * ```
 */
export function flat(items: readonly Value[]): Split {
  return { array: true, tree: false, def: { kind: "list", of: items.map(() => LEAF) }, items: items.slice() };
}

/** A split of any other structure, or a refusal naming what is wrong. */
function nested(api: string, x: unknown, what: string): Split {
  const { def, leaves } = flattenTree(api, x, what);
  return { array: false, tree: true, def, items: leaves as Value[] };
}

const isScalarItem = (v: unknown): boolean => typeof v === "number" || (v instanceof Lifted && exampleShape(v).length === 0);

/**
 * Splits a transform's input into items, validating it.
 *
 * @example
 * ```ts
 * splitInput("grad", [1, 2]); // { array: true, items: [1, 2] }
 * ```
 */
export function splitInput(api: string, x: unknown): Split {
  if (isItem(x)) return single(x);
  if (Array.isArray(x) && x.every(isScalarItem)) return flat(x as Value[]);
  if (Array.isArray(x) || (x !== null && typeof x === "object" && !(x instanceof Float64Array))) return nested(api, x, Array.isArray(x) ? "the input array" : "the input");
  return fail(api, `the input is ${describe(x)}`,
    "pass a number, a number[], a Tensor, or arrays and plain objects of them (a Float64Array goes in tensor(...))", TypeMismatchError);
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
  if (isItem(y)) return single(y);
  if (Array.isArray(y) && y.every(isItem)) return flat(y as Value[]);
  if (Array.isArray(y) || (y !== null && typeof y === "object" && Object.getPrototypeOf(y) === Object.prototype)) return nested(api, y, "f's result");
  return fail(api, `f returned ${describe(y)}`, "return a number, a Dual/Var, a Tensor, or arrays and plain objects of them", TypeMismatchError);
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
  if (shape.tree) return unflattenTree(shape.def, items) as T[];
  return shape.array ? items : (items[0] as T);
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
  return exampleShape(v);
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
  const s = exampleShape(y);
  if (s.reduce((a, b) => a * b, 1) !== 1) {
    fail(api, `f returned a Tensor of shape [${s.join(", ")}], not a scalar`,
      "reduce it (e.g. sum(...)) or use jacrev/jacobian for vector outputs", ShapeError);
  }
  return y;
}
