/**
 * Which functions have a fused reverse pass (see fused-sweep.ts): the last
 * loop of the body runs each trip's adjoint right after the trip, so the
 * stacks hold one trip at a time instead of all of them. That is the
 * adjoint of the whole loop when the cotangents are known before it runs
 * (every caller that passes them at once: gradients, pullbacks, Jacobian
 * rows) and no trip reads what another writes:
 *
 * - the loop is the last statement, or is followed only by the return of a
 *   sum it accumulates, scaled or shifted by numbers fixed before the loop
 *   (`return 0.5 * s`, `return s / n`): the sum's adjoint is then the
 *   cotangent times a number known before the loop;
 * - every name its body writes is the counter (stepped by an integer
 *   literal as the body's last statement), a sum (`s += e`, read nowhere
 *   else in the loop), or private to a trip: every read in a trip comes
 *   after the trip has assigned it, on every path;
 * - every array it stores into is not read in the loop, and each element is
 *   written by one trip only: every store's index is a·i + b in the counter
 *   i with the same literal a for the array, offsets b that no two trips
 *   can make meet, and no store inside a nested loop.
 *
 * A trip's adjoint then reads only its own values and the ones the loop
 * never writes, and adds into adjoints that the other trips' adjoints only
 * add into as well, which is the adjoint the store-all sweep computes (the
 * sums in another order).
 */
import type { Expr, Fn, Stmt } from "./ir.ts";
import { forEachStmt, forEachExpr, namesIn, visitExpr } from "./ir.ts";
import { elementwiseOp } from "./registry.ts";
import { stepOf } from "./counted-loops.ts";
import { term } from "./replay.ts";

/** The loop a fused reverse pass runs trip by trip, and what its trips write. */
export interface Fusion {
  loop: Stmt & { k: "loop" };
  /** The sum `return s` hands on (its adjoint is the cotangent), or null for an array result. */
  sum: string | null;
  /** Every sum the loop accumulates (none is saved or restored inside it: no partial reads a sum). */
  sums: Set<string>;
  /** The statement after the loop (`$ret = s`), whose adjoint the fused pass gives by seeding the sum. */
  tail: Stmt | null;
  /** What the result's cotangent is multiplied by to give the sum's adjoint (`return 0.5 * s`: 0.5), or null for 1. */
  scale: Expr | null;
  /** Per private name, its first assignment in a trip: its old value belongs to the trip before, so it is neither saved nor restored. */
  firstWrites: Set<Stmt>;
  /** The counter: stepped back by the trip's adjoint, set forward again after it. */
  counter: string;
  /** Every scalar name the loop writes. */
  written: string[];
  /**
   * Whether the result array's cotangent can be read where its adjoint is:
   * only the loop stores into the result, and nothing reads it (not even
   * its length), so each element's adjoint is read once, by the store that
   * made the element, and no value of it is needed: the pass (whose caller,
   * a pullback, returns no value) neither makes nor fills the array, and
   * returns its length.
   */
  seedsResult: boolean;
  /** The assignments and stores of the loop's body that run at most once per trip (none inside a nested loop). */
  oncePerTrip: Set<Stmt>;
}

/**
 * The fused loop of `fn`, or null when its reverse pass cannot run trip by trip.
 *
 * @example
 * ```ts
 * fusion(normalize(fn), integerLocals(fn, act), act.vars)?.loop; // the last loop, when its trips are independent
 * ```
 */
export function fusion(fn: Fn, ints: ReadonlySet<string>, active: ReadonlySet<string>): Fusion | null {
  const body = fn.body;
  let at = body.length - 1;
  let tail: Stmt | null = null;
  if (fn.resultArray === null) {
    tail = body[at] ?? null;
    at--;
  }
  const loop = body[at];
  if (loop?.k !== "loop" || loop.update.length > 0) return null;
  const counter = counterOf(loop, ints);
  if (counter === null) return null;
  const names = classify(loop, counter.name);
  if (names === null) return null;
  let sum: string | null = null;
  let scale: Expr | null = null;
  if (tail !== null) {
    if (tail.k !== "assign" || tail.name !== "$ret") return null;
    const fixed = (n: string) => !names.written.has(n) && !active.has(n);
    const found = [...names.sums].map((s) => ({ s, d: linearIn(tail.value, s, fixed) })).find((c) => c.d !== null);
    if (found === undefined) return null;
    sum = found.s;
    scale = found.d!.k === "num" && found.d!.v === 1 ? null : found.d!;
  }
  if (!storesApart(loop, counter.name, counter.step)) return null;
  return { loop, sum, sums: names.sums, tail, scale, firstWrites: names.firstWrites, counter: counter.name, written: [...names.written], seedsResult: onlyStoredBy(fn, loop), oncePerTrip: oncePerTrip(loop.body) };
}

const NUM = (v: number): Expr => ({ k: "num", v });

/** -e, as the registry's neg. */
function negated(e: Expr): Expr {
  return e.k === "num" ? NUM(-e.v) : { k: "op", op: elementwiseOp("neg")!, args: [e] };
}

/** Whether `e` reads only `fixed` names and numbers (no array elements: a store could change them). */
function isFixed(e: Expr, fixed: (name: string) => boolean): boolean {
  let ok = true;
  visitExpr(e, (x) => { if ((x.k === "var" && !fixed(x.name)) || x.k === "read") ok = false; });
  return ok;
}

/**
 * The derivative of `e` in the name `s`, when `e` reads s once, through
 * adds, subtracts, multiplications and divisions by values of `fixed`
 * names and numbers only (so it does not depend on s): `0.5 * s` gives
 * 0.5, `s / n` gives 1 / n. Null otherwise.
 *
 * @example
 * ```ts
 * linearIn(parse("0.5 * s + 1"), "s", () => true); // { k: "num", v: 0.5 }
 * ```
 */
export function linearIn(e: Expr, s: string, fixed: (name: string) => boolean): Expr | null {
  if (e.k === "var") return e.name === s ? NUM(1) : null;
  if (e.k !== "op") return null;
  const holds = e.args.map((a) => namesIn(a).has(s));
  if (holds.filter(Boolean).length !== 1) return null;
  const at = holds.indexOf(true);
  const inner = linearIn(e.args[at]!, s, fixed);
  if (inner === null) return null;
  const others = e.args.filter((_, k) => k !== at);
  if (others.some((o) => !isFixed(o, fixed))) return null;
  // The coefficient times the other operand, for the same op (mul or div) as e.
  const apply = (other: Expr): Expr => (inner.k === "num" && inner.v === 1 && e.op.name === "mul" ? other : { k: "op", op: e.op, args: [inner, other] });
  switch (e.op.name) {
    case "add": return inner;
    case "sub": return at === 0 ? inner : negated(inner);
    case "neg": return negated(inner);
    case "mul": return apply(others[0]!);
    case "div": return at === 0 ? apply(others[0]!) : null;
    default: return null;
  }
}

/** The assignments and stores of `stmts` outside nested loops. */
function oncePerTrip(stmts: readonly Stmt[], out = new Set<Stmt>()): Set<Stmt> {
  for (const s of stmts) {
    if (s.k === "assign" || s.k === "store") out.add(s);
    else if (s.k === "if") { oncePerTrip(s.then, out); oncePerTrip(s.else, out); }
  }
  return out;
}

/** Whether f's result array is stored into by `loop` only and read nowhere (its length included). */
function onlyStoredBy(fn: Fn, loop: Stmt): boolean {
  const res = fn.resultArray;
  if (res === null) return false;
  let ok = true;
  forEachExpr(fn.body, (e) => { if ((e.k === "read" || e.k === "len") && e.arr === res) ok = false; });
  const outside = fn.body.filter((s) => s !== loop);
  forEachStmt(outside, (s) => { if (s.k === "store" && s.arr === res) ok = false; });
  return ok;
}

/** The counter a loop's last statement steps by an integer literal, written nowhere else in it. */
function counterOf(loop: Stmt & { k: "loop" }, ints: ReadonlySet<string>): { name: string; step: number } | null {
  const last = loop.body[loop.body.length - 1];
  const step = stepOf(last, ints);
  if (step === null) return null;
  let other = false;
  forEachStmt(loop.body, (s) => { if (s !== last && s.k === "assign" && s.name === step.name) other = true; });
  return other ? null : step;
}

/** `x = x ± e` (or `x = e + x`) where e does not read x: its term e, else null. */
const termOf = (s: Stmt): Expr | null => (s.k === "assign" ? term(s) : null);

/**
 * Sorts the names a loop writes into the counter, sums and private names;
 * null when one is none of these.
 */
function classify(loop: Stmt & { k: "loop" }, counter: string): { sums: Set<string>; firstWrites: Set<Stmt>; written: Set<string> } | null {
  const written = new Set<string>();
  forEachStmt(loop.body, (s) => { if (s.k === "assign") written.add(s.name); });
  // Sums: every write accumulates, and nothing else of the loop reads the name.
  const sums = new Set<string>();
  for (const n of written) {
    if (n === counter) continue;
    let only = true;
    forEachStmt(loop.body, (s) => { if (s.k === "assign" && s.name === n && termOf(s) === null) only = false; });
    if (!only || namesIn(loop.test).has(n)) continue;
    // Read nowhere else: an accumulation reads n only as its own operand, so only its term is searched.
    let readElsewhere = false;
    forEachStmt(loop.body, (s) => {
      const exprs = s.k === "assign" && s.name === n ? [termOf(s)!] : exprsOf(s);
      exprs.forEach((e) => visitExpr(e, (x) => { if (x.k === "var" && x.name === n) readElsewhere = true; }));
    });
    if (!readElsewhere) sums.add(n);
  }
  // Private names: every read in a trip comes where the trip has assigned them on every path.
  const trip = assignedFirst(loop, written);
  for (const n of written) if (n !== counter && !sums.has(n) && trip.readEarly.has(n)) return null;
  return { sums, firstWrites: trip.firstWrites, written };
}

/**
 * Walks one trip of a loop in order, with the names it has assigned on
 * every path so far: the names of `tracked` read before that (in the loop's
 * test, or where some path has not assigned them yet), and the assignments
 * that come first on their path, outside nested loops (a nested loop's
 * next trip reads what its trip before wrote, so those keep their saves).
 */
function assignedFirst(loop: Stmt & { k: "loop" }, tracked: ReadonlySet<string>): { readEarly: Set<string>; firstWrites: Set<Stmt> } {
  const readEarly = new Set<string>();
  const firstWrites = new Set<Stmt>();
  // Names read anywhere so far (on any path): a write after a read is no first write, even where the read was early.
  const seen = new Set<string>();
  const read = (e: Expr, assigned: ReadonlySet<string>) => namesIn(e).forEach((n) => {
    seen.add(n);
    if (tracked.has(n) && !assigned.has(n)) readEarly.add(n);
  });
  const walk = (stmts: readonly Stmt[], assigned: Set<string>, nested: boolean): Set<string> => {
    for (const s of stmts) {
      if (s.k === "assign") {
        read(s.value, assigned);
        if (!assigned.has(s.name) && !seen.has(s.name) && !nested) firstWrites.add(s);
        assigned.add(s.name);
      } else if (s.k === "if") {
        read(s.test, assigned);
        const a = walk(s.then, new Set(assigned), nested);
        const b = walk(s.else, new Set(assigned), nested);
        assigned = new Set([...a].filter((n) => b.has(n)));
      } else if (s.k === "loop") {
        // Its body may not run: what it assigns counts for reads inside it only.
        read(s.test, assigned);
        walk(s.body, new Set(assigned), true);
        walk(s.update, new Set(assigned), true);
      } else {
        exprsOf(s).forEach((e) => read(e, assigned));
      }
    }
    return assigned;
  };
  read(loop.test, new Set());
  walk(loop.body, new Set(), false);
  return { readEarly, firstWrites };
}

/** The expressions a statement itself holds (not those of nested statements). */
function exprsOf(s: Stmt): Expr[] {
  switch (s.k) {
    case "assign": return [s.value];
    case "store": return [s.index, s.value];
    case "if": return [s.test];
    case "loop": return [s.test];
    case "return": return s.value === null ? [] : [s.value];
    case "alloc": return [s.size];
    default: return [];
  }
}

/**
 * Whether every array the loop stores into is one no trip reads and whose
 * elements no two trips write: indices a·i + b in the counter, one a per
 * array, and offsets b that differ by no multiple of a·step.
 */
function storesApart(loop: Stmt & { k: "loop" }, counter: string, step: number): boolean {
  const stores = new Map<string, { a: number; b: number }[]>();
  let ok = true;
  const visit = (stmts: readonly Stmt[], nested: boolean): void => {
    for (const s of stmts) {
      if (s.k === "store") {
        const f = affine(s.index, counter);
        if (nested || f === null || f.a === 0) ok = false;
        else stores.set(s.arr, [...(stores.get(s.arr) ?? []), f]);
      } else if (s.k === "if") { visit(s.then, nested); visit(s.else, nested); }
      else if (s.k === "loop") visit(s.body, true);
    }
  };
  visit(loop.body, false);
  if (!ok) return false;
  const read = new Set<string>();
  forEachExpr([loop], (e) => { if (e.k === "read") read.add(e.arr); });
  for (const [arr, fs] of stores) {
    if (read.has(arr)) return false;
    const a = fs[0]!.a;
    if (fs.some((f) => f.a !== a)) return false;
    const period = Math.abs(a * step);
    for (const f of fs) for (const g of fs) if (f.b !== g.b && (f.b - g.b) % period === 0) return false;
  }
  return true;
}

/**
 * `e` as a·i + b with integer literals a and b, or null.
 *
 * @example
 * ```ts
 * affine(parse("2 * i + 1"), "i"); // { a: 2, b: 1 }
 * ```
 */
export function affine(e: Expr, i: string): { a: number; b: number } | null {
  if (e.k === "num") return Number.isInteger(e.v) ? { a: 0, b: e.v } : null;
  if (e.k === "var") return e.name === i ? { a: 1, b: 0 } : null;
  if (e.k !== "op") return null;
  const [x, y] = e.args.map((arg) => affine(arg, i));
  if (x === null || x === undefined) return null;
  switch (e.op.name) {
    case "neg": return { a: -x.a, b: -x.b };
    case "add": return y ? { a: x.a + y.a, b: x.b + y.b } : null;
    case "sub": return y ? { a: x.a - y.a, b: x.b - y.b } : null;
    case "mul":
      if (!y || (x.a !== 0 && y.a !== 0)) return null;
      return x.a === 0 ? { a: x.b * y.a, b: x.b * y.b } : { a: x.a * y.b, b: x.b * y.b };
    default: return null;
  }
}
