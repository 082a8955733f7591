/**
 * The common base of the two derivative-carrying kinds, forward-mode `Dual`
 * and reverse-mode `Var`, and the `Value` union every op accepts.
 *
 * Each Lifted value sits at a *level*: one number per transform call or tape,
 * drawn from one counter, so a value created by an inner (later) transform
 * always has a higher level than one from an enclosing transform. An op
 * whose operands sit at several levels is handled by the highest one, which
 * treats the others as constants; that is what keeps nested derivatives free
 * of perturbation confusion. Nothing here knows any op: the registry hands
 * the op to `applyOp`.
 */
import type { Tensor } from "../tensor/tensor.ts";
import { fail, TypeMismatchError } from "../errors.ts";
import type { Op } from "./op.ts";

/**
 * Anything an op accepts: a number, a Tensor, or a Dual/Var (possibly nested).
 *
 * @example
 * ```ts
 * const v: Value = variable(2);
 * add(v, tensor([1, 2])); // a Var holding Tensor [3, 4]
 * ```
 */
export type Value = number | Tensor | Lifted;

/**
 * Base class of `Dual` and `Var`.
 *
 * @example
 * ```ts
 * const x = dual(2);
 * x instanceof Lifted; // true
 * x.mul(x).sin();      // ops are methods too
 * ```
 */
export abstract class Lifted<Self = AnyLifted> {
  /** The transform level this value belongs to; higher means more deeply nested. */
  abstract get level(): number;
  /** The primal value one level down (a number, Tensor, or a lower-level Lifted). */
  abstract readonly value: Value;
  /** Applies `op` to `args`, one of which is `this` at the highest level. */
  abstract applyOp(op: Op, args: Value[], params: unknown): Value;

  /**
   * Leading axes of `primal(this)` that belong to enclosing batch levels
   * (vmap) rather than to this value's own shape. A batched value's primal
   * holds every example, so shape checks read `exampleShape` instead.
   */
  get hiddenAxes(): number {
    const v = this.value;
    return v instanceof Lifted ? v.hiddenAxes : 0;
  }

  /** `applyOp` for one argument; subclasses may take a faster route for plain scalars. */
  applyUnary(op: Op, x: Value): Value {
    return this.applyOp(op, [x], undefined);
  }

  /** `applyOp` for two arguments; subclasses may take a faster route for plain scalars. */
  applyBinary(op: Op, x: Value, y: Value): Value {
    return this.applyOp(op, [x, y], undefined);
  }

  /** The kind's name in messages ("Dual", "Var"); constructor names do not survive minification. */
  protected get kindName(): string {
    return "traced value";
  }

  /**
   * JavaScript operators (`*`, `+`, `>`, `Math.max`, a ternary on `x > 0`)
   * convert their operands to numbers. On a Dual or Var that conversion
   * would drop the derivative and give a silently wrong answer (NaN, or the
   * wrong branch), so it is refused. Only string conversion (template
   * strings, `String(x)`) is allowed: it is for reading, not arithmetic.
   *
   * @example
   * ```ts
   * grad((x) => (x > 0 ? mul(x, x) : x))(2); // throws TypeMismatchError: use gt(x, 0)
   * `${dual(2)}`;                            // "Dual(2, 1)"
   * ```
   */
  [Symbol.toPrimitive](hint: string): string {
    if (hint === "string") return this.toString();
    return refuseConversion(this.kindName);
  }

  /**
   * Refused for the same reason as `Symbol.toPrimitive`: reading a number
   * out of a traced value must be explicit (`.value`, `primal(x)`).
   *
   * @example
   * ```ts
   * dual(2).valueOf(); // throws TypeMismatchError
   * ```
   */
  valueOf(): never {
    return refuseConversion(this.kindName);
  }
}

function refuseConversion(kind: string): never {
  return fail(kind, `a ${kind} was converted to a primitive number by a JavaScript operator (*, +, -, /, <, >, ==, a ternary on a comparison) or Math function, which would silently drop its derivative`,
    "use the dualtape ops instead: mul, add, sub, div, pow for arithmetic, gt, lt, ge, le, eq for branches, maximum, minimum, abs for Math.max/min/abs; read .value only for a constant", TypeMismatchError);
}

// lib/ops/methods.ts declares the registry's ops as methods of every Lifted
// (returning its own kind: Var methods return Vars, Dual methods Duals);
// lib/registry/methods.ts installs them at runtime from the same registry.

/** A Lifted value of either kind (what a transform hands to f). */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface AnyLifted extends Lifted<AnyLifted> {}

/**
 * The innermost plain value (number or Tensor) under any number of wrappers.
 *
 * @example
 * ```ts
 * primal(dual(dual(3))); // 3
 * ```
 */
export function primal(v: Value): number | Tensor {
  let x: Value = v;
  while (x instanceof Lifted) x = x.value;
  return x;
}

/**
 * The shape of one example of `v`: its primal's shape without the leading
 * axes batch levels (vmap) hold; [] for a scalar.
 *
 * @example
 * ```ts
 * exampleShape(zeros([2, 3])); // [2, 3]
 * ```
 */
export function exampleShape(v: Value): number[] {
  const p = primal(v);
  if (typeof p === "number") return [];
  const hidden = v instanceof Lifted ? v.hiddenAxes : 0;
  return hidden === 0 ? p.shape : p.shape.slice(hidden);
}
