/**
 * Activity analysis: which locals and arrays carry derivatives. A value is
 * active when it depends, through differentiable operations, on an argument
 * listed in `wrt`. Indices, conditions and lengths never carry derivatives,
 * so loop counters and flags stay plain numbers in the generated code and
 * get no tangent or adjoint. Flow-insensitive: a name active anywhere is
 * active everywhere, which is safe (only wasteful) and keeps it simple. A
 * local array that nothing reads carries no derivative either.
 */
import type { Expr, Fn } from "./ir.ts";
import { forEachExpr, forEachStmt } from "./ir.ts";

/** The active scalar names and array names of a function. */
export interface Activity {
  vars: Set<string>;
  arrays: Set<string>;
}

/**
 * Whether an expression's value carries a derivative, given the active names.
 *
 * @example
 * ```ts
 * isActive({ k: "var", name: "x" }, { vars: new Set(["x"]), arrays: new Set() }); // true
 * ```
 */
export function isActive(e: Expr, act: Activity): boolean {
  switch (e.k) {
    case "var": return act.vars.has(e.name);
    case "read": return act.arrays.has(e.arr);
    case "op": return e.args.some((a) => isActive(a, act));
    case "cond": return isActive(e.a, act) || isActive(e.b, act);
    default: return false;
  }
}

/**
 * Computes the active names of `fn` by propagating from the `wrt` parameters
 * to a fixed point.
 *
 * @example
 * ```ts
 * const act = activity(fn); act.vars.has("e"); // true for an accumulator of x
 * ```
 */
export function activity(fn: Fn): Activity {
  const act: Activity = { vars: new Set(), arrays: new Set() };
  for (const p of fn.params) if (p.wrt >= 0) (p.array ? act.arrays : act.vars).add(p.name);
  let changed = true;
  while (changed) {
    changed = false;
    forEachStmt(fn.body, (s) => {
      if (s.k === "assign" && !act.vars.has(s.name) && isActive(s.value, act)) {
        act.vars.add(s.name);
        changed = true;
      } else if (s.k === "store" && !act.arrays.has(s.arr) && isActive(s.value, act)) {
        act.arrays.add(s.arr);
        changed = true;
      }
    });
  }
  // A local array no expression reads (one whose reads were all forwarded, see forward-stores.ts)
  // passes no derivative on: its adjoint would only be cleared, so it carries none.
  const read = new Set<string>();
  forEachExpr(fn.body, (e) => { if (e.k === "read") read.add(e.arr); });
  for (const a of fn.arrays) if (!read.has(a.name) && a.name !== fn.resultArray) act.arrays.delete(a.name);
  return act;
}
