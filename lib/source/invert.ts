/**
 * Assignments the reverse sweep can undo by computing instead of popping:
 * `i = i + e` and `i = i - e` on a local that only ever holds integers,
 * where e is an integer literal or an integer expression of other names
 * (so the inverse is exact below 2^53). Loop counters are the common case:
 * undoing `i++` by `i--` saves one stack entry per iteration, often the
 * largest share of what the sweep saves; a running offset (`at += row + 1`,
 * where each row of a packed triangle starts) is another.
 */
import type { Expr, Fn, Stmt } from "./ir.ts";
import { forEachStmt, namesIn } from "./ir.ts";
import type { Activity } from "./activity.ts";
import { primal } from "./emit-common.ts";
import { Renderer } from "./sym.ts";


/**
 * Whether `e` is an integer whenever the locals in `ints` are.
 *
 * @example
 * ```ts
 * isIntExpr(parse("i * 4 + 1"), new Set(["i"])); // true
 * ```
 */
export function isIntExpr(e: Expr, ints: ReadonlySet<string>): boolean {
  switch (e.k) {
    case "num": return Number.isInteger(e.v);
    case "var": return ints.has(e.name);
    case "len": return true;
    case "op":
      if (e.op.elementwise?.integerValued === true) return true;
      if (["add", "sub", "mul", "neg", "fmod"].includes(e.op.name)) return e.args.every((a) => isIntExpr(a, ints));
      return false;
    default: return false;
  }
}

/**
 * Locals that hold integers on every assignment (the largest such set).
 *
 * @example
 * ```ts
 * integerLocals(fn, act); // Set { "i", "j" } for loop counters
 * ```
 */
export function integerLocals(fn: Fn, act: Activity): Set<string> {
  const ints = new Set(fn.locals.filter((n) => !act.vars.has(n)));
  let changed = true;
  while (changed) {
    changed = false;
    forEachStmt(fn.body, (s) => {
      if (s.k === "assign" && ints.has(s.name) && !isIntExpr(s.value, ints)) {
        ints.delete(s.name);
        changed = true;
      }
    });
  }
  return ints;
}

/**
 * The statements of `fn` whose old value is recomputed in the reverse sweep,
 * each with the code that undoes it (e.g. `i = i - 1;`). A step that reads
 * other names reads them at the statement's adjoint, where the reverse
 * sweep holds every name it reads at its value before the statement (the
 * emitter adds them to the names it reads).
 *
 * @example
 * ```ts
 * invertible(fn, act).get(updateOfI); // "i = i - 1;"
 * invertible(fn, act).get(stepOfAt); // "at = at - (row + 1);"
 * ```
 */
export function invertible(fn: Fn, act: Activity): Map<Stmt, string> {
  const ints = integerLocals(fn, act);
  const out = new Map<Stmt, string>();
  forEachStmt(fn.body, (s) => {
    if (s.k !== "assign" || !ints.has(s.name) || s.value.k !== "op") return;
    const { op, args } = s.value;
    const [a, b] = args;
    if ((op.name !== "add" && op.name !== "sub") || a?.k !== "var" || a.name !== s.name || b === undefined) return;
    const undo = op.name === "add" ? "-" : "+";
    if (b.k === "num") {
      if (Number.isInteger(b.v)) out.set(s, `${s.name} = ${s.name} ${undo} ${b.v};`);
    } else if (isIntExpr(b, ints) && !namesIn(b).has(s.name)) {
      out.set(s, `${s.name} = ${s.name} ${undo} ${new Renderer().render(primal(b), 12)};`);
    }
  });
  return out;
}
