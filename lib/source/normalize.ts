/**
 * Structured control flow for the reverse sweep: `break`, `continue` and
 * early `return` become flags, and the statements they would skip are
 * guarded by `if`s on those flags. Every statement list then runs to its
 * end or not at all, so the adjoint sweep only needs the branch decisions
 * and trip counts the forward sweep records. The returned value goes to the
 * local `$ret`. Flags are plain numbers (never differentiated or saved).
 */
import type { Expr, Fn, Stmt } from "./ir.ts";
import { forEachStmt } from "./ir.ts";

const flagVar = (name: string): Expr => ({ k: "var", name });
const set = (name: string, v: number): Stmt => ({ k: "assign", name, value: { k: "num", v } });
const notAny = (flags: readonly string[]): Expr =>
  flags.map((f): Expr => ({ k: "not", a: flagVar(f) })).reduce((a, b) => ({ k: "rel", rel: "&&", a, b }));

class Normalizer {
  readonly flags = new Set<string>();
  constructor(private earlyReturn: boolean) {}

  list(stmts: readonly Stmt[]): Stmt[] {
    const out: Stmt[] = [];
    for (let i = 0; i < stmts.length; i++) {
      const s = stmts[i];
      out.push(...this.statement(s));
      const exits = this.exits(s);
      const rest = this.list(stmts.slice(i + 1));
      if (exits.size === 0 || rest.length === 0) {
        out.push(...rest);
        return out;
      }
      out.push({ k: "if", test: notAny([...exits]), then: rest, else: [] });
      return out;
    }
    return out;
  }

  /** The flags a statement may set that stop the statements after it in the same list. */
  exits(s: Stmt): Set<string> {
    const out = new Set<string>();
    if (s.k === "return") { if (this.earlyReturn) out.add("$rf"); }
    else if (s.k === "break") out.add(`$b${s.loop}`);
    else if (s.k === "continue") out.add(`$k${s.loop}`);
    else if (s.k === "if") for (const b of [...s.then, ...s.else]) for (const f of this.exits(b)) out.add(f);
    else if (s.k === "loop") forEachStmt(s.body, (b) => { if (b.k === "return" && this.earlyReturn) out.add("$rf"); });
    return out;
  }

  statement(s: Stmt): Stmt[] {
    switch (s.k) {
      case "return": {
        const value = s.value === null ? [] : [{ k: "assign", name: "$ret", value: s.value } as Stmt];
        return this.earlyReturn ? [...value, this.flag("$rf", 1)] : value;
      }
      case "break": return [this.flag(`$b${s.loop}`, 1)];
      case "continue": return [this.flag(`$k${s.loop}`, 1)];
      case "if": return [{ k: "if", test: s.test, then: this.list(s.then), else: this.list(s.else) }];
      case "loop": return this.loop(s);
      default: return [s];
    }
  }

  flag(name: string, v: number): Stmt {
    this.flags.add(name);
    return set(name, v);
  }

  loop(s: Stmt & { k: "loop" }): Stmt[] {
    const brk = `$b${s.id}`;
    const cont = `$k${s.id}`;
    let hasBreak = false;
    let hasCont = false;
    let hasReturn = false;
    forEachStmt(s.body, (b) => {
      if (b.k === "break" && b.loop === s.id) hasBreak = true;
      if (b.k === "continue" && b.loop === s.id) hasCont = true;
      if (b.k === "return") hasReturn = true;
    });
    const stop = [...(hasReturn && this.earlyReturn ? ["$rf"] : []), ...(hasBreak ? [brk] : [])];
    const body = [...(hasCont ? [this.flag(cont, 0)] : []), ...this.list(s.body)];
    const update = stop.length > 0 ? [{ k: "if", test: notAny(stop), then: s.update, else: [] } as Stmt] : s.update;
    const test: Expr = stop.length > 0 ? { k: "rel", rel: "&&", a: notAny(stop), b: s.test } : s.test;
    return [...(hasBreak ? [this.flag(brk, 0)] : []), { k: "loop", id: s.id, test, body: [...body, ...update], update: [] }];
  }
}

/**
 * The function with structured exits only; its scalar result (if any) is
 * left in `$ret`. Flag names are added to the locals.
 *
 * @example
 * ```ts
 * const flat = normalize(fn); // no break/continue/return statements remain
 * ```
 */
export function normalize(fn: Fn): Fn {
  // Only a return before the end needs a flag: the last top-level return is the end anyway.
  let returns = 0;
  forEachStmt(fn.body, (s) => { if (s.k === "return") returns++; });
  const last = fn.body[fn.body.length - 1];
  const earlyReturn = returns > 1 || last?.k !== "return";
  const n = new Normalizer(earlyReturn);
  const body = n.list(fn.body);
  const extra = [...n.flags, ...(fn.resultArray === null ? ["$ret"] : [])];
  return { ...fn, body, locals: [...fn.locals, ...extra.filter((x) => !fn.locals.includes(x))] };
}
