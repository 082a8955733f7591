/**
 * Comparisons that a compiled gradient can guard. Code that branches on its
 * inputs (`if (gt(x, 0)) ...`) through these functions stays correct under
 * `compileGrad`: each comparison made while recording is remembered, and a
 * replay whose comparison comes out differently records the function again.
 * (A branch on a raw `.value` read cannot be seen and is not guarded.) The
 * recording in progress is found in the recording context
 * (lib/reverse/recording.ts).
 */
import { Lifted, primal, type Value } from "../registry/lifted.ts";
import { fail, describe, TypeMismatchError } from "../errors.ts";
import { Tensor } from "../tensor/tensor.ts";
import { activeRecording, type Comparison } from "../reverse/recording.ts";

export type { Comparison };

/**
 * Evaluates a comparison on plain numbers.
 *
 * @example
 * ```ts
 * compareNumbers("gt", 2, 1); // true
 * ```
 */
export function compareNumbers(kind: Comparison, x: number, y: number): boolean {
  switch (kind) {
    case "gt": return x > y;
    case "ge": return x >= y;
    case "lt": return x < y;
    case "le": return x <= y;
    case "eq": return x === y;
  }
}

function scalarOf(api: Comparison, v: Value, side: string): number {
  const p = primal(v);
  if (typeof p === "number") return p;
  if (p instanceof Tensor && p.size === 1) return p.data[0];
  return fail(api, `the ${side} operand is ${describe(v)}, not a scalar`, "compare scalars (index a tensor first)", TypeMismatchError);
}

function compare(kind: Comparison, a: Value, b: Value): boolean {
  const outcome = compareNumbers(kind, scalarOf(kind, a, "left"), scalarOf(kind, b, "right"));
  const observe = activeRecording()?.observe ?? null;
  if (observe !== null && (a instanceof Lifted || b instanceof Lifted)) observe(kind, a, b, outcome);
  return outcome;
}

/** a > b on primal values, guarded under compileGrad. @example `if (gt(x, 0)) ...` */
export const gt = (a: Value, b: Value): boolean => compare("gt", a, b);
/** a >= b on primal values, guarded under compileGrad. @example `if (ge(x, 0)) ...` */
export const ge = (a: Value, b: Value): boolean => compare("ge", a, b);
/** a < b on primal values, guarded under compileGrad. @example `while (lt(norm, 1000)) ...` */
export const lt = (a: Value, b: Value): boolean => compare("lt", a, b);
/** a <= b on primal values, guarded under compileGrad. @example `if (le(x, 0)) ...` */
export const le = (a: Value, b: Value): boolean => compare("le", a, b);
/** a === b on primal values, guarded under compileGrad. @example `if (eq(x, 0)) ...` */
export const eq = (a: Value, b: Value): boolean => compare("eq", a, b);
