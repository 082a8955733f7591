/**
 * Loop-invariant code motion: subexpressions of a loop that do not change
 * from trip to trip (`h / 2` in `tmp[i] = y[i] + (h / 2) * k[i]`, the row
 * offset `c * d * d + row * d` of `qs[c * d * d + row * d + col]`) are
 * computed once, into a fresh local, just before the loop. V8 does not do
 * this for us: a division by a loop-invariant name measured 35% of a simple
 * loop's time. Every mode gains, and reverse mode twice: the forward sweep
 * computes the value once, and the adjoint reads a name instead of
 * recomputing the expression on every trip.
 *
 * A subexpression is invariant when it reads only literals, array lengths,
 * names the loop never writes, and elements of arrays the loop never writes
 * at invariant indices; only operations are moved (a bare name or element
 * is already one read). The ops are pure, so computing one before a loop
 * that runs no trip changes no result. Loops are processed innermost first,
 * so an invariant of an outer loop moves out of the inner loop and then,
 * from the local it lands in, out of the outer one. The new local goes
 * before the loop's counter init when that directly precedes the loop, so
 * the counted-loop pattern (init, then loop) stays intact.
 */
import { forEachExpr, forEachStmt, namesIn, writtenNames, type Expr, type Fn, type Stmt } from "./ir.ts";

class Hoister {
  private next = 0;
  /** The locals made here: each is assigned once, by the statement that moved out of a loop. */
  private readonly made = new Set<string>();
  constructor(private readonly locals: string[]) {}

  private fresh(): string {
    let name: string;
    do name = `$h${this.next++}`;
    while (this.locals.includes(name));
    this.locals.push(name);
    this.made.add(name);
    return name;
  }

  list(stmts: readonly Stmt[]): Stmt[] {
    const out: Stmt[] = [];
    for (const s of stmts) {
      if (s.k === "loop") {
        const inner: Stmt & { k: "loop" } = { ...s, body: this.list(s.body), update: this.list(s.update) };
        const written = writtenNames([...inner.body, ...inner.update]);
        const hoisted: Stmt[] = [];
        const loop = this.loop(inner, written, hoisted);
        const prev = out[out.length - 1];
        // Before the counter init, so that init and loop stay adjacent.
        if (hoisted.length > 0 && prev?.k === "assign" && written.has(prev.name)) out.splice(out.length - 1, 0, ...hoisted);
        else out.push(...hoisted);
        out.push(loop);
      } else if (s.k === "if") {
        out.push({ ...s, then: this.list(s.then), else: this.list(s.else) });
      } else {
        out.push(s);
      }
    }
    return out;
  }

  /** The loop with its invariant subexpressions replaced by names assigned in `hoisted`. */
  private loop(s: Stmt & { k: "loop" }, writes: ReadonlySet<string>, hoisted: Stmt[]): Stmt & { k: "loop" } {
    // A local made for a nested loop whose whole value is invariant here too moves out as a
    // whole (not as a copy of a new one), and is then no longer written in this loop.
    const written = new Set(writes);
    const body: Stmt[] = [];
    for (const b of s.body) {
      if (b.k === "assign" && this.made.has(b.name) && this.expr(b.value, written, [], false).invariant) {
        hoisted.push(b);
        written.delete(b.name);
      } else {
        body.push(b);
      }
    }
    s = { ...s, body };
    const top = (e: Expr): Expr => this.expr(e, written, hoisted).e;
    const stmt = (b: Stmt): Stmt => {
      switch (b.k) {
        case "assign": return { ...b, value: top(b.value) };
        case "store": return { ...b, index: top(b.index), value: top(b.value) };
        case "if": return { ...b, test: top(b.test), then: b.then.map(stmt), else: b.else.map(stmt) };
        case "return": return b.value === null ? b : { ...b, value: top(b.value) };
        // A nested loop's own invariants are already out; what is left varies with it, or was
        // moved into this body as an assignment (handled above as an assign).
        default: return b;
      }
    };
    return { ...s, test: top(s.test), body: s.body.map(stmt), update: s.update.map(stmt) };
  }

  /**
   * `e` with its largest invariant operations moved out, and whether what is
   * returned is invariant. Operands are visited with `parentVaries` false:
   * an invariant operand stays in place for its parent to decide (it may be
   * part of a larger invariant); a varying parent moves its invariant
   * operands out, and so does a statement's top (`parentVaries` true).
   */
  private expr(e: Expr, written: ReadonlySet<string>, hoisted: Stmt[], parentVaries = true): { e: Expr; invariant: boolean } {
    const lift = (x: { e: Expr; invariant: boolean }): Expr => {
      if (!x.invariant || x.e.k !== "op") return x.e;
      const name = this.fresh();
      hoisted.push({ k: "assign", name, value: x.e });
      return { k: "var", name };
    };
    switch (e.k) {
      case "num":
      case "len":
        return { e, invariant: true };
      case "var":
        return { e, invariant: !written.has(e.name) };
      case "read": {
        const index = this.expr(e.index, written, hoisted, false);
        const invariant = index.invariant && !written.has(e.arr);
        return { e: { ...e, index: invariant ? index.e : lift(index) }, invariant };
      }
      case "op": {
        const args = e.args.map((a) => this.expr(a, written, hoisted, false));
        const invariant = args.every((a) => a.invariant);
        if (invariant) {
          const whole = { e: { ...e, args: args.map((a) => a.e) }, invariant: true };
          return parentVaries ? { e: lift(whole), invariant: false } : whole;
        }
        return { e: { ...e, args: args.map(lift) }, invariant: false };
      }
      case "rel":
        return { e: { ...e, a: this.part(e.a, written, hoisted), b: this.part(e.b, written, hoisted) }, invariant: false };
      case "not":
        return { e: { ...e, a: this.part(e.a, written, hoisted) }, invariant: false };
      case "cond":
        return { e: { ...e, test: this.part(e.test, written, hoisted), a: this.part(e.a, written, hoisted), b: this.part(e.b, written, hoisted) }, invariant: false };
    }
  }

  /** An operand of a comparison or condition: its invariant operations moved out. */
  private part(e: Expr, written: ReadonlySet<string>, hoisted: Stmt[]): Expr {
    return this.expr(e, written, hoisted).e;
  }
}

/**
 * `fn` with loop-invariant operations computed before their loops (new
 * locals `$h0`, `$h1`, ...).
 *
 * @example
 * ```ts
 * hoistInvariants(checkFunction(parseFunction(src), {})); // `h / 2` inside a loop becomes `$h0`
 * ```
 */
export function hoistInvariants(fn: Fn): Fn {
  const locals = [...fn.locals];
  const body = new Hoister(locals).list(fn.body);
  return { ...fn, body, locals };
}

const REMAT_OPS = new Set(["add", "sub", "mul", "div", "neg"]);

/**
 * Whether `e` is arithmetic (+ - * / and negation) on names, literals,
 * lengths and elements of arrays in `fixed` (arrays nothing stores into,
 * whose elements keep their values for the whole call).
 */
function arithmetic(e: Expr, fixed: ReadonlySet<string>): boolean {
  if (e.k === "num" || e.k === "var" || e.k === "len") return true;
  if (e.k === "read") return fixed.has(e.arr) && arithmetic(e.index, fixed);
  return e.k === "op" && REMAT_OPS.has(e.op.name) && e.args.every((a) => arithmetic(a, fixed));
}

/** How many times each name is read, in every expression of `stmts` (nested statements included). */
function readCounts(stmts: readonly Stmt[]): Map<string, number> {
  const counts = new Map<string, number>();
  forEachExpr(stmts, (e) => { if (e.k === "var") counts.set(e.name, (counts.get(e.name) ?? 0) + 1); });
  return counts;
}

/**
 * Hoisted locals the adjoint computes again: by loop body, each with its
 * definition, in order, and whether they come after the body's last
 * statement's adjoint (the counter step's undo) or before everything.
 */
export interface Rematerializable {
  byBody: Map<readonly Stmt[], { defs: [string, Expr][]; afterLast: boolean }>;
  names: Set<string>;
}

/**
 * The locals the adjoint sweep computes again instead of the forward sweep
 * saving them: each is assigned once, at the top level of a loop's body,
 * and read only later in the same trip, from arithmetic on names that body
 * never writes, on the loop's counter, on such locals defined before it,
 * and on elements of arrays nothing stores into. They are the offsets made
 * here (`$h6 = $h8 + row * d` before the loop it came out of) and a
 * user's locals of the trip (`const o = 15 * i; const y0 = v[o + 11] -
 * v[o + 3];`). The adjoint of each trip starts by undoing the counter step;
 * computed right after it (at the very start when the loop has no
 * counter), the local has the value it had in that trip, since nothing
 * else it reads changes within the loop. A push and a pop per trip become
 * a few loads and operations; an active local still passes its adjoint on
 * to what it was computed from. The adjoint keeps the local as a name, so
 * its own loop-invariant code stays out of the inner loops. `counterOf`
 * names a loop's counter (stepped last), or null.
 *
 * @example
 * ```ts
 * rematerializable(normalize(fn), (loop) => counterOf(loop)?.name ?? null).names; // Set { "$h8", "$h6" }
 * ```
 */
export function rematerializable(fn: Fn, counterOf: (loop: Stmt & { k: "loop" }) => string | null): Rematerializable {
  const assigned = new Map<string, number>();
  const stored = new Set<string>();
  forEachStmt(fn.body, (s) => {
    if (s.k === "assign") assigned.set(s.name, (assigned.get(s.name) ?? 0) + 1);
    if (s.k === "store") stored.add(s.arr);
  });
  const fixed = new Set(fn.params.filter((p) => p.array && !stored.has(p.name)).map((p) => p.name));
  const allReads = readCounts(fn.body);
  const out: Rematerializable = { byBody: new Map(), names: new Set() };
  forEachStmt(fn.body, (s) => {
    if (s.k !== "loop") return;
    const written = writtenNames(s.body);
    const counter = counterOf(s);
    const defs: [string, Expr][] = [];
    s.body.forEach((b, at) => {
      if (b.k !== "assign" || assigned.get(b.name) !== 1 || !arithmetic(b.value, fixed)) return;
      // Every read comes later in the same trip (a value of the trip, as the adjoint recomputes it):
      // none before it in the body, in the loop's test or after the loop. (Source locals assigned once
      // are declared in the body and scoped to it; this keeps the rule true of any other name too.)
      if ((allReads.get(b.name) ?? 0) !== (readCounts(s.body.slice(at + 1)).get(b.name) ?? 0)) return;
      // Outer loops are visited first: their locals are set before this loop's trips begin.
      const known = (n: string) => n === counter || !written.has(n) || defs.some(([d]) => d === n);
      if ([...namesIn(b.value)].every(known)) {
        defs.push([b.name, b.value]);
        out.names.add(b.name);
      }
    });
    if (defs.length > 0) out.byBody.set(s.body, { defs, afterLast: counter !== null });
  });
  return out;
}
