/**
 * Forward mode: a Dual is a value paired with its tangent(s) under one Tag.
 *
 * Design: one generic lift serves every op. For `op(args)` the Dual at the
 * highest level splits each argument carrying its tag into (value, tangent),
 * evaluates the op on the values (which may themselves be Duals of an enclosing
 * transform, Vars, Tensors or numbers) and asks the registry-derived
 * `pushforward` for the new tangent. Alternatives rejected: a method per op
 * on the Dual class (a second copy of every rule, duplicated again in
 * reverse mode), and untagged duals (perturbation confusion under nesting).
 *
 * Multi-lane tangents (a Float64Array, one entry per direction) let jacfwd
 * push a chunk of directions in one pass over the function.
 */
import { Lifted, primal, type Value } from "../registry/lifted.ts";
import { apply, type Op } from "../registry/op.ts";
import { pushforward } from "./pushforward.ts";
import { ZERO_LANES, type Tangent } from "../registry/combine.ts";
import { term } from "../registry/tangent-term.ts";
import { TensorLanes, laneOf, combineScalarLanes } from "../registry/lanes.ts";
import { installOpMethods } from "../registry/methods.ts";
import { formatNumber, printsAs } from "../tensor/format.ts";
import { Tensor } from "../tensor/tensor.ts";
import { fail, PerturbationError, TypeMismatchError, ShapeError, describe } from "../errors.ts";
import { shapeOf } from "../structure/structure.ts";
import { Tag } from "./tag.ts";
import { numberArray } from "../tensor/number-array.ts";

/**
 * A value with a tangent under a tag.
 *
 * @example
 * ```ts
 * const x = dual(2);          // value 2, tangent 1
 * const y = f(x);            // any function built from dualtape ops
 * y.tangent;                 // f'(2)
 * ```
 */
export class Dual extends Lifted<Dual> {
  readonly value: Value;
  /** The tangent: a Value (one lane) or a Float64Array of lanes. */
  readonly t: Tangent;
  readonly tag: Tag;

  constructor(value: Value, t: Tangent, tag: Tag) {
    super();
    this.value = value;
    this.t = t;
    this.tag = tag;
  }

  get level(): number {
    return this.tag.level;
  }

  /** The (single-lane) tangent; zero tangents of tensor values come back as zero tensors. */
  get tangent(): Value {
    const t = this.t;
    if (t instanceof Float64Array) {
      if (t.length <= 1) return t.length === 0 ? 0 : t[0];
      return fail("Dual.tangent", `this Dual carries ${t.length} lanes`, "read .tangents for multi-lane Duals", PerturbationError);
    }
    if (t instanceof TensorLanes) {
      if (t.count === 1) return laneOf(t, 0)!;
      return fail("Dual.tangent", `this Dual carries ${t.count} lanes`, "read .tangents for multi-lane Duals", PerturbationError);
    }
    if (t === 0 && this.value instanceof Tensor) return new Tensor(new Float64Array(this.value.size), this.value.shape);
    return t;
  }

  /** All lanes' tangents (one entry for a single-lane Dual; none for all-zero lanes). */
  get tangents(): Value[] {
    const t = this.t;
    if (t instanceof Float64Array) return t === ZERO_LANES ? [] : numberArray(t);
    if (t instanceof TensorLanes) return Array.from({ length: t.count }, (_, j) => laneOf(t, j)!);
    return [this.tangent];
  }

  applyOp(op: Op, args: Value[], params: unknown): Value {
    const tag = this.tag;
    if (!tag.active) escaped(tag);
    const n = args.length;
    const vals = new Array<Value>(n);
    const tans = new Array<Tangent | null>(n);
    for (let i = 0; i < n; i++) {
      const a = args[i];
      if (a instanceof Dual && a.tag === tag) {
        vals[i] = a.value;
        tans[i] = a.t;
      } else {
        vals[i] = a;
        tans[i] = null;
      }
    }
    const out = apply(op, vals, params);
    return new Dual(out, pushforward(op, vals, out, tans, params), tag);
  }

  override applyUnary(op: Op, x: Value): Value {
    const k = op.kernel;
    const v = this.value;
    const t = this.t;
    if (k !== null && typeof v === "number" && this.tag.active) {
      if (typeof t === "number" && k(v, 0, res)) return new Dual(res[0], term(res[1], t), this.tag);
      if (t instanceof Float64Array && k(v, 0, res)) return new Dual(res[0], combineScalarLanes(res[1], t, 0, null), this.tag);
    }
    return this.applyOp(op, [x], undefined);
  }

  override applyBinary(op: Op, x: Value, y: Value): Value {
    const k = op.kernel;
    const tag = this.tag;
    if (k === null || !tag.active) return this.applyOp(op, [x, y], undefined);
    const xd = x instanceof Dual && x.tag === tag;
    const yd = y instanceof Dual && y.tag === tag;
    const xv = xd ? (x as Dual).value : x;
    const yv = yd ? (y as Dual).value : y;
    const tx = xd ? (x as Dual).t : 0;
    const ty = yd ? (y as Dual).t : 0;
    if (typeof xv === "number" && typeof yv === "number" && typeof tx === "number" && typeof ty === "number" && k(xv, yv, res)) {
      // A constant operand contributes nothing (not 0 * partial, which is NaN for an infinite partial).
      const t = xd ? (yd ? term(res[1], tx) + term(res[2], ty) : term(res[1], tx)) : term(res[2], ty);
      return new Dual(res[0], t, tag);
    }
    if (typeof xv === "number" && typeof yv === "number" && lanesOrNone(xd, tx) && lanesOrNone(yd, ty) && k(xv, yv, res)) {
      return new Dual(res[0], combineScalarLanes(res[1], xd ? (tx as Float64Array) : null, res[2], yd ? (ty as Float64Array) : null), tag);
    }
    return this.applyOp(op, [x, y], undefined);
  }

  protected override get kindName(): string {
    return "Dual";
  }

  /**
   * A short readable summary, also what Node's `util.inspect` shows: the value, then
   * the tangent (a list for multi-lane scalar tangents, `lanes ...` for
   * multi-lane tensor tangents); Tensors print with their shape and a few
   * elements.
   *
   * @example
   * ```ts
   * String(dual(2));           // "Dual(2, 1)"
   * String(dual(2, [1, 0]));   // "Dual(2, [1, 0])"
   * ```
   */
  override toString(): string {
    const show = (v: unknown) => (typeof v === "number" ? formatNumber(v) : String(v));
    const t = this.t instanceof Float64Array ? `[${Array.from(this.t, formatNumber).join(", ")}]` : this.t instanceof TensorLanes ? `lanes ${String(this.t.t)}` : show(this.t);
    return `Dual(${show(this.value)}, ${t})`;
  }
}

installOpMethods(Dual.prototype);
printsAs(Dual);

/** True when an operand is not a Dual of this tag, or carries scalar lanes. */
function lanesOrNone(isDual: boolean, t: Tangent): boolean {
  return !isDual || t instanceof Float64Array;
}

/** Kernel results [value, partial0, partial1], reused by every scalar step (read before the next kernel call). */
const res = new Float64Array(3);

function escaped(tag: Tag): never {
  fail(tag.api, `a Dual created by a ${tag.api} call was used after that call returned`,
    "do not let Duals escape the function passed to the transform; return plain results instead", PerturbationError);
}

/** The tag used by `dual(...)` outside any transform: all hand-made duals share it, so they interact. */
const manualTag = new Tag("dual");

/**
 * Makes a forward-mode dual number by hand. A tangent array gives a
 * multi-lane Dual (one direction per entry); a number tangent on a Tensor
 * value fills every element with it.
 *
 * @example
 * ```ts
 * const x = dual(3);           // tangent 1
 * f(x).tangent;               // f'(3)
 * dual(2, [1, 0]).tangents;    // [1, 0]
 * ```
 */
export function dual(value: Value, tangent: Value | readonly number[] = 1): Dual {
  if (!isValue(value)) fail("dual", `the value is ${describe(value)}`, "pass a number, a Tensor, or a Dual/Var", TypeMismatchError);
  if (Array.isArray(tangent)) {
    if (typeof value !== "number") {
      fail("dual", `multi-lane tangents need a number value, got ${describe(value)}`, "use one Dual per direction for tensors", TypeMismatchError);
    }
    if (!tangent.every((t) => typeof t === "number")) {
      fail("dual", "the tangent lanes must all be numbers", "pass e.g. [1, 0, 0]", TypeMismatchError);
    }
    return new Dual(value, Float64Array.from(tangent as number[]), manualTag);
  }
  if (!isValue(tangent)) fail("dual", `the tangent is ${describe(tangent)}`, "pass a number or a Tensor shaped like the value", TypeMismatchError);
  const p = primal(value);
  if (typeof tangent === "number" && p instanceof Tensor) {
    // A number tangent on a Tensor value is that number in every direction (the default 1: all ones).
    return new Dual(value, new Tensor(new Float64Array(p.size).fill(tangent), p.shape), manualTag);
  }
  const vs = shapeOf(value);
  const ts = shapeOf(tangent as Value);
  if (vs.join(",") !== ts.join(",")) {
    fail("dual", `the tangent has shape [${ts.join(", ")}] but the value has shape [${vs.join(", ")}]`, "pass a tangent with the value's shape", ShapeError);
  }
  return new Dual(value, tangent as Value, manualTag);
}

function isValue(v: unknown): v is Value {
  return typeof v === "number" || v instanceof Tensor || v instanceof Lifted;
}

/**
 * True when `v` is a Dual.
 *
 * @example
 * ```ts
 * isDual(dual(1)); // true
 * ```
 */
export function isDual(v: unknown): v is Dual {
  return v instanceof Dual;
}
