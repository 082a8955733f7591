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
 * Some loops save less: reduction loops replay (replay.ts), a sum a loop
 * only accumulates into is saved once on entry, hoisted offsets are computed
 * again at the start of each trip (hoist.ts), and loops of element stores
 * and sums run four trips at a time (reverse-groups.ts).
 */
import { forEachStmt, namesIn, replaceNodes, writtenNames, type Expr, type Fn, type Stmt } from "./ir.ts";
import type { Activity } from "./activity.ts";
import { emittingAlgebra } from "./algebra.ts";
import { adjointLines, type AdjointContext, type Hoist } from "./adjoint.ts";
import { Lines, primal } from "./emit-common.ts";
import { assembleSweep, assembleReverse, adjointWrites, type Emitted } from "./assemble-reverse.ts";
import { REVERSE_LANES } from "./reverse-lanes.ts";
import { Renderer, ref, type Arg } from "./sym.ts";
import { invertible, integerLocals } from "./invert.ts";
import { pushFloat, pushInt, pushName, popName, popOf } from "./stack-code.ts";
import { counting, tripCount, exitValue, type Counting } from "./counted-loops.ts";
import { branchBits, MAX_BRANCH_BITS } from "./branch-bits.ts";
import { replayable, accumulators } from "./replay.ts";
import type { CountedLoop } from "./counted-loops.ts";
import { rematerializable, type Rematerializable } from "./hoist.ts";
import { UNROLL } from "./unroll.ts";
import { groupedSums, groupedStores, sweepGroup, type Grouping } from "./reverse-groups.ts";
import { ValueKeys, earlierValues, laterValues, substitute } from "./available.ts";
import type { Fusion } from "./fusable.ts";


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

  /** Per loop, the name the statement just before it assigns (past statements whose adjoint is empty). */
  private readonly setJustBefore = new Map<Stmt, string>();
  /** Loop-invariant locals the adjoint computes again at the start of each trip instead of saving them (see rematerializable in hoist.ts). */
  private readonly remat: Rematerializable;

  /** Keys of computed values (see available.ts). */
  private readonly keys = new ValueKeys();
  /**
   * Per assignment whose output a partial of an earlier statement may take:
   * the place, just before its adjoint, for the line that captures that
   * output (before its restore), and the capture's name once written.
   */
  private readonly captures = new Map<Stmt, { write: (code: string) => void; name: string | null }>();

  /** The fused loop's code (see `fusedLoop`), which the forward code of a fused pass puts in the loop's place. */
  private fusedCode: Lines | null = null;

  /**
   * `fused`, when given, makes this the emitter of a fused reverse pass
   * (fused-sweep.ts): its loop's adjoint runs trip by trip inside the
   * forward code (`fusedLoop`), so the adjoint of the body skips the loop
   * and the statement after it.
   */
  constructor(readonly fn: Fn, readonly act: Activity, private readonly allSaved: ReadonlySet<string>, private readonly counted: Counting = counting(fn, act), readonly fused: Fusion | null = null) {
    this.R.reads = new Set();
    this.inverse = invertible(fn, act);
    this.remat = rematerializable(fn, (loop) => this.counterOf(loop)?.name ?? null);
    this.findSetJustBefore(fn.body);
    this.ctx = { A: emittingAlgebra(), R: this.R, act, saved: allSaved, ints: integerLocals(fn, act), temp: () => `$t${this.temps++}`, hoist: null };
  }

  /** What the grouped loops of reverse-groups.ts read of this emitter. */
  private get grouping(): Grouping {
    return { ctx: this.ctx, R: this.R, act: this.act, counted: this.counted, stored: this.stored, inverse: this.inverse };
  }

  /** Fills `setJustBefore` for every loop in `stmts` and the lists inside them. */
  private findSetJustBefore(stmts: readonly Stmt[]): void {
    stmts.forEach((s, i) => {
      if (s.k === "if") { this.findSetJustBefore(s.then); this.findSetJustBefore(s.else); }
      if (s.k !== "loop") return;
      this.findSetJustBefore(s.body);
      // Past statements whose adjoint is empty: counter inits and inactive rematerialized locals.
      let k = i - 1;
      const silent = (t: Stmt) => t.k === "assign" && (this.counted.inits.has(t) || (this.remat.names.has(t.name) && !this.act.vars.has(t.name)));
      while (k >= 0 && silent(stmts[k]!)) k--;
      const prev = stmts[k];
      if (k >= 0 && prev?.k === "assign") this.setJustBefore.set(s, prev.name);
    });
  }

  /** Whether the fixed point of emitReverse saves `name` once an adjoint reads it. */
  savable(name: string): boolean {
    return isPrimalName(this.fn, name) && !this.counted.private.has(name) && !this.recomputes(name);
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
    // A fused trip's adjoint runs right after the trip, whose locals still hold their values.
    const remat = this.fused?.loop.body === stmts ? undefined : this.remat.byBody.get(stmts);
    const define = () => remat?.defs.forEach(([name, def]) => out.line(`${name} = ${this.R.render(primal(def))};`));
    if (remat !== undefined && !remat.afterLast) define();
    const earlier = earlierValues(stmts, this.keys);
    const later = laterValues(stmts, this.keys);
    const captured = new Set<Stmt>([...later.values()].flatMap((m) => [...m.values()]));
    for (let i = stmts.length - 1; i >= 0; i--) {
      const s = stmts[i]!;
      if (captured.has(s)) this.captures.set(s, { write: out.reserve(), name: null });
      this.ctx.reuse = this.reuseFor(earlier.get(s), later.get(s));
      const emitted = this.reverseOne(s, out);
      this.ctx.reuse = undefined;
      if (emitted) any = true;
      if (i === stmts.length - 1 && remat?.afterLast === true) define();
    }
    return any;
  }

  /**
   * How a statement's partials name values the primal holds (see
   * available.ts). At its adjoint, every saved name holds its value from
   * just before the statement: an earlier statement's value is its name's,
   * if saved. A later statement's value is captured just before that
   * statement's restore, if its name is saved (so holds that value there).
   */
  private reuseFor(earlier: ReadonlyMap<string, string> | undefined, later: ReadonlyMap<string, Stmt & { k: "assign" }> | undefined): ((p: Arg) => Arg) | undefined {
    if ((earlier === undefined || earlier.size === 0) && later === undefined) return undefined;
    const saved = this.ctx.saved;
    // A name no adjoint read yet is saved from the next round on (emitReverse runs to a fixed point on
    // the names read), so it is used now too: a push and a pop cost less than a transcendental call.
    // Names that are never saved (private counters, rematerialized locals, sums saved on loop entry) are not.
    const holds = (n: string) => saved.has(n) || (!this.allSaved.has(n) && this.savable(n));
    const lookup = (code: string): Arg | null => {
      const name = earlier?.get(code);
      if (name !== undefined && holds(name)) return ref(name);
      const s = later?.get(code);
      const capture = s === undefined ? undefined : this.captures.get(s);
      if (s === undefined || capture === undefined || !holds(s.name)) return null;
      if (capture.name === null) {
        capture.name = this.ctx.temp();
        capture.write(`const ${capture.name} = ${s.name};`);
        this.R.reads!.add(s.name);
      }
      return ref(capture.name);
    };
    return (p) => substitute(p, this.keys, lookup);
  }

  private reverseOne(s: Stmt, out: Lines): boolean {
    switch (s.k) {
      case "assign": {
        // A private counter's init needs no adjoint: each counted loop on it sets it (see counted-loops.ts).
        if (this.counted.inits.has(s)) return false;
        // The fused pass seeds the sum that `return s` hands on instead.
        if (s === this.fused?.tail) return false;
        // Computed again at the start of every trip, never restored; an active one still passes its adjoint on.
        if (this.remat.names.has(s.name) && !this.act.vars.has(s.name)) return false;
        const undo = this.inverse.get(s);
        if (undo !== undefined) {
          if (this.counted.private.has(s.name)) {
            // Its step, undone on every trip; on its own that is no adjoint work (the loop stays dead).
            out.line(undo);
            return false;
          }
          if (!this.ctx.saved.has(s.name)) return false;
          // A step that reads other names needs their values here, as any adjoint line does.
          namesIn(s.value).forEach((n) => this.R.reads!.add(n));
          out.line(undo);
          return true;
        }
        const stored: Expr[] = [];
        // A private name's first write in a fused trip: its old value is the trip before's, restored by no one.
        const ctx = this.fused?.firstWrites.has(s) === true ? { ...this.ctx, saved: without(this.ctx.saved, [s.name]) } : this.ctx;
        const lines = this.keepCostly(s, adjointLines(ctx, { name: s.name, index: null }, s.value, stored));
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
        const lines = this.keepCostly(s, adjointLines(this.ctx, { name: s.arr, index, code: indexCode }, s.value, stored));
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
        // Its adjoint runs trip by trip in the forward code (fusedLoop).
        if (s === this.fused?.loop) return false;
        const counted = this.counted.loops.get(s);
        const names = counted === undefined ? null : replayable(s, counted, this.act);
        if (counted !== undefined && names !== null) return this.replay(s, counted, names, out);
        const body = new Lines();
        const outer = this.ctx;
        const hoist = this.hoistFor(s);
        // Sums the loop only accumulates into are saved once, on entry (see accumulators in replay.ts).
        const accs = accumulators(s, outer.saved);
        this.ctx = { ...outer, hoist, saved: new Set([...outer.saved].filter((n) => !accs.includes(n))), reuse: undefined };
        const any = this.reverseList(s.body, body);
        const c = this.counted.loops.get(s);
        const grouped = any && c !== undefined ? groupedStores(this.grouping, s, c) : null;
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
    const ctx: AdjointContext = { ...this.ctx, saved: new Set([...this.ctx.saved].filter((n) => !names.includes(n))), hoist, reuse: undefined };
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
    const unrolled = groupedSums(this.grouping, s, c, ctx);
    this.live.add(s);
    // The replay recomputes the inactive names from their entry values. An accumulator's entry
    // value only matters to adjoints that read it, and not even then when the statement just before
    // the loop assigns it (`z = 0`): that statement's own restore comes right after the replay.
    const setBefore = this.setJustBefore.get(s);
    const kept = names.filter((n) => !this.act.vars.has(n) || (this.ctx.saved.has(n) && n !== setBefore));
    this.replayed.set(s, kept);
    const entry = kept.map(() => this.ctx.temp());
    const r = `$r${s.id}`;
    out.block("", () => {
      // Pushed in order, so popped in reverse.
      for (let k = kept.length - 1; k >= 0; k--) out.line(`const ${entry[k]} = ${popOf(kept[k]!, this.ctx.ints)};`);
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
    // Kept in a trip's locals (see keepCostly): assigned, not pushed.
    const kept = this.keptCostly.get(s);
    (this.stored.get(s) ?? []).forEach((e, k) => {
      const name = kept?.[k] ?? this.ctx.temp();
      out.line(`${kept === undefined ? "const " : ""}${name} = ${this.R.render(primal(replaceNodes(e, names)))};`);
      names.set(e, name);
    });
    return { names: kept === undefined ? [...names.values()] : [], expr: replaceNodes(s.value, names) };
  }

  /**
   * A fused trip's statement that runs at most once per trip: the costly
   * values its adjoint pops stay in locals of the function instead (the
   * adjoint runs in the same trip), so the pop lines go and the forward
   * code assigns those names. Other statements' lines are returned as they are.
   */
  private keepCostly(s: Stmt, lines: string[]): string[] {
    if (this.fused?.oncePerTrip.has(s) !== true) return lines;
    const popped: string[] = [];
    const rest = lines.filter((l) => {
      const m = POP_COSTLY.exec(l);
      if (m !== null) popped.push(m[1]!);
      return m === null;
    });
    if (popped.length === 0) return lines;
    // Popped in reverse of the order pushed: the names in push order.
    popped.reverse();
    this.keptCostly.set(s, popped);
    popped.forEach((n) => this.costlyLocals.add(n));
    return rest;
  }

  /** Whether this is a fused pass that makes no result array `arr` (see Fusion.seedsResult). */
  dropsResult(arr: string): boolean {
    return this.fused?.seedsResult === true && arr === this.fn.resultArray;
  }

  /** Per statement of a fused trip, the locals holding its costly values (in the order the adjoint expects them). */
  private readonly keptCostly = new Map<Stmt, string[]>();
  /** Every such local, declared by the fused function. */
  readonly costlyLocals = new Set<string>();

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
      // A fused trip's adjoint comes right after the trip: the path is still in its variable.
      if (stmts !== this.fused?.loop.body) out.line(`${name} = $is[--$ip];`);
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
    if (name !== null && stmts !== this.fused?.loop.body) out.line(pushInt(name));
    this.path = outer;
  }

  /** The forward sweep of a loop the adjoint does not replay. */
  private forwardLoop(s: Stmt & { k: "loop" }, out: Lines): void {
    const { R } = this;
    if (this.counted.loops.has(s)) {
      // The adjoint computes a counted loop's trip count: nothing to push.
      sweepGroup(this.grouping, s, out);
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
   * The fused loop (see fusable.ts): the sum's adjoint or the result's set
   * to the cotangent, the names the loop writes kept for the adjoint of
   * what comes before it, then each trip followed by its own adjoint. A
   * trip's adjoint steps the counter back and restores what it overwrote;
   * the counter is set forward again for the next trip. The stacks hold one
   * trip at a time: their high-water marks ($hf, $hi) tell the caller
   * whether they were large enough.
   */
  fusedLoop(): Lines {
    const f = this.fused!;
    const { R } = this;
    const outer = this.ctx;
    const hoist = this.hoistFor(f.loop);
    this.ctx = { ...outer, hoist, saved: without(outer.saved, f.sums), reuse: undefined };
    const adjoint = new Lines();
    this.reverseList(f.loop.body, adjoint);
    // The forward code's reads are no adjoint's: they make nothing saved.
    const reads = R.reads;
    R.reads = new Set();
    const forward = new Lines();
    this.forwardList(f.loop.body, forward);
    const test = R.render(primal(f.loop.test));
    R.reads = reads;
    this.ctx = outer;
    const out = new Lines();
    const res = this.fn.resultArray;
    if (f.sum !== null && this.act.vars.has(f.sum)) out.line(`${f.sum}$b = ${f.scale === null ? "" : `${R.render(primal(f.scale), 13)} * `}$seed;`);
    if (res !== null && this.act.arrays.has(res) && !f.seedsResult) out.line(`for (let $j = 0; $j < ${res}.length; $j++) ${res}$b[$j] = $seed[$j];`);
    for (const n of this.keptThroughFusion()) out.line(`${n}$v = ${n};`);
    hoist.lines.forEach((l) => out.line(l));
    // Each element's adjoint is read once, where it is made: from the cotangent, with no copy to clear.
    const trip = f.seedsResult && res !== null ? adjoint.mapped((lines) => readSeeds(lines, res)) : adjoint;
    out.block(`while (${test})`, () => {
      out.append(forward);
      // The high-water marks, where a trip pushes at all.
      const pushed = forward.text();
      if (pushed.includes("$fp++")) out.line("if ($fp > $hf) $hf = $fp;");
      if (pushed.includes("$ip++")) out.line("if ($ip > $hi) $hi = $ip;");
      out.line(`$cf = ${f.counter};`);
      out.append(trip);
      out.line(`${f.counter} = $cf;`);
    });
    this.fusedCode = out;
    return out;
  }

  /** The names the fused loop writes that an adjoint reads: kept before it, set back after it for the adjoint of what came before. */
  keptThroughFusion(): string[] {
    return this.fused === null ? [] : this.fused.written.filter((n) => this.ctx.saved.has(n));
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
        if (saved.has(s.name) && !this.inverse.has(s) && this.fused?.firstWrites.has(s) !== true) out.line(pushName(s.name, this.ctx.ints));
        value.names.forEach((n) => out.line(pushFloat(n)));
        out.line(`${s.name} = ${R.render(primal(value.expr))};`);
      } else if (s.k === "store") {
        const value = this.costly(s, out);
        // A fused pass that reads the result's cotangent directly makes no result (see Fusion.seedsResult).
        if (this.dropsResult(s.arr)) continue;
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
        if (this.dropsResult(s.arr)) {
          out.line(`$length = ${R.render(primal(s.size))};`);
          continue;
        }
        out.line(`${s.arr} = new Float64Array(${R.render(primal(s.size))});`);
        // A fused pass has no $A to hand arrays on through: the adjoint array comes with its array.
        if (this.fused !== null && this.act.arrays.has(s.arr)) out.line(`${s.arr}$b = new Float64Array(${s.arr}.length);`);
      } else if (s.k === "loop" && s === this.fused?.loop) {
        if (this.fusedCode === null) throw new Error("compile: internal error: the fused loop's code is made before the forward code");
        out.append(this.fusedCode);
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

/**
 * The sources of `sweep(...params)` (the forward sweep; returns the value)
 * and `reverse(...params, ...adjointArrays, $seed)` (the adjoint sweep: adds
 * into the adjoint arrays of array parameters in `wrt` and writes the
 * adjoints of number parameters into `$res[k]`), run one after the other;
 * and `reverseLanes`, the adjoint sweep for REVERSE_LANES cotangents at once.
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
    const grown = [...reads].filter((n) => !saved.has(n) && e.savable(n));
    if (grown.length === 0 || round > 20) {
      const forward = new Lines();
      e.forwardList(fn.body, forward);
      let lanes: string | null = null;
      return {
        sweep: assembleSweep(e, saved, forward),
        reverse: assembleReverse(e, saved, adjoint),
        // Assembled on first use (it adds $resLanes to the constants then): most calls never pull back in lanes.
        get reverseLanes() {
          return (lanes ??= assembleReverse(e, saved, adjoint, REVERSE_LANES));
        },
        constants: e.R.constants,
        writes: adjointWrites(fn, saved),
      };
    }
    saved = new Set([...saved, ...grown]);
  }
}

/**
 * A fused trip's adjoint lines with the result's adjoint `res$b[k]` read
 * from the cotangent `$seed[k]`, and its clearing (`res$b[k] = 0`) dropped:
 * only the store that made element k reads it.
 */
function readSeeds(lines: readonly string[], res: string): string[] {
  const adjoint = `${res}$b[`;
  const out: string[] = [];
  for (const line of lines) {
    const read = line.split(adjoint).join("$seed[");
    if (/^\s*\$seed\[[^\]]*\] = 0;$/.test(read)) continue;
    if (/\$seed\[[^\]]*\] [-+*/]?=/.test(read)) throw new Error(`compile: internal error: a fused trip writes the result's adjoint (${line.trim()})`);
    out.push(read);
  }
  return out;
}

/** A costly operand value popped by an adjoint (see adjointLines). */
const POP_COSTLY = /^const (\$t\d+) = \$fs\[--\$fp\];$/;

/** `names` without `drop`. */
function without(names: ReadonlySet<string>, drop: Iterable<string>): Set<string> {
  const out = new Set(names);
  for (const n of drop) out.delete(n);
  return out;
}

function isPrimalName(fn: Fn, n: string): boolean {
  return fn.locals.includes(n) || fn.params.some((p) => p.name === n) || fn.arrays.some((a) => a.name === n);
}
