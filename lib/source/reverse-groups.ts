/**
 * The loops the reverse emitter runs four trips at a time (see unroll.ts
 * for why and for the checks that make it safe): the adjoint of a replayed
 * sum, the adjoint of a loop of element stores, and the forward sweep of
 * such a loop. Each returns nothing when its loop does not qualify, and the
 * emitter then runs the loop one trip at a time only.
 */
import { forEachExpr, operandsOf, replaceNodes, type Expr, type Stmt } from "./ir.ts";
import type { Activity } from "./activity.ts";
import { adjointLines, type AdjointContext } from "./adjoint.ts";
import { Lines, primal } from "./emit-common.ts";
import type { Renderer } from "./sym.ts";
import { pushFloat } from "./stack-code.ts";
import type { CountedLoop, Counting } from "./counted-loops.ts";
import { UNROLL, MAX_GROUPED_STATEMENTS, shifted, conflicts, counterStep, boundsCounter, forwardConflicts } from "./unroll.ts";

/**
 * What the grouped loops read of the reverse emitter.
 *
 * @example
 * ```ts
 * const g: Grouping = { ctx, R, act, counted, stored, inverse }; // the emitter's own
 * ```
 */
export interface Grouping {
  ctx: AdjointContext;
  R: Renderer;
  act: Activity;
  counted: Counting;
  /** Per statement, the costly values the forward sweep pushes for it. */
  stored: ReadonlyMap<Stmt, Expr[]>;
  /** Statements undone by computing (counter steps). */
  inverse: ReadonlyMap<Stmt, string>;
}

/**
 * The body of a replayed loop's adjoint for UNROLL trips at once (see
 * unroll.ts), or null when it has more statements than a group takes.
 * Trip j reads the counter as `c + j·step`; recurrences are computed in
 * turn, trip by trip. A sum's own adjoint passes through unchanged and the
 * increments write only adjoints of arrays, which no read of the group
 * reads, so every read that does not depend on a recurrence moves up.
 *
 * @example
 * ```ts
 * const group = groupedSums(emitter.grouping, loop, counted, ctx); // for z = z + qs[h + col] * diff[col]
 * if (group !== null) out.block(`for (; $r > 3; $r -= 4)`, () => out.append(group));
 * ```
 */
export function groupedSums(g: Grouping, s: Stmt & { k: "loop" }, c: CountedLoop, ctx: AdjointContext): Lines | null {
  const last = s.body[s.body.length - 1];
  const stmts = s.body.slice(0, -1) as (Stmt & { k: "assign" })[];
  const plain = last?.k === "assign" && last.name === c.name && stmts.length > 0 && stmts.length <= MAX_GROUPED_STATEMENTS
    && stmts.every((b) => b.k === "assign");
  if (!plain) return null;
  // Recurrences (power = power * t) run in turn, trip by trip; what reads them is not moved.
  const recurrences = new Set(stmts.filter((b) => !g.act.vars.has(b.name)).map((b) => b.name));
  const reads: string[] = [];
  const increments: string[] = [];
  const grouped: AdjointContext = { ...ctx, reads, pinned: recurrences };
  for (let j = 0; j < UNROLL; j++) {
    for (const b of stmts) {
      const value = shifted(b.value, c.name, j * c.step);
      if (recurrences.has(b.name)) increments.push(`${b.name} = ${g.R.render(primal(value))};`);
      else increments.push(...adjointLines(grouped, { name: b.name, index: null }, value));
    }
  }
  const body = new Lines();
  [...reads, ...increments].forEach((l) => body.line(l));
  body.line(`${c.name} = ${c.name} + ${UNROLL * c.step};`);
  return body;
}

/**
 * The adjoint of UNROLL trips at once of a counted loop whose body is
 * element stores and the counter step (`k[i] = x[i] * y[i - 1]`; see
 * unroll.ts), or null when grouping does not apply: the counter is not
 * private, a saved target's old value would be restored into an array its
 * store reads, or a read could meet an earlier write. Pops stay in their
 * order among the reads. The trip j of the group sees the counter at
 * `c - (j + 1)·step`; after the group the counter has moved UNROLL steps back.
 *
 * @example
 * ```ts
 * groupedStores(emitter.grouping, loop, counted); // for k[i] = x[i] * tmp[i - 1]: four trips, reads first
 * ```
 */
export function groupedStores(g: Grouping, s: Stmt & { k: "loop" }, c: CountedLoop): Lines | null {
  const last = s.body[s.body.length - 1];
  const stores = s.body.slice(0, -1);
  const readsOwnTarget = (b: Stmt & { k: "store" }) => { let hit = false; forEachExpr([b], (e) => { if (e.k === "read" && e.arr === b.arr) hit = true; }); return hit; };
  const plain = last?.k === "assign" && last.name === c.name && g.counted.private.has(c.name)
    && stores.length > 0 && stores.length <= MAX_GROUPED_STATEMENTS
    && stores.every((b) => b.k === "store" && !(g.ctx.saved.has(b.arr) && readsOwnTarget(b)));
  if (!plain || conflicts(stores as (Stmt & { k: "store" })[], c.name, c.step, g.act, (a) => g.ctx.saved.has(a))) return null;
  const reads: string[] = [];
  const writes: string[] = [];
  const grouped: AdjointContext = { ...g.ctx, reads };
  for (let j = 0; j < UNROLL; j++) {
    const delta = -(j + 1) * c.step;
    for (let q = stores.length - 1; q >= 0; q--) {
      const b = stores[q] as Stmt & { k: "store" };
      const index = g.ctx.temp();
      const indexCode = g.R.render(primal(shifted(b.index, c.name, delta)));
      reads.push(`const ${index} = ${indexCode};`);
      writes.push(...adjointLines(grouped, { name: b.arr, index, code: indexCode }, shifted(b.value, c.name, delta)));
    }
  }
  const body = new Lines();
  [...reads, ...writes].forEach((l) => body.line(l));
  body.line(`${c.name} = ${c.name} - ${UNROLL * c.step};`);
  return body;
}

/**
 * Before a counted loop of element stores in the forward sweep, the loop
 * UNROLL trips at a time with the reads of all of them first (old values
 * it saves included; see unroll.ts), while the last of the UNROLL trips
 * still passes the test; the loop itself then runs what is left. The
 * pushes keep their order. Nothing when the body holds anything else, a
 * store pushes a costly operand, the counter is saved, or a read could
 * meet an earlier store of the group.
 *
 * @example
 * ```ts
 * sweepGroup(emitter.grouping, loop, out); // while (i + 3 < n) { ...reads..., ...pushes and stores..., i = i + 4; }
 * ```
 */
export function sweepGroup(g: Grouping, s: Stmt & { k: "loop" }, out: Lines): void {
  const last = s.body[s.body.length - 1];
  const step = last === undefined ? null : counterStep(last);
  const stores = s.body.slice(0, -1) as (Stmt & { k: "store" })[];
  if (step === null || stores.length === 0 || stores.length > MAX_GROUPED_STATEMENTS) return;
  const c = step.name;
  if (!stores.every((b) => b.k === "store" && !g.stored.has(b)) || (g.ctx.saved.has(c) && !g.inverse.has(last!))) return;
  if (!boundsCounter(s.test, c, step.by) || forwardConflicts(stores, c, step.by)) return;
  const { R } = g;
  const reads = new Lines();
  const writes = new Lines();
  const known = new Map<string, string>();
  // No store of the group comes before a read of the same element (forwardConflicts): each element is read once, first.
  const read = (code: string): string => {
    let name = known.get(code);
    if (name === undefined) {
      known.set(code, (name = g.ctx.temp()));
      reads.line(`const ${name} = ${code};`);
    }
    return name;
  };
  for (let j = 0; j < UNROLL; j++) {
    for (const b of stores) {
      const value = shifted(b.value, c, j * step.by);
      const names = new Map<Expr, string>();
      for (const r of elementReads(value)) names.set(r, read(R.render(primal(r))));
      const index = R.render(primal(shifted(b.index, c, j * step.by)));
      if (g.ctx.saved.has(b.arr)) writes.line(pushFloat(read(`${b.arr}[${index}]`)));
      writes.line(`${b.arr}[${index}] = ${R.render(primal(replaceNodes(value, names)))};`);
    }
  }
  out.block(`while (${R.render(primal(shifted(s.test, c, (UNROLL - 1) * step.by)))})`, () => {
    out.append(reads);
    out.append(writes);
    out.line(`${c} = ${c} ${step.by > 0 ? "+" : "-"} ${UNROLL * Math.abs(step.by)};`);
  });
}

/** The element reads of `e` not inside another read's index, in evaluation order. */
function elementReads(e: Expr, out: Expr[] = []): Expr[] {
  if (e.k === "read") out.push(e);
  else operandsOf(e).forEach((x) => elementReads(x, out));
  return out;
}
