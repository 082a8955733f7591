/**
 * Counted loops: loops whose trip count the adjoint sweep can compute from
 * the program's own values instead of popping it, and counters it can
 * re-derive instead of restoring.
 *
 * A loop is counted when the statement just before it sets its counter
 * (`i = init`), its test compares the counter with a bound (`i < bound`,
 * `i <= bound`, or `>`/`>=` for a falling counter; `i + k < bound` with a
 * literal k counts as `i < bound - k`), its last statement
 * steps the counter by an integer literal and nothing else in its body
 * writes the counter or any name the init or the bound reads. Neither reads
 * an array element (a store in the body could change it). After
 * normalization a `break`, `continue` or `return` in the body guards the
 * step or the test with a flag, so such loops are never counted. The trip
 * count is then a function of init and bound alone, and the counter's value
 * on each trip is init + step · trip.
 *
 * A counter is private when every write of it is the init or the step of a
 * counted loop on it and every read of it lies inside such a loop. The
 * adjoint sweep then sets it from init and the trip count as it enters each
 * loop, so the forward sweep saves neither its old values nor its trip
 * counts: in short inner loops (a 3-vector, a row of a small matrix) those
 * integers were as many stack entries as the values the adjoint needs.
 */
import { forEachStmt, writtenNames, namesIn, type Expr, type Fn, type Stmt } from "./ir.ts";
import type { Activity } from "./activity.ts";
import { integerLocals, isIntExpr } from "./invert.ts";
import { findOp } from "./registry.ts";

/** A counted loop: counter `name` runs from `init` by `step` while `name rel bound` holds. */
export interface CountedLoop {
  name: string;
  step: number;
  init: Expr;
  bound: Expr;
  rel: "<" | "<=" | ">" | ">=";
  /** Both init and bound are integer expressions (no rounding needed in the trip count). */
  integral: boolean;
}

/** The counted loops of a function and its private counters. */
export interface Counting {
  loops: Map<Stmt, CountedLoop>;
  /** Counters the adjoint sweep re-derives (never saved). */
  private: Set<string>;
  /** The init statements of counted loops on private counters (they need no adjoint). */
  inits: Set<Stmt>;
}

const FLIP = { "<": ">", "<=": ">=", ">": "<", ">=": "<=" } as const;

/** Whether `e` reads only scalar names and literals (no array element, comparison or condition). */
function isScalarExpr(e: Expr, names: Set<string>): boolean {
  switch (e.k) {
    case "num": return true;
    case "var": names.add(e.name); return true;
    case "len": return true;
    case "op": return e.args.every((a) => isScalarExpr(a, names));
    default: return false;
  }
}

/**
 * The step of `last` when it is `name = name ± k` with an integer literal k, else null.
 *
 * @example
 * ```ts
 * stepOf(loop.body.at(-1), ints); // { name: "i", step: 1 } for `i = i + 1`
 * ```
 */
export function stepOf(last: Stmt | undefined, ints: ReadonlySet<string>): { name: string; step: number } | null {
  if (last?.k !== "assign" || !ints.has(last.name) || last.value.k !== "op") return null;
  const { op, args } = last.value;
  const [a, b] = args;
  if ((op.name !== "add" && op.name !== "sub") || a?.k !== "var" || a.name !== last.name || b?.k !== "num" || !Number.isInteger(b.v) || b.v === 0) return null;
  return { name: last.name, step: op.name === "add" ? b.v : -b.v };
}

/**
 * For a test side that is the counter plus or minus a literal (`i`, `i + 1`,
 * `i - 2`), the offset to move to the other side as an expression (`0`,
 * `1`, `-2`); null for anything else.
 */
function offsetBound(e: Expr, name: string): Expr | null {
  if (e.k === "var") return e.name === name ? { k: "num", v: 0 } : null;
  if (e.k !== "op" || (e.op.name !== "add" && e.op.name !== "sub")) return null;
  const [x, k] = e.args;
  if (x?.k !== "var" || x.name !== name || k?.k !== "num" || !Number.isInteger(k.v)) return null;
  return { k: "num", v: e.op.name === "add" ? k.v : -k.v };
}

/** `bound - offset` (the bound itself when the offset is 0). */
function moved(bound: Expr, offset: Expr): Expr {
  if (offset.k !== "num" || offset.v === 0) return bound;
  const op = findOp(offset.v > 0 ? "sub" : "add")!;
  return { k: "op", op, args: [bound, { k: "num", v: Math.abs(offset.v) }] };
}

function countedLoop(prev: Stmt | undefined, loop: Stmt & { k: "loop" }, ints: ReadonlySet<string>): CountedLoop | null {
  if (loop.update.length > 0) return null;
  const counter = stepOf(loop.body[loop.body.length - 1], ints);
  if (counter === null || prev?.k !== "assign" || prev.name !== counter.name) return null;
  const { test } = loop;
  if (test.k !== "rel" || !(test.rel in FLIP)) return null;
  const rel0 = test.rel as keyof typeof FLIP;
  let rel: CountedLoop["rel"];
  let bound: Expr;
  const side = (e: Expr): Expr | null => offsetBound(e, counter.name);
  const a = side(test.a);
  const b = side(test.b);
  if (a !== null && b === null) [rel, bound] = [rel0, moved(test.b, a)];
  else if (b !== null && a === null) [rel, bound] = [FLIP[rel0], moved(test.a, b)];
  else return null;
  // A rising counter must approach its bound from below, a falling one from above.
  if ((counter.step > 0) !== (rel === "<" || rel === "<=")) return null;
  const reads = new Set<string>();
  if (!isScalarExpr(bound, reads) || !isScalarExpr(prev.value, reads) || reads.has(counter.name)) return null;
  const writes = writtenNames(loop.body.slice(0, -1));
  if (writes.has(counter.name) || [...reads].some((n) => writes.has(n))) return null;
  return { ...counter, init: prev.value, bound, rel, integral: isIntExpr(prev.value, ints) && isIntExpr(bound, ints) };
}

/** Every counted loop, with the init statement before it. */
function findLoops(stmts: readonly Stmt[], ints: ReadonlySet<string>, loops: Map<Stmt, CountedLoop>, inits: Map<Stmt, Stmt>): void {
  stmts.forEach((s, i) => {
    if (s.k === "loop") {
      const c = countedLoop(stmts[i - 1], s, ints);
      if (c !== null) { loops.set(s, c); inits.set(s, stmts[i - 1]!); }
      findLoops(s.body, ints, loops, inits);
    } else if (s.k === "if") {
      findLoops(s.then, ints, loops, inits);
      findLoops(s.else, ints, loops, inits);
    }
  });
}

/** Adds to `out` the names `e` reads that are not in `inside`. */
function namesOutside(e: Expr, inside: ReadonlySet<string>, out: Set<string>): void {
  for (const n of namesIn(e)) if (!inside.has(n)) out.add(n);
}

/** Names read outside every counted loop on them (so the adjoint cannot re-derive them there). */
function readsOutside(stmts: readonly Stmt[], loops: ReadonlyMap<Stmt, CountedLoop>, inside: ReadonlySet<string>, out: Set<string>): void {
  for (const s of stmts) {
    if (s.k === "assign") namesOutside(s.value, inside, out);
    else if (s.k === "store") { namesOutside(s.index, inside, out); namesOutside(s.value, inside, out); }
    else if (s.k === "if") { namesOutside(s.test, inside, out); readsOutside(s.then, loops, inside, out); readsOutside(s.else, loops, inside, out); }
    else if (s.k === "loop") {
      const c = loops.get(s);
      const within = c === undefined ? inside : new Set([...inside, c.name]);
      namesOutside(s.test, within, out);
      readsOutside(s.body, loops, within, out);
      readsOutside(s.update, loops, within, out);
    } else if (s.k === "return" && s.value !== null) namesOutside(s.value, inside, out);
    else if (s.k === "alloc") namesOutside(s.size, inside, out);
  }
}

/**
 * The counted loops of `fn` and its private counters.
 *
 * @example
 * ```ts
 * const c = counting(fn, act); // for `for (let j = 0; j < d; j++) s += x[j];`
 * c.private; // Set { "j" }
 * ```
 */
export function counting(fn: Fn, act: Activity): Counting {
  const ints = integerLocals(fn, act);
  const loops = new Map<Stmt, CountedLoop>();
  const initOf = new Map<Stmt, Stmt>();
  findLoops(fn.body, ints, loops, initOf);
  const inits = new Set(initOf.values());
  const steps = new Set([...loops.keys()].map((l) => (l as Stmt & { k: "loop" }).body.at(-1)!));
  const candidates = new Set([...loops.values()].map((c) => c.name));
  // Every write of a private counter is an init or a step of a counted loop on it.
  forEachStmt(fn.body, (s) => { if (s.k === "assign" && candidates.has(s.name) && !inits.has(s) && !steps.has(s)) candidates.delete(s.name); });
  const outside = new Set<string>();
  readsOutside(fn.body, loops, new Set(), outside);
  for (const n of outside) candidates.delete(n);
  for (const p of fn.params) candidates.delete(p.name);
  return {
    loops,
    private: candidates,
    inits: new Set([...initOf].filter(([l]) => candidates.has(loops.get(l)!.name)).map(([, s]) => s)),
  };
}

/**
 * The code of a counted loop's trip count from its init and bound. It is
 * negative, or NaN, when the test fails at once: the caller clamps it to 0.
 *
 * @example
 * ```ts
 * tripCount(loop, render); // "(d) - (0)" for `for (j = 0; j < d; j++)` over integers
 * ```
 */
export function tripCount(c: CountedLoop, render: (e: Expr) => string): string {
  const [from, to] = c.step > 0 ? [render(c.init), render(c.bound)] : [render(c.bound), render(c.init)];
  const size = Math.abs(c.step);
  const diff = from === "0" ? to : `${wrap(to)} - ${wrap(from)}`;
  const span = size === 1 ? diff : `(${diff}) / ${size}`;
  const exact = c.integral && size === 1;
  if (c.rel === "<" || c.rel === ">") return exact ? span : `Math.ceil(${span})`;
  return exact ? `${span} + 1` : `Math.floor(${span}) + 1`;
}

/**
 * The counter's value after `trips` trips of a counted loop: init + step · trips.
 *
 * @example
 * ```ts
 * exitValue(loop, render, "$r3"); // "$r3" for `for (j = 0; j < d; j++)`
 * ```
 */
export function exitValue(c: CountedLoop, render: (e: Expr) => string, trips: string): string {
  const init = render(c.init);
  const moved = c.step === 1 ? trips : `${trips} * ${c.step}`;
  return init === "0" ? moved : `${wrap(init)} + ${moved}`;
}

/** `code` in parentheses unless it is a name or a non-negative number. */
const wrap = (code: string): string => (/^[\w$.]+$/.test(code) ? code : `(${code})`);
