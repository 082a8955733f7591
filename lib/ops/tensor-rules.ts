/**
 * Small helpers the structural tensor ops share: reading shapes off any
 * Value, validating axes, and normalising tangents and cotangents before a
 * rule uses them (a zero tangent may arrive as `null` or the number 0, a
 * tangent of a tensor argument may be a broadcastable number, a multi-lane
 * tangent is refused). Rules stay written against the algebra `A`.
 */
import { Lifted, primal, exampleShape, type Value } from "../registry/lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { sameShape } from "../tensor/broadcast.ts";
import type { Algebra } from "../registry/op.ts";
import type { KindOf } from "../registry/types.ts";
import { fail, describe, PerturbationError, ShapeError, TypeMismatchError } from "../errors.ts";

/** What a tensor op returns for an operand of type X: the same kind for a Dual/Var, R for plain values. */
export type Res<X, R> = [X] extends [Lifted] ? KindOf<X> : [X] extends [number | Tensor] ? R : Value;
/** What a binary tensor op returns: R for two plain operands, else the higher kind (Lifted when Dual meets Var). */
export type Res2<A, B, R> = [A] extends [number | Tensor]
  ? Res<B, R>
  : [B] extends [number | Tensor]
    ? Res<A, R>
    : [KindOf<A>] extends [KindOf<B>] ? KindOf<B> : [KindOf<B>] extends [KindOf<A>] ? KindOf<A> : [A | B] extends [Lifted] ? Lifted : Value;

/** A tensor op of one operand plus `Extra` arguments, as users call it. */
export type TensorFn<Extra extends unknown[], R> = <X extends Value>(x: X, ...extra: Extra) => Res<X, R>;
/** A tensor op of two operands (the product of a bilinear op), as users call it. */
export type ProductFn<R> = <A extends Value, B extends Value>(a: A, b: B) => Res2<A, B, R>;
/** A tensor op of a list of operands plus `Extra` arguments, as users call it. */
export type ListFn<Extra extends unknown[], R> = <X extends Value>(xs: readonly X[], ...extra: Extra) => Res<X, R>;

/**
 * `[2, 3]` for messages.
 *
 * @example
 * ```ts
 * fmt([2, 3]); // "[2, 3]"
 * ```
 */
export function fmt(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/**
 * The shape of a number, Tensor or Dual/Var (checking the kind).
 *
 * @example
 * ```ts
 * valueShape("sum", zeros([2, 3])); // [2, 3]
 * ```
 */
export function valueShape(api: string, v: unknown): number[] {
  if (v instanceof Lifted) return exampleShape(v);
  const p = v;
  if (typeof p === "number") return [];
  if (p instanceof Tensor) return p.shape;
  return fail(api, `expected a number, Tensor, Dual or Var, got ${describe(v)}`,
    Array.isArray(v) ? "wrap arrays with tensor(...) first" : "pass a number, Tensor, Dual or Var", TypeMismatchError);
}

/**
 * An axis in `[-rank, rank)` made non-negative.
 *
 * @example
 * ```ts
 * normAxis("sum", -1, 3); // 2
 * ```
 */
export function normAxis(api: string, axis: unknown, rank: number): number {
  if (!Number.isInteger(axis)) {
    fail(api, `axis ${describe(axis)} is not an integer`, "pass an integer axis (negative counts from the end)", TypeMismatchError);
  }
  const a = axis as number;
  if (a < -rank || a >= rank) {
    fail(api, `axis ${a} is out of range for a value of rank ${rank}`,
      rank === 0 ? "scalars have no axes: omit the axis" : `use an axis in ${-rank}..${rank - 1}`, ShapeError);
  }
  return a < 0 ? a + rank : a;
}

/**
 * Checks that `v` is an integer (an index, a bound, an extent).
 *
 * @example
 * ```ts
 * checkInteger("index", "i", 2);
 * ```
 */
export function checkInteger(api: string, what: string, v: unknown): number {
  if (!Number.isInteger(v)) fail(api, `${what} ${describe(v)} is not an integer`, `pass a whole number as ${what}`, TypeMismatchError);
  return v as number;
}

/**
 * A plain operand as a Tensor (a number becomes a 0-d Tensor).
 *
 * @example
 * ```ts
 * asTensor(3).shape; // []
 * ```
 */
export function asTensor(x: number | Tensor): Tensor {
  return typeof x === "number" ? new Tensor(Float64Array.of(x), []) : x;
}

/**
 * A result of `shape` from `data`: a number when the shape is [] (scalars
 * are numbers throughout), else a Tensor.
 *
 * @example
 * ```ts
 * result(Float64Array.of(5), []); // 5
 * ```
 */
export function result(data: Float64Array, shape: readonly number[]): number | Tensor {
  return shape.length === 0 ? data[0] : new Tensor(data, shape);
}

/**
 * Zeros of `shape` (the number 0 for []).
 *
 * @example
 * ```ts
 * zerosOf([2]); // Tensor [0, 0]
 * ```
 */
export function zerosOf(shape: readonly number[]): number | Tensor {
  let size = 1;
  for (const d of shape) size *= d;
  return result(new Float64Array(size), shape);
}

/**
 * An argument's tangent ready for a linear map: `null` for zero, broadcast
 * to the argument's shape if it arrived smaller (e.g. the number 1 for a
 * Tensor). Multi-lane tangents cannot pass tensor ops.
 *
 * @example
 * ```ts
 * tangentOf(G, "sum", 1, zeros([2])); // Tensor [1, 1]
 * ```
 */
export function tangentOf(A: Algebra, api: string, t: unknown, arg: Value): Value | null {
  if (t === null || t === undefined || t === 0) return null;
  if (t instanceof Float64Array) {
    fail(api, "a multi-lane tangent (jacfwd over a number[] input pushes several directions at once) reached a tensor op",
      "push one direction per pass: use jvp, or jacfwd with a Tensor input", PerturbationError);
  }
  const want = valueShape(api, arg);
  if (sameShape(valueShape(api, t), want)) return t as Value;
  return A.broadcastTo(t as Value, want);
}

/**
 * The output cotangent broadcast to the output's shape (a number seed for a Tensor output).
 *
 * @example
 * ```ts
 * cotangentOf(G, "sum", 1, zeros([2])); // Tensor [1, 1]
 * ```
 */
export function cotangentOf(A: Algebra, api: string, g: Value, out: Value): Value {
  const want = valueShape(api, out);
  if (sameShape(valueShape(api, g), want)) return g;
  return A.broadcastTo(g, want);
}

/**
 * A cotangent in the argument's kind: a one-element Tensor cotangent of a
 * number argument becomes a number, a number cotangent of a 0-d Tensor
 * argument becomes a 0-d Tensor.
 *
 * @example
 * ```ts
 * fitKind(G, tensor([2]), 3); // 2
 * ```
 */
export function fitKind(A: Algebra, ct: Value | null, arg: Value): Value | null {
  if (ct === null) return null;
  const pa = primal(arg);
  const pc = primal(ct);
  // A batch holds a Tensor of examples even where each example is a number: compare example shapes only.
  if (hasHiddenAxes(arg) || hasHiddenAxes(ct)) return exampleShape(arg).length === 0 && exampleShape(ct).length > 0 ? A.sum(ct) : ct;
  if (typeof pa === "number" && typeof pc !== "number") return A.sum(ct);
  if (typeof pa !== "number" && typeof pc === "number" && pa.shape.length === 0) return A.mul(ct, new Tensor(Float64Array.of(1), []));
  return ct;
}

function hasHiddenAxes(v: Value): boolean {
  return v instanceof Lifted && v.hiddenAxes > 0;
}
