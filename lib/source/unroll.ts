/**
 * Loops that run several trips at once, the reads of all of them before
 * their writes: in forward mode, in the forward sweep and in the adjoint
 * (reverse-groups.ts and emit-forward.ts build the groups; this file holds
 * what they share and the checks that make a group safe).
 *
 * V8 keeps typed-array loads in program order after a store to a typed
 * array (it cannot tell the arrays apart), so in a loop whose trips each
 * read a few elements and then write a few, every trip's loads wait for the
 * last trip's stores. Grouping the loads of UNROLL trips ahead of their
 * stores lets them overlap: gmm's triangular product measured 3.6x the
 * plain primal one trip at a time and 2.9x four at a time; ode's multiply
 * loops gained 12%, and chain's forward pass went from 2.2x to 1.5x.
 *
 * Moving a read above a write is safe when they cannot touch the same
 * element. An adjoint array is never a primal one, and two array names
 * never share an array that is written (derivative calls copy the arrays f
 * writes), so reads and writes meet only on one name. Every index in a group
 * must be the counter plus a literal; `conflicts` (adjoints) and
 * `forwardConflicts` (forward mode and the sweep) compare every read with
 * every earlier write of the group by array and offset.
 */
import { mapOperands, namesIn, visitExpr, type Expr, type Stmt } from "./ir.ts";
import type { Activity } from "./activity.ts";
import { findOp } from "./registry.ts";

/** Trips whose adjoints run as one group. */
export const UNROLL = 4;

/** Statements per trip beyond which a group is not worth the code it adds. */
export const MAX_GROUPED_STATEMENTS = 3;

/** `c + k` as an expression (`c`, `c + k` or `c - |k|`). */
function counterPlus(c: string, k: number): Expr {
  const v: Expr = { k: "var", name: c };
  if (k === 0) return v;
  return { k: "op", op: findOp(k > 0 ? "add" : "sub")!, args: [v, { k: "num", v: Math.abs(k) }] };
}

/**
 * `e` with the counter `c` read as `c + delta` (a trip of a group), an
 * index `c ± k` folded to one offset.
 *
 * @example
 * ```ts
 * shifted(indexOf("i - 1"), "i", -2); // the expression i - 3
 * ```
 */
export function shifted(e: Expr, c: string, delta: number): Expr {
  const k = counterOffset(e, c);
  return k !== null ? counterPlus(c, k + delta) : mapOperands(e, (x) => shifted(x, c, delta));
}

/**
 * The literal k of an index `c + k` (or `c - k`, `k + c`, `c`) on the
 * counter `c`, or null for any other index.
 *
 * @example
 * ```ts
 * counterOffset(parsedIndexOf("i - 1"), "i"); // -1
 * ```
 */
export function counterOffset(e: Expr, c: string): number | null {
  const isCounter = (x: Expr | undefined) => x?.k === "var" && x.name === c;
  if (isCounter(e)) return 0;
  if (e.k !== "op" || e.args.length !== 2) return null;
  const [a, b] = e.args;
  if (e.op.name === "add" && isCounter(a) && b?.k === "num") return b.v;
  if (e.op.name === "add" && isCounter(b) && a?.k === "num") return a.v;
  if (e.op.name === "sub" && isCounter(a) && b?.k === "num") return -b.v;
  return null;
}

/** An element access of one statement: its array and its offset from the counter (null when not `c + k`). */
interface Access {
  arr: string;
  offset: number | null;
}

/** The arrays `e` reads that `keep` selects, with their offsets. */
function reads(e: Expr, c: string, keep: (arr: string) => boolean): Access[] {
  const out: Access[] = [];
  visitExpr(e, (x) => { if (x.k === "read" && keep(x.arr)) out.push({ arr: x.arr, offset: counterOffset(x.index, c) }); });
  return out;
}

/** What one trip's adjoint of one store reads and writes, by array and offset. */
interface Unit {
  /** Adjoint elements read (the target's adjoint). */
  adjointReads: Access[];
  /** Adjoint elements written (the target's clear, the increments of the active arrays read). */
  adjointWrites: Access[];
  /** Primal elements read (those of saved arrays, which restores write), the target's included. */
  primalReads: Access[];
  /** Primal elements written (a saved target's restore). */
  primalWrites: Access[];
}

/**
 * Whether grouping UNROLL trips of the adjoint of `stores` (the body of a
 * counted loop on counter `c` stepping by `step`, in source order) could
 * move a read above a write to the same element. Trip j of a group (the
 * first one run is 0) sees the counter at `c - (j + 1)·step`; within a trip
 * the statements' adjoints run last statement first. Each unit (trip,
 * statement) reads its target's adjoint and primal values and then writes:
 * restores its target if it is `saved`, clears the target's adjoint and
 * increments those of the active arrays its value reads. Every unit's reads
 * move above every earlier unit's writes, so they must not meet: same array
 * and an offset from the counter that is equal or unknown.
 *
 * @example
 * ```ts
 * conflicts([k4store], "i", 1, act, () => false); // false for k4[i] = x[i] * tmp[i - 1]
 * ```
 */
export function conflicts(stores: readonly (Stmt & { k: "store" })[], c: string, step: number, act: Activity, saved: (arr: string) => boolean): boolean {
  const units: Unit[] = [];
  for (let j = 0; j < UNROLL; j++) {
    const shift = -(j + 1) * step;
    const at = (a: Access): Access => ({ arr: a.arr, offset: a.offset === null ? null : a.offset + shift });
    for (let q = stores.length - 1; q >= 0; q--) {
      const s = stores[q]!;
      const target = at({ arr: s.arr, offset: counterOffset(s.index, c) });
      units.push({
        adjointReads: [target],
        adjointWrites: [target, ...reads(s.value, c, (a) => act.arrays.has(a)).map(at)],
        primalReads: [target, ...reads(s.value, c, saved).map(at)],
        primalWrites: saved(s.arr) ? [target] : [],
      });
    }
  }
  const meet = (a: Access, b: Access) => a.arr === b.arr && (a.offset === null || b.offset === null || a.offset === b.offset);
  const hits = (rs: Access[], ws: Access[]) => rs.some((r) => ws.some((w) => meet(r, w)));
  return units.some((u, q) => units.slice(0, q).some((p) => hits(u.adjointReads, p.adjointWrites) || hits(u.primalReads, p.primalWrites)));
}

/**
 * Whether running UNROLL trips of a loop of `stores` (counter `c` stepping
 * by `step`) forward, in forward mode or in the forward sweep, with the
 * reads of all trips first could read an element an earlier store of the
 * group writes. Trip j sees the counter at `c + j·step`; a unit (trip,
 * statement) reads its target (whose old value the sweep may save) and
 * every array element its index and value read (primal and tangent alike,
 * at the same offsets), and writes its target.
 *
 * @example
 * ```ts
 * forwardConflicts([chainStore], "i", -1); // false for y[i] = y[i] + h * (x[i] * y[i - 1] - y[i])
 * ```
 */
export function forwardConflicts(stores: readonly (Stmt & { k: "store" })[], c: string, step: number): boolean {
  const units: { reads: Access[]; write: Access }[] = [];
  for (let j = 0; j < UNROLL; j++) {
    const at = (a: Access): Access => ({ arr: a.arr, offset: a.offset === null ? null : a.offset + j * step });
    for (const s of stores) {
      const target = at({ arr: s.arr, offset: counterOffset(s.index, c) });
      // The target counts as read too: the forward sweep saves its old value.
      units.push({ reads: [target, ...[...reads(s.index, c, () => true), ...reads(s.value, c, () => true)].map(at)], write: target });
    }
  }
  const meet = (a: Access, b: Access) => a.arr === b.arr && (a.offset === null || b.offset === null || a.offset === b.offset);
  return units.some((u, q) => units.slice(0, q).some((p) => u.reads.some((r) => meet(r, p.write))));
}

/**
 * The counter a statement steps by an integer literal (`i = i + 1`, `i = i - 2`), or null.
 *
 * @example
 * ```ts
 * counterStep(loop.update[0]); // { name: "i", by: -1 } for i--
 * ```
 */
export function counterStep(u: Stmt): { name: string; by: number } | null {
  if (u.k !== "assign" || u.value.k !== "op" || u.value.args.length !== 2) return null;
  const [a, b] = u.value.args;
  if (a?.k !== "var" || a.name !== u.name || b?.k !== "num" || b.v === 0 || !Number.isInteger(b.v)) return null;
  if (u.value.op.name === "add") return { name: u.name, by: b.v };
  if (u.value.op.name === "sub") return { name: u.name, by: -b.v };
  return null;
}

/**
 * Whether `test` compares the counter (plus a literal) with a bound free of
 * the counter and of array reads, in the direction the counter moves, so
 * that the test passing at some trip means it passed at every trip before.
 *
 * @example
 * ```ts
 * boundsCounter(loop.test, "i", 1); // true for i < n, false for i > n
 * ```
 */
export function boundsCounter(test: Expr, c: string, by: number): boolean {
  if (test.k !== "rel") return false;
  const rising = test.rel === "<" || test.rel === "<=";
  const falling = test.rel === ">" || test.rel === ">=";
  if (!rising && !falling) return false;
  const free = (e: Expr) => {
    let ok = !namesIn(e).has(c);
    visitExpr(e, (x) => { if (x.k === "read") ok = false; });
    return ok;
  };
  if (counterOffset(test.a, c) !== null && free(test.b)) return by > 0 ? rising : falling;
  if (counterOffset(test.b, c) !== null && free(test.a)) return by > 0 ? falling : rising;
  return false;
}
