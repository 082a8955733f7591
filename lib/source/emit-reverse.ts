/**
 * Reverse mode: a forward sweep that runs the primal and saves on typed-array
 * stacks what the adjoint sweep will need (the old value of a name or
 * element before each write, branch decisions, loop trip counts), then the
 * adjoint sweep, statement by statement in reverse order, with loops kept as
 * loops. Only names the adjoint code reads are saved: the emitter runs to a
 * fixed point on that set (saving a name can make index expressions read,
 * which makes more names needed). Operand values that are costly to compute
 * again (transcendental calls, `**`, helpers) are pushed by the forward sweep
 * and popped by the adjoint instead. Stacks live in `$S`, are reused across
 * calls and grow by doubling (runtime.ts), so the code never depends on trip counts.
 */
import { forEachExpr, forEachStmt, writtenNames, type Expr, type Fn, type Stmt } from "./ir.ts";
import type { Activity } from "./activity.ts";
import { emittingAlgebra } from "./algebra.ts";
import { adjointLines, type AdjointContext, type Hoist } from "./adjoint.ts";
import { Lines, primal } from "./emit-common.ts";
import { assembleSweep, assembleReverse, type Emitted } from "./assemble-reverse.ts";
import { Renderer } from "./sym.ts";
import { invertible, integerLocals } from "./invert.ts";
import { pushFloat, pushInt, pushName, popName } from "./stack-code.ts";
import { counting, tripCount, exitValue, type Counting } from "./counted-loops.ts";
import { branchBits, MAX_BRANCH_BITS } from "./branch-bits.ts";
import { replayable, accumulators } from "./replay.ts";
import type { CountedLoop } from "./counted-loops.ts";
import { rematerializable, type Rematerializable } from "./hoist.ts";
import { UNROLL, MAX_GROUPED_STATEMENTS, shifted, conflicts, counterStep, boundsCounter, forwardConflicts } from "./unroll.ts";


export type { Emitted };

/**
 * Emits both sweeps of a normalized function (see assemble-reverse.ts for
 * the functions around them), for one guess of the saved names.
 *
 * @example
 * ```ts
 * const e = new ReverseEmitter(fn, act, saved); e.reverseList(fn.body, lines); e.forwardList(fn.body, lines2);
 * ```
 */
export class ReverseEmitter {
  readonly R = new Renderer();
  ctx: AdjointContext;
  private temps = 0;
  /** Statements whose adjoint is not empty (branches and loops record decisions only for those). */
  private live = new Set<Stmt>();

  /** Per assignment, the costly operand values the forward sweep pushes for the adjoint (in push order). */
  private stored = new Map<Stmt, Expr[]>();

  /** Assignments undone by computing (integer counters), not by popping. */
  private inverse: Map<Stmt, string>;

  /** Statement lists (loop bodies, the function body) whose branch decisions one path variable packs (see branch-bits.ts). */
  private readonly paths = new Map<readonly Stmt[], string>();
  /** The path variable of the list being emitted, or null when its decisions are pushed one by one. */
  private path: string | null = null;
  private nextPath = 0;
  /** Path variables some decision took a bit from. */
  private taken = new Set<string>();
  /** Loops whose adjoint replays them forward, with the names whose entry values the sweep saves (see replay.ts). */
  private readonly replayed = new Map<Stmt, string[]>();
  /** Other loops, with the sums whose value the sweep saves once on entry instead of at each write (see accumulators in replay.ts). */
  private readonly entrySaved = new Map<Stmt, string[]>();

  /** Loop-invariant locals the adjoint computes again at the start of each trip instead of saving them (see rematerializable in hoist.ts). */
  private readonly remat: Rematerializable;

  constructor(readonly fn: Fn, readonly act: Activity, saved: ReadonlySet<string>, private readonly counted: Counting = counting(fn, act)) {
    this.R.reads = new Set();
    this.inverse = invertible(fn, act);
    this.remat = rematerializable(fn, (loop) => this.counterOf(loop)?.name ?? null);
    this.ctx = { A: emittingAlgebra(), R: this.R, act, saved, ints: integerLocals(fn, act), temp: () => `$t${this.temps++}`, hoist: null };
  }

  /** Whether the adjoint computes `name` again at the start of each trip of its loop (so it is never saved). */
  recomputes(name: string): boolean {
    return this.remat.names.has(name);
  }

  /** The adjoint of a statement list, in reverse order; true when it emitted anything. */
  reverse(stmts: readonly Stmt[], out: Lines): boolean {
    let any = false;
    // A loop trip's rematerializable locals get their values for the trip before anything reads
    // them: right after the undo of the counter step (the last statement), or first of all.
    const remat = this.remat.byBody.get(stmts);
    const define = () => remat?.defs.forEach(([name, def]) => out.line(`${name} = ${this.R.render(primal(def))};`));
    if (remat !== undefined && !remat.afterLast) define();
    for (let i = stmts.length - 1; i >= 0; i--) {
      if (this.reverseOne(stmts[i], out)) any = true;
      if (i === stmts.length - 1 && remat?.afterLast === true) define();
    }
    return any;
  }

  private reverseOne(s: Stmt, out: Lines): boolean {
    switch (s.k) {
      case "assign": {
        // A private counter's init needs no adjoint: each counted loop on it sets it (see counted-loops.ts).
        if (this.counted.inits.has(s)) return false;
        // Computed again at the start of every trip, never restored.
        if (this.remat.names.has(s.name)) return false;
        const undo = this.inverse.get(s);
        if (undo !== undefined) {
          if (this.counted.private.has(s.name)) {
            // Its step, undone on every trip; on its own that is no adjoint work (the loop stays dead).
            out.line(undo);
            return false;
          }
          if (!this.ctx.saved.has(s.name)) return false;
          out.line(undo);
          return true;
        }
        const stored: Expr[] = [];
        const lines = adjointLines(this.ctx, { name: s.name, index: null }, s.value, stored);
        if (lines.length === 0) return false;
        if (stored.length > 0) this.stored.set(s, stored);
        out.block("", () => lines.forEach((l) => out.line(l)));
        return true;
      }
      case "store": {
        const index = this.ctx.temp();
        const reads = this.R.reads;
        this.R.reads = new Set();
        const indexCode = this.R.render(primal(s.index));
        const indexReads = this.R.reads;
        this.R.reads = reads;
        const stored: Expr[] = [];
        const lines = adjointLines(this.ctx, { name: s.arr, index, code: indexCode }, s.value, stored);
        if (lines.length === 0) return false;
        if (stored.length > 0) this.stored.set(s, stored);
        for (const n of indexReads) reads!.add(n);
        out.block("", () => [`const ${index} = ${indexCode};`, ...lines].forEach((l) => out.line(l)));
        return true;
      }
      case "if": {
        const path = this.path;
        const thenOut = new Lines();
        const elseOut = new Lines();
        const anyThen = this.reverse(s.then, thenOut);
        const anyElse = this.reverse(s.else, elseOut);
        if (!anyThen && !anyElse) return false;
        this.live.add(s);
        if (path === null) {
          out.block("if ($is[--$ip])", () => out.append(thenOut));
          if (anyElse) out.block("else", () => out.append(elseOut));
          return true;
        }
        // Take this decision's bit (the lowest: it was recorded last) and shift it out for the ones before.
        this.taken.add(path);
        const bit = this.ctx.temp();
        out.block("", () => {
          out.line(`const ${bit} = ${path} & 1;`);
          out.line(`${path} >>= 1;`);
          out.block(`if (${bit})`, () => out.append(thenOut));
          if (anyElse) out.block("else", () => out.append(elseOut));
        });
        return true;
      }
      case "loop": {
        const counted = this.counted.loops.get(s);
        const names = counted === undefined ? null : replayable(s, counted, this.act);
        if (counted !== undefined && names !== null) return this.replay(s, counted, names, out);
        const body = new Lines();
        const outer = this.ctx;
        const hoist = this.hoistFor(s);
        // Sums the loop only accumulates into are saved once, on entry (see accumulators in replay.ts).
        const accs = accumulators(s, outer.saved);
        this.ctx = { ...outer, hoist, saved: new Set([...outer.saved].filter((n) => !accs.includes(n))) };
        const any = this.reverseList(s.body, body);
        const c = this.counted.loops.get(s);
        const grouped = any && c !== undefined ? this.groupedStores(s, c) : null;
        this.ctx = outer;
        if (!any) return false;
        this.live.add(s);
        this.entrySaved.set(s, accs);
        // Pushed in order before the loop, so popped in reverse after its adjoint.
        const restoreEntries = () => { for (let k = accs.length - 1; k >= 0; k--) out.line(popName(accs[k]!, this.ctx.ints)); };
        if (c === undefined) {
          // The trip count is popped first: it was pushed after the loop ran.
          out.block("", () => {
            out.line(`let $r${s.id} = $is[--$ip];`);
            hoist.lines.forEach((l) => out.line(l));
            out.block(`for (; $r${s.id} > 0; $r${s.id}--)`, () => out.append(body));
          });
          restoreEntries();
          return true;
        }
        const r = `$r${s.id}`;
        const render = (e: Expr) => this.R.render(primal(e));
        out.block("", () => {
          out.line(`let ${r} = ${tripCount(c, render)};`);
          out.line(`if (!(${r} > 0)) ${r} = 0;`);
          // A private counter enters at its exit value: init + step · trips.
          if (this.counted.private.has(c.name)) out.line(`${c.name} = ${exitValue(c, render, r)};`);
          hoist.lines.forEach((l) => out.line(l));
          if (grouped !== null) out.block(`for (; ${r} > ${UNROLL - 1}; ${r} -= ${UNROLL})`, () => out.append(grouped));
          out.block(`for (; ${r} > 0; ${r}--)`, () => out.append(body));
        });
        restoreEntries();
        return true;
      }
      default:
        return false;
    }
  }

  /**
   * The adjoint of a reduction loop run forward (see replay.ts): the entry
   * values of the names the loop assigns are popped (an accumulator's only
   * when some adjoint reads it), the loop runs again from them with each
   * accumulation's adjoint in place of the accumulation, and the names are
   * left at their entry values, as the store-all adjoint would leave them.
   * False when nothing in it is active.
   */
  private replay(s: Stmt & { k: "loop" }, c: CountedLoop, names: readonly string[], out: Lines): boolean {
    const { R } = this;
    const render = (e: Expr) => R.render(primal(e));
    // Nothing inside the loop is saved or restored: the replay recomputes it.
    const hoist = this.hoistFor(s);
    const ctx: AdjointContext = { ...this.ctx, saved: new Set([...this.ctx.saved].filter((n) => !names.includes(n))), hoist };
    const body = new Lines();
    let any = false;
    for (const b of s.body) {
      if (b.k !== "assign") continue;
      if (!this.act.vars.has(b.name)) {
        body.line(`${b.name} = ${render(b.value)};`);
        continue;
      }
      const stored: Expr[] = [];
      const lines = adjointLines(ctx, { name: b.name, index: null }, b.value, stored);
      if (stored.length > 0) throw new Error("compile: internal error: a replayed loop needs a saved value");
      if (lines.length > 0) any = true;
      body.block("", () => lines.forEach((l) => body.line(l)));
    }
    if (!any) return false;
    const unrolled = this.unrolled(s, c, ctx);
    this.live.add(s);
    // The replay recomputes the inactive names from their entry values; an accumulator's entry
    // value only matters to adjoints that read it (gmm's `z = 0` before each row saved nothing useful).
    const kept = names.filter((n) => !this.act.vars.has(n) || this.ctx.saved.has(n));
    this.replayed.set(s, kept);
    const entry = kept.map(() => this.ctx.temp());
    const r = `$r${s.id}`;
    out.block("", () => {
      // Pushed in order, so popped in reverse.
      for (let k = kept.length - 1; k >= 0; k--) out.line(`const ${entry[k]} = ${this.ctx.ints.has(kept[k]!) ? "$is[--$ip]" : "$fs[--$fp]"};`);
      out.line(`let ${r} = ${tripCount(c, render)};`);
      out.line(`if (!(${r} > 0)) ${r} = 0;`);
      out.line(`${c.name} = ${render(c.init)};`);
      kept.forEach((n, k) => out.line(`${n} = ${entry[k]};`));
      hoist.lines.forEach((l) => out.line(l));
      if (unrolled !== null) out.block(`for (; ${r} > ${UNROLL - 1}; ${r} -= ${UNROLL})`, () => out.append(unrolled));
      out.block(`for (; ${r} > 0; ${r}--)`, () => out.append(body));
      kept.forEach((n, k) => out.line(`${n} = ${entry[k]};`));
    });
    return true;
  }

  /**
   * The body of a replayed loop's adjoint for UNROLL trips at once (see
   * unroll.ts), or null when it has more statements than a group takes.
   * Trip j reads the counter as `c + j·step`; recurrences are computed in
   * turn, trip by trip. A sum's own adjoint passes through unchanged and the
   * increments write only adjoints of arrays, which no read of the group
   * reads, so every read that does not depend on a recurrence moves up.
   */
  private unrolled(s: Stmt & { k: "loop" }, c: CountedLoop, ctx: AdjointContext): Lines | null {
    const last = s.body[s.body.length - 1];
    const stmts = s.body.slice(0, -1) as (Stmt & { k: "assign" })[];
    const plain = last?.k === "assign" && last.name === c.name && stmts.length > 0 && stmts.length <= MAX_GROUPED_STATEMENTS
      && stmts.every((b) => b.k === "assign");
    if (!plain) return null;
    // Recurrences (power = power * t) run in turn, trip by trip; what reads them is not moved.
    const recurrences = new Set(stmts.filter((b) => !this.act.vars.has(b.name)).map((b) => b.name));
    const reads: string[] = [];
    const increments: string[] = [];
    const grouped: AdjointContext = { ...ctx, reads, pinned: recurrences };
    for (let j = 0; j < UNROLL; j++) {
      for (const b of stmts) {
        const value = shifted(b.value, c.name, j * c.step);
        if (recurrences.has(b.name)) increments.push(`${b.name} = ${this.R.render(primal(value))};`);
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
   */
  private groupedStores(s: Stmt & { k: "loop" }, c: CountedLoop): Lines | null {
    const last = s.body[s.body.length - 1];
    const stores = s.body.slice(0, -1);
    const readsOwnTarget = (b: Stmt & { k: "store" }) => { let hit = false; forEachExpr([b], (e) => { if (e.k === "read" && e.arr === b.arr) hit = true; }); return hit; };
    const plain = last?.k === "assign" && last.name === c.name && this.counted.private.has(c.name)
      && stores.length > 0 && stores.length <= MAX_GROUPED_STATEMENTS
      && stores.every((b) => b.k === "store" && !(this.ctx.saved.has(b.arr) && readsOwnTarget(b)));
    if (!plain || conflicts(stores as (Stmt & { k: "store" })[], c.name, c.step, this.act, (a) => this.ctx.saved.has(a))) return null;
    const reads: string[] = [];
    const writes: string[] = [];
    const grouped: AdjointContext = { ...this.ctx, reads };
    for (let j = 0; j < UNROLL; j++) {
      const delta = -(j + 1) * c.step;
      for (let q = stores.length - 1; q >= 0; q--) {
        const b = stores[q] as Stmt & { k: "store" };
        const index = this.ctx.temp();
        const indexCode = this.R.render(primal(shifted(b.index, c.name, delta)));
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
   * What keeps its value through a loop's adjoint: every primal name the
   * loop's body (nested statements included) does not write. Restores only
   * write names the body writes, and the counter is written by its step.
   */
  private hoistFor(s: Stmt & { k: "loop" }): Hoist {
    const written = writtenNames(s.body);
    const primal = new Set([...this.fn.locals, ...this.fn.params.map((p) => p.name), ...this.fn.arrays.map((a) => a.name)]);
    return { invariant: (n) => primal.has(n) && !written.has(n), temps: new Set(), lines: [] };
  }

  /**
   * The counter that gives a loop's trip count without counting: its last
   * statement steps an integer local by a literal (`j = j + 1`), which no
   * other statement of the body writes. After normalization a break or
   * return guards that step with an `if`, so it runs exactly once per trip.
   */
  private counterOf(s: Stmt & { k: "loop" }): { name: string; step: number } | null {
    const last = s.body[s.body.length - 1];
    if (last?.k !== "assign" || !this.inverse.has(last) || last.value.k !== "op") return null;
    const writes = s.body.filter((b) => b !== last);
    let other = false;
    forEachStmt(writes, (b) => { if (b.k === "assign" && b.name === last.name) other = true; });
    const step = last.value.args[1];
    if (other || step?.k !== "num" || step.v === 0) return null;
    return { name: last.name, step: last.value.op.name === "add" ? step.v : -step.v };
  }

  /**
   * Computes into named constants the costly operand values the adjoint of
   * `s` pops (each once, inner ones first) and returns the names to push and
   * the assigned value reading them.
   */
  private costly(s: Stmt & { value: Expr }, out: Lines): { names: string[]; expr: Expr } {
    const names = new Map<Expr, string>();
    for (const e of this.stored.get(s) ?? []) {
      const name = this.ctx.temp();
      out.line(`const ${name} = ${this.R.render(primal(substitute(e, names)))};`);
      names.set(e, name);
    }
    return { names: [...names.values()], expr: substitute(s.value, names) };
  }

  /**
   * The adjoint of a loop body or of the function body: the branch
   * decisions of one trip (of the whole body) come as one popped path when
   * they fit, read before the statements' adjoints take their bits.
   */
  reverseList(stmts: readonly Stmt[], out: Lines): boolean {
    const outer = this.path;
    const name = `$p${this.nextPath++}`;
    this.path = branchBits(stmts) <= MAX_BRANCH_BITS ? name : null;
    const body = new Lines();
    const any = this.reverse(stmts, body);
    if (this.taken.has(name)) {
      this.paths.set(stmts, name);
      out.line(`${name} = $is[--$ip];`);
    }
    this.path = outer;
    out.append(body);
    return any;
  }

  /** The forward side of `reverseList`: decisions gather into the list's path, pushed once at its end. */
  forwardList(stmts: readonly Stmt[], out: Lines): void {
    const outer = this.path;
    const name = this.paths.get(stmts) ?? null;
    this.path = name;
    if (name !== null) out.line(`${name} = 0;`);
    this.forward(stmts, out);
    if (name !== null) out.line(pushInt(name));
    this.path = outer;
  }

  /** The forward sweep of a loop the adjoint does not replay. */
  private forwardLoop(s: Stmt & { k: "loop" }, out: Lines): void {
    const { R } = this;
    if (this.counted.loops.has(s)) {
      // The adjoint computes a counted loop's trip count: nothing to push.
      this.sweepGroup(s, out);
      out.block(`while (${R.render(primal(s.test))})`, () => this.forwardList(s.body, out));
      return;
    }
    const live = this.live.has(s);
    const counter = live ? this.counterOf(s) : null;
    if (live) out.line(`$n${s.id} = ${counter?.name ?? 0};`);
    out.block(`while (${R.render(primal(s.test))})`, () => { if (live && counter === null) out.line(`$n${s.id}++;`); this.forwardList(s.body, out); });
    if (counter !== null) out.line(pushInt(tripsFrom(counter, `$n${s.id}`)));
    else if (live) out.line(pushInt(`$n${s.id}`));
  }

  /**
   * Before a counted loop of element stores in the forward sweep, the loop
   * UNROLL trips at a time with the reads of all of them first (old values
   * it saves included; see unroll.ts), while the last of the UNROLL trips
   * still passes the test; the loop itself then runs what is left. The
   * pushes keep their order. Nothing when the body holds anything else, a
   * store pushes a costly operand, the counter is saved, or a read could
   * meet an earlier store of the group.
   */
  private sweepGroup(s: Stmt & { k: "loop" }, out: Lines): void {
    const last = s.body[s.body.length - 1];
    const step = last === undefined ? null : counterStep(last);
    const stores = s.body.slice(0, -1) as (Stmt & { k: "store" })[];
    if (step === null || stores.length === 0 || stores.length > MAX_GROUPED_STATEMENTS) return;
    const c = step.name;
    if (!stores.every((b) => b.k === "store" && !this.stored.has(b)) || (this.ctx.saved.has(c) && !this.inverse.has(last!))) return;
    if (!boundsCounter(s.test, c, step.by) || forwardConflicts(stores, c, step.by)) return;
    const { R } = this;
    const reads = new Lines();
    const writes = new Lines();
    const known = new Map<string, string>();
    // No store of the group comes before a read of the same element (forwardConflicts): each element is read once, first.
    const read = (code: string): string => {
      let name = known.get(code);
      if (name === undefined) {
        known.set(code, (name = this.ctx.temp()));
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
        if (this.ctx.saved.has(b.arr)) writes.line(pushFloat(read(`${b.arr}[${index}]`)));
        writes.line(`${b.arr}[${index}] = ${R.render(primal(substitute(value, names)))};`);
      }
    }
    out.block(`while (${R.render(primal(shifted(s.test, c, (UNROLL - 1) * step.by)))})`, () => {
      out.append(reads);
      out.append(writes);
      out.line(`${c} = ${c} ${step.by > 0 ? "+" : "-"} ${UNROLL * Math.abs(step.by)};`);
    });
  }

  /** The path variables both sweeps declare. */
  pathNames(): string[] {
    return [...this.paths.values()];
  }

  /** The forward sweep: the primal with pushes before writes of saved names and after live branches and loops. */
  forward(stmts: readonly Stmt[], out: Lines): void {
    const { R } = this;
    const saved = this.ctx.saved;
    for (const s of stmts) {
      if (s.k === "assign") {
        const value = this.costly(s, out);
        if (saved.has(s.name) && !this.inverse.has(s)) out.line(pushName(s.name, this.ctx.ints));
        value.names.forEach((n) => out.line(pushFloat(n)));
        out.line(`${s.name} = ${R.render(primal(value.expr))};`);
      } else if (s.k === "store") {
        const value = this.costly(s, out);
        const index = R.render(primal(s.index));
        if (saved.has(s.arr)) out.line(pushFloat(`${s.arr}[${index}]`));
        value.names.forEach((n) => out.line(pushFloat(n)));
        out.line(`${s.arr}[${index}] = ${R.render(primal(value.expr))};`);
      } else if (s.k === "if") {
        const live = this.live.has(s);
        const path = this.path;
        const record = (bit: number): string => (path === null ? pushInt(String(bit)) : `${path} = ${path} * 2${bit === 1 ? " + 1" : ""};`);
        out.block(`if (${R.render(primal(s.test))})`, () => { this.forward(s.then, out); if (live) out.line(record(1)); });
        if (live || s.else.length > 0) out.block("else", () => { this.forward(s.else, out); if (live) out.line(record(0)); });
      } else if (s.k === "alloc") {
        out.line(`${s.arr} = new Float64Array(${R.render(primal(s.size))});`);
      } else if (s.k === "loop" && this.replayed.has(s)) {
        // The adjoint replays this loop from its entry values: save those, and nothing inside.
        this.replayed.get(s)!.forEach((n) => out.line(pushName(n, this.ctx.ints)));
        out.block(`while (${R.render(primal(s.test))})`, () => {
          for (const b of s.body) if (b.k === "assign") out.line(`${b.name} = ${R.render(primal(b.value))};`);
        });
      } else if (s.k === "loop") {
        const accs = this.entrySaved.get(s) ?? [];
        accs.forEach((n) => out.line(pushName(n, this.ctx.ints)));
        const outer = this.ctx;
        this.ctx = { ...outer, saved: new Set([...outer.saved].filter((n) => !accs.includes(n))) };
        this.forwardLoop(s, out);
        this.ctx = outer;
      }
    }
  }
}

/** The trip count of a loop stepping `counter` from the value held in `start`: (end - start) / step. */
function tripsFrom(counter: { name: string; step: number }, start: string): string {
  const { name, step } = counter;
  const span = step > 0 ? `${name} - ${start}` : `${start} - ${name}`;
  return Math.abs(step) === 1 ? span : `(${span}) / ${Math.abs(step)}`;
}

/** `e` with the subexpressions in `names` (by identity) replaced by those names. */
/** The element reads of `e` not inside another read's index, in evaluation order. */
function elementReads(e: Expr, out: Expr[] = []): Expr[] {
  if (e.k === "read") out.push(e);
  else if (e.k === "op") e.args.forEach((a) => elementReads(a, out));
  else if (e.k === "rel") { elementReads(e.a, out); elementReads(e.b, out); }
  else if (e.k === "not") elementReads(e.a, out);
  else if (e.k === "cond") { elementReads(e.test, out); elementReads(e.a, out); elementReads(e.b, out); }
  return out;
}

function substitute(e: Expr, names: ReadonlyMap<Expr, string>): Expr {
  const n = names.get(e);
  if (n !== undefined) return { k: "var", name: n };
  switch (e.k) {
    case "read": return { ...e, index: substitute(e.index, names) };
    case "op": return { ...e, args: e.args.map((a) => substitute(a, names)) };
    case "rel": return { ...e, a: substitute(e.a, names), b: substitute(e.b, names) };
    case "not": return { ...e, a: substitute(e.a, names) };
    case "cond": return { ...e, test: substitute(e.test, names), a: substitute(e.a, names), b: substitute(e.b, names) };
    default: return e;
  }
}

/**
 * The sources of `sweep(...params)` (the forward sweep; returns the value)
 * and `reverse(...params, ...adjointArrays, $seed)` (the adjoint sweep: adds
 * into the adjoint arrays of array parameters in `wrt` and writes the
 * adjoints of number parameters into `$res[k]`), run one after the other.
 * Two functions, not one: V8 optimises a long function while its first loop
 * runs, before the adjoint loops have any type feedback, and then keeps
 * deoptimising in them; each sweep on its own gets its own feedback.
 *
 * @example
 * ```ts
 * const { sweep, reverse, constants } = emitReverse(normalize(fn), activity(fn));
 * ```
 */
export function emitReverse(fn: Fn, act: Activity): Emitted {
  let saved = new Set<string>();
  const counted = counting(fn, act);
  for (let round = 0; ; round++) {
    const e = new ReverseEmitter(fn, act, saved, counted);
    const adjoint = new Lines();
    e.reverseList(fn.body, adjoint);
    const reads = e.R.reads!;
    // Private counters are re-derived by the adjoint, and rematerializable locals computed again: never saved.
    const grown = [...reads].filter((n) => !saved.has(n) && isPrimalName(fn, n) && !counted.private.has(n) && !e.recomputes(n));
    if (grown.length === 0 || round > 20) {
      const forward = new Lines();
      e.forwardList(fn.body, forward);
      return { sweep: assembleSweep(e, saved, forward), reverse: assembleReverse(e, saved, adjoint), constants: e.R.constants };
    }
    saved = new Set([...saved, ...grown]);
  }
}

function isPrimalName(fn: Fn, n: string): boolean {
  return fn.locals.includes(n) || fn.params.some((p) => p.name === n) || fn.arrays.some((a) => a.name === n);
}
