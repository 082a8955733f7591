/**
 * Reduction loops whose adjoint runs forward, replaying the loop instead of
 * popping what it saved.
 *
 * `for (j = 0; j < m; j++) { fit = fit + x[j] * power; power = power * t; }`
 * is a sum of terms: the adjoint of each trip adds into the adjoints of the
 * term's operands and leaves `fit`'s adjoint as it was, so the trips'
 * adjoints can run in any order. Run forward, they can recompute the
 * values they need (`power`) from the loop's entry state, exactly as the
 * primal did, instead of the forward sweep saving one value per trip and
 * the adjoint reading it back (llsq's sweep stored one power per inner
 * step, 16 MB at its largest size). The forward sweep then saves only the
 * entry values of the names the loop assigns.
 *
 * A counted loop (see counted-loops.ts) replays when every statement of its
 * body but the counter step is an assignment and each one either
 * - accumulates into an active name: `a = a + e` or `a = e + a` (or
 *   `a = a - e`), where no other statement of the body and not the test
 *   reads or writes `a`, and `e` does not read `a`; or
 * - assigns an inactive name (a recurrence such as `power = power * t`),
 * and every operation in the body is cheap to compute again (+ - * / and
 * negation: a transcendental's value would otherwise be popped, and there
 * is nothing to pop).
 */
import { forEachExpr, forEachStmt, namesIn, type Expr, type Stmt } from "./ir.ts";
import type { Activity } from "./activity.ts";
import type { CountedLoop } from "./counted-loops.ts";

const CHEAP = new Set(["add", "sub", "mul", "div", "neg", "square"]);

/** Whether `e` uses only cheap operations (and reads, names, literals, lengths). */
function cheap(e: Expr): boolean {
  switch (e.k) {
    case "num": case "var": case "len": return true;
    case "read": return cheap(e.index);
    case "op": return CHEAP.has(e.op.name) && e.args.every(cheap);
    default: return false;
  }
}

/** Whether `e` reads the name `n`. */
const reads = (e: Expr, n: string): boolean => namesIn(e).has(n);

/**
 * For an accumulation `a = a ± e` (or `e + a`), `e`; otherwise null.
 *
 * @example
 * ```ts
 * term(parsedAssignOf("fit = fit + x[j] * power")); // the expression x[j] * power
 * ```
 */
export function term(s: Stmt & { k: "assign" }): Expr | null {
  const v = s.value;
  if (v.k !== "op" || (v.op.name !== "add" && v.op.name !== "sub")) return null;
  const [x, y] = v.args;
  const isSelf = (e: Expr | undefined) => e?.k === "var" && e.name === s.name;
  if (isSelf(x) && y !== undefined && !reads(y, s.name)) return y;
  if (v.op.name === "add" && isSelf(y) && x !== undefined && !reads(x, s.name)) return x;
  return null;
}

/**
 * Whether the counted loop `s` (counter `c`) replays its adjoint forward,
 * and if so the names its body assigns other than the counter (whose entry
 * values the forward sweep saves).
 *
 * @example
 * ```ts
 * replayable(loop, counted, act); // ["fit", "power"] for llsq's inner loop
 * ```
 */
export function replayable(s: Stmt & { k: "loop" }, c: CountedLoop, act: Activity): string[] | null {
  const body = s.body.slice(0, -1);
  if (body.length === 0 || !body.every((b) => b.k === "assign")) return null;
  const assigns = body as (Stmt & { k: "assign" })[];
  let accumulates = false;
  for (const b of assigns) {
    if (!cheap(b.value)) return null;
    if (!act.vars.has(b.name)) continue;
    if (!accumulatesAlone(s, b)) return null;
    accumulates = true;
  }
  if (!accumulates) return null;
  return [...new Set(assigns.map((b) => b.name).filter((n) => n !== c.name))];
}

/**
 * The saved names a loop only accumulates into (see `accumulators`): the
 * forward sweep saves their value once, on entry, instead of before every
 * accumulation, and the adjoint restores it once, after the loop's adjoint.
 * A sum's adjoint never reads the sum, and nothing else in the loop reads
 * or writes it, so no value in between is ever needed.
 *
 * @example
 * ```ts
 * accumulators(loopOf("for (c = 0; c < k; c++) s = s + Math.exp(b[c] - top)"), saved); // ["s"]
 * ```
 */
export function accumulators(s: Stmt & { k: "loop" }, saved: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const b of s.body) if (b.k === "assign" && saved.has(b.name) && !out.includes(b.name) && accumulatesAlone(s, b)) out.push(b.name);
  return out;
}

/**
 * Whether `b` (a statement of loop `s`'s body) accumulates, `a = a ± e`,
 * and nothing else of the loop reads or writes `a`: not its test, not
 * another statement of its body (nested ones included), not its update.
 */
function accumulatesAlone(s: Stmt & { k: "loop" }, b: Stmt & { k: "assign" }): boolean {
  if (term(b) === null || reads(s.test, b.name)) return false;
  const others = [...s.body.filter((o) => o !== b), ...s.update];
  let alone = true;
  forEachStmt(others, (o) => { if (o.k === "assign" && o.name === b.name) alone = false; });
  forEachExpr(others, (e) => { if (e.k === "var" && e.name === b.name) alone = false; });
  return alone;
}
