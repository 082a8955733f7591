/**
 * The public function of a unary or binary elementwise op: plain numbers go
 * straight to the op's value, Duals and Vars to the highest-level operand,
 * anything else through the general dispatch. Compiled per op by
 * lib/codegen.ts (which says why), so each op's value is inlined into its
 * callers; `closureEntry` is the same logic where code generation is off.
 */
import { Lifted, type Value } from "./lifted.ts";
import { generated } from "../codegen.ts";
import type { Op, OpFn } from "./types.ts";
import { fail, TypeMismatchError } from "../errors.ts";

type Fast = (...x: number[]) => number;
type ApplyFn = (op: Op, args: Value[], params: unknown) => Value;
type Ref = { op: Op | null };

const UNARY = `
  return function entry(x, extra) {
    if (extra !== undefined) return wrongCount(ref.op, 2);
    if (typeof x === "number") return fast(x);
    if (x instanceof Lifted) return x.applyUnary(ref.op, x);
    return apply(ref.op, [x], undefined);
  };`;

const BINARY = `
  return function entry(x, y, extra) {
    if (extra !== undefined) return wrongCount(ref.op, 3);
    if (typeof x === "number") {
      if (typeof y === "number") return fast(x, y);
      if (y instanceof Lifted) return y.applyBinary(ref.op, x, y);
    } else if (x instanceof Lifted) {
      if (typeof y === "number") return x.applyBinary(ref.op, x, y);
      if (y instanceof Lifted) return (y.level > x.level ? y : x).applyBinary(ref.op, x, y);
    }
    return apply(ref.op, [x, y], undefined);
  };`;

/** The same entry as an ordinary closure (used where code generation is off). */
function closureEntry(arity: 1 | 2, fast: Fast, ref: Ref, apply: ApplyFn): OpFn {
  if (arity === 1) {
    return function entry(x: Value, extra?: unknown) {
      if (extra !== undefined) return wrongCount(ref.op!, 2);
      if (typeof x === "number") return fast(x);
      if (x instanceof Lifted) return x.applyUnary(ref.op!, x);
      return apply(ref.op!, [x], undefined);
    };
  }
  return function entry(x: Value, y: Value, extra?: unknown) {
    if (extra !== undefined) return wrongCount(ref.op!, 3);
    if (typeof x === "number") {
      if (typeof y === "number") return fast(x, y);
      if (y instanceof Lifted) return y.applyBinary(ref.op!, x, y);
    } else if (x instanceof Lifted) {
      if (typeof y === "number") return x.applyBinary(ref.op!, x, y);
      if (y instanceof Lifted) return (y.level > x.level ? y : x).applyBinary(ref.op!, x, y);
    }
    return apply(ref.op!, [x, y], undefined);
  };
}

/**
 * The error for calling an op with too many arguments. (A missing argument
 * arrives as undefined and is reported by the dispatch as "argument k is
 * undefined".) Checked through one extra parameter rather than `arguments`,
 * which would keep V8 from inlining the entry into its callers.
 */
function wrongCount(op: Op, atLeast: number): never {
  return fail(op.name, `expects ${op.arity} argument${op.arity === 1 ? "" : "s"}, got ${atLeast} or more`, `call ${op.name} with ${op.arity}`, TypeMismatchError);
}

/**
 * The public function of an elementwise op of arity 1 or 2 (`ref.op` is
 * filled in once the op is registered).
 *
 * @example
 * ```ts
 * const ref = { op: null };
 * const f = makeEntry(2, (a, b) => a * b, ref, apply);
 * ```
 */
export function makeEntry(arity: 1 | 2, fast: Fast, ref: Ref, apply: ApplyFn): OpFn {
  return generated<OpFn>(arity === 1 ? UNARY : BINARY, { fast, ref, apply, Lifted, wrongCount }, () => closureEntry(arity, fast, ref, apply));
}
