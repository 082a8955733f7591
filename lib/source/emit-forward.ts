/**
 * Forward mode: tangent code beside the primal code, for one direction or a
 * chunk of K directions (lanes: the partials are computed once per op and
 * multiply every lane's tangent). Each
 * active op gets a temporary for its value and one for its tangent, the sum
 * of its registry partials times its operands' tangents (the partials come
 * from the op's rule evaluated with the emitting algebra). Control flow is
 * the source's own: branches and loops run as in the primal, except that a
 * loop of element stores runs four trips at a time where that is safe
 * (see unroll.ts).
 *
 * The same emitter writes the sparsity pass (`emitForwardPattern`): its
 * "tangent" of a value is a 32-bit mask of the directions the value depends
 * on, the OR of its operands' masks wherever the op's partial is not a
 * constant zero, so control flow, stores and loops are handled once.
 */
import type { Expr, Fn, Stmt } from "./ir.ts";
import { UNROLL, MAX_GROUPED_STATEMENTS, boundsCounter, counterStep, forwardConflicts, shifted } from "./unroll.ts";
import { isActive, type Activity } from "./activity.ts";
import { apply, emittingAlgebra, partialsOf, shareRepeated } from "./algebra.ts";
import { Lines, primal, hasContinue, isSimple } from "./emit-common.ts";
import { findOp, partialsMayOverflow, type Algebra } from "./registry.ts";
import { at, ref, Renderer, Sym, type Arg } from "./sym.ts";
import { neededValues } from "./needed-values.ts";
import { unionOfSets } from "./direction-sets.ts";
import { ValueKeys, earlierValues, substitute } from "./available.ts";

/** A value and its tangent in each lane. */
interface Dual { v: Arg; t: Arg[] }

/** The stand-in value of an expression the sparsity pass does not compute (never written out). */
const UNUSED: Arg = ref("$unused");

class ForwardEmitter {
  private out = new Lines();
  private temps = 0;
  private readonly A: Algebra = emittingAlgebra();
  private readonly mul = findOp("mul")!;
  private readonly add = findOp("add")!;

  private readonly lanes: number[];
  /** While set, element reads and their indices are computed into constants here: the reads of a group (see unroll.ts). */
  private reads: Lines | null = null;
  /** The group's constants by the code they hold: trips that read one element read it once. */
  private readNames = new Map<string, Arg>();

  /** Keys of computed values, and those the statement being emitted can name instead of computing (see available.ts). */
  private readonly keys = new ValueKeys();
  private known: ReadonlyMap<string, string> | null = null;

  /** In the sparsity pass, the names whose values the path and indices need (see needed-values.ts); null otherwise. */
  private readonly needed: ReadonlySet<string> | null;

  /**
   * @param sets - with `pattern`, tangents are sets of directions instead of masks (see emitForwardSets)
   * @param pattern - emit the sparsity pass: tangents are masks of directions (one lane), combined
   *   with `|` where the forward code would multiply by a partial and add.
   */
  constructor(private fn: Fn, private act: Activity, private R: Renderer, private K: number, private pattern = false, private sets = false) {
    this.lanes = Array.from({ length: K }, (_, l) => l);
    this.needed = pattern ? neededValues(fn) : null;
  }

  /** Whether the value of `name` is computed: always, but in the sparsity pass only where the path or an index needs it. */
  private wants(name: string): boolean {
    return this.needed === null || this.needed.has(name);
  }

  /** The tangent variable of a scalar in lane l (`x$d` with one lane, `x$d0`, `x$d1`, ... with several). */
  private tv(name: string, l: number): string {
    return this.K === 1 ? `${name}$d` : `${name}$d${l}`;
  }

  /** The tangent of an array element in lane l: lanes are interleaved, element i of lane l at i * K + l. */
  private ta(arr: string, index: Arg, l: number): Arg {
    if (this.K === 1) return at(`${arr}$d`, index);
    if (typeof index === "number") return at(`${arr}$d`, index * this.K + l);
    return at(`${arr}$d`, ref(`${this.R.render(index, 13)} * ${this.K} + ${l}`));
  }

  private zeros(): Arg[] {
    return this.lanes.map(() => 0);
  }

  private temp(value: Arg, suffix = ""): Arg {
    if (isSimple(value)) return value;
    const name = `$t${this.temps++}${suffix}`;
    this.out.line(`const ${name} = ${this.R.render(value)};`);
    return ref(name);
  }

  /** In a group, `value` computed into a constant among the group's reads (an element read always); else as `temp`. */
  private read(value: Arg, element: boolean, suffix = ""): Arg {
    if (this.reads === null) return element ? value : this.temp(value);
    if (!element && isSimple(value)) return value;
    // No store of the group comes between two of its reads of one element (forwardConflicts), so one read serves both.
    const code = this.R.render(value);
    const known = this.readNames.get(code);
    if (known !== undefined) return known;
    const name = `$t${this.temps++}${suffix}`;
    this.reads.line(`const ${name} = ${code};`);
    this.readNames.set(code, ref(name));
    return ref(name);
  }

  /**
   * The value and tangents of `e`. With `value` false (the sparsity pass,
   * where nothing needs the value), no line computes the value: `v` is then
   * a stand-in that only the partials' zero test sees.
   */
  expr(e: Expr, value = true): Dual {
    if (e.k === "var") return { v: ref(e.name), t: this.act.vars.has(e.name) ? this.lanes.map((l) => ref(this.tv(e.name, l))) : this.zeros() };
    if (e.k === "read") {
      const index = this.read(primal(e.index), false);
      const t = this.act.arrays.has(e.arr) ? this.lanes.map((l) => this.read(this.ta(e.arr, index, l), true, "d")) : this.zeros();
      return { v: value ? this.read(at(e.arr, index), true) : UNUSED, t };
    }
    if (e.k === "op" && isActive(e, this.act)) {
      const kids = e.args.map((a) => this.expr(a, value));
      // Without the value, only whether a partial is the constant zero matters: numbers stay numbers, so it is decided as with the values.
      const vals = value ? kids.map((k) => this.temp(k.v)) : kids.map((k) => (typeof k.v === "number" ? k.v : UNUSED));
      const y = value ? this.temp(apply(e.op, vals)) : UNUSED;
      const all = this.reused(partialsOf(this.A, e.op, vals, y));
      // A piece two partials share (div's 1/b) is computed once; without values, nothing is computed.
      const ps = value ? shareRepeated(all.map((p, i) => (kids[i]!.t.every((t) => t === 0) ? null : p)), (s) => this.temp(s)) : all;
      if (this.pattern) return { v: y, t: [this.temp(this.maskUnion(kids, ps), "d")] };
      // Partials used by several lanes are computed once.
      const shared = this.K === 1 ? ps : ps.map((p) => (p === null || p === undefined ? p : this.temp(p)));
      const skipZero = partialsMayOverflow(e.op);
      return { v: y, t: this.lanes.map((l) => this.temp(this.tangentSum(kids, shared, l, skipZero), "d")) };
    }
    return { v: primal(e), t: this.zeros() };
  }

  /** The partials with values earlier statements computed named instead (the primal state is exact here). */
  private reused(ps: readonly (Arg | null)[]): readonly (Arg | null)[] {
    const known = this.known;
    if (known === null || known.size === 0) return ps;
    const lookup = (code: string) => { const name = known.get(code); return name === undefined ? null : ref(name); };
    return ps.map((p) => (p === null ? p : substitute(p, this.keys, lookup)));
  }

  /**
   * Sum of partial * tangent in lane l over operands with a tangent (a zero
   * tangent stays exactly zero). With `skipZero` (an op whose partials may
   * be infinite, see `finitePartials`), a tangent that is zero at run time
   * adds 0, not 0 · Infinity = NaN: a direction the operand does not move
   * along, as Dual leaves it out.
   */
  private tangentSum(kids: readonly Dual[], ps: readonly (Arg | null | undefined)[], l: number, skipZero = false): Arg {
    let t: Arg | null = null;
    kids.forEach((k, i) => {
      const p = ps[i];
      const tl = k.t[l]!;
      if (p === null || p === undefined || tl === 0) return;
      const product = apply(this.mul, [p, tl]);
      const term = skipZero && typeof p !== "number" && typeof product !== "number"
        ? new Sym("cond", "", [new Sym("rel", "===", [tl, 0]), 0, product]) : product;
      if (term !== 0) t = t === null ? term : apply(this.add, [t, term]);
    });
    return t ?? 0;
  }

  /**
   * The directions an op's result depends on: the OR of the masks of its operands whose partial is
   * not a constant zero. A partial that is zero only at run time still counts (the pattern may
   * hold more entries than the Jacobian's nonzeros, never fewer).
   */
  private maskUnion(kids: readonly Dual[], ps: readonly (Arg | null | undefined)[]): Arg {
    const masks = kids.flatMap((k, i) => (ps[i] === null || ps[i] === undefined || ps[i] === 0 || k.t[0] === 0 ? [] : [this.R.render(k.t[0])]));
    if (masks.length === 0) return 0;
    if (masks.length === 1) return ref(masks[0]);
    return ref(this.sets ? `${this.R.constant(unionOfSets, "union")}(${masks.join(", ")})` : `(${masks.join(" | ")})`);
  }

  statements(stmts: readonly Stmt[]): void {
    // The sparsity pass computes few values: it names none.
    const earlier = this.pattern ? null : earlierValues(stmts, this.keys);
    for (const s of stmts) this.statement(s, earlier?.get(s) ?? null);
  }

  /** Emits `s`; its partials may name the values in `known` (code → name). */
  statement(s: Stmt, known: ReadonlyMap<string, string> | null = null): void {
    const R = this.R;
    this.known = known;
    switch (s.k) {
      case "assign": {
        const want = this.wants(s.name);
        if (!this.act.vars.has(s.name)) return want ? this.out.line(`${s.name} = ${R.render(primal(s.value))};`) : undefined;
        const d = this.expr(s.value, want);
        for (const l of this.lanes) this.out.line(`${this.tv(s.name, l)} = ${R.render(d.t[l])};`);
        return want ? this.out.line(`${s.name} = ${R.render(d.v)};`) : undefined;
      }
      case "store": {
        const want = this.wants(s.arr);
        const index = R.render(this.read(primal(s.index), false));
        if (!this.act.arrays.has(s.arr)) return want ? this.out.line(`${s.arr}[${index}] = ${R.render(primal(s.value))};`) : undefined;
        const d = this.expr(s.value, want);
        for (const l of this.lanes) this.out.line(`${R.render(this.ta(s.arr, ref(index), l))} = ${R.render(d.t[l])};`);
        return want ? this.out.line(`${s.arr}[${index}] = ${R.render(d.v)};`) : undefined;
      }
      case "if":
        this.out.block(`if (${R.render(primal(s.test))})`, () => this.statements(s.then));
        if (s.else.length > 0) this.out.block("else", () => this.statements(s.else));
        return;
      case "loop":
        this.group(s);
        return this.out.block(`$L${s.id}: while (${R.render(primal(s.test))})`, () => {
          if (hasContinue(s.body, s.id)) this.out.block(`$C${s.id}:`, () => this.statements(s.body));
          else this.statements(s.body);
          this.statements(s.update);
        });
      case "break": return this.out.line(`break $L${s.loop};`);
      case "continue": return this.out.line(`break $C${s.loop};`);
      case "return": return this.ret(s.value);
      case "alloc":
        this.out.line(`${s.arr} = new Float64Array(${R.render(primal(s.size))});`);
        if (this.act.arrays.has(s.arr)) this.out.line(`${s.arr}$d = ${this.zeroTangents(`${s.arr}.length${this.laneFactor()}`)};`);
        return;
    }
  }

  /**
   * Before a loop of element stores stepped by a literal, a loop running
   * UNROLL trips at a time with the reads of all of them first (see
   * unroll.ts), while the last of the UNROLL trips still passes the loop's
   * test; the loop itself then runs what is left. Nothing when the loop has
   * anything else in it, its test is not a bound on the counter it moves
   * toward, or a read could meet an earlier store of the group.
   */
  private group(s: Stmt & { k: "loop" }): void {
    const step = s.update.length === 1 ? counterStep(s.update[0]!) : null;
    if (step === null) return;
    const c = step.name;
    const stores = s.body as (Stmt & { k: "store" })[];
    if (stores.length === 0 || stores.length > MAX_GROUPED_STATEMENTS || !stores.every((b) => b.k === "store")) return;
    if (!boundsCounter(s.test, c, step.by) || forwardConflicts(stores, c, step.by)) return;
    const last = shifted(s.test, c, (UNROLL - 1) * step.by);
    this.out.block(`while (${this.R.render(primal(last))})`, () => {
      const outer = this.out;
      const reads = new Lines();
      const work = new Lines();
      [this.out, this.reads] = [work, reads];
      for (let j = 0; j < UNROLL; j++) {
        for (const b of stores) this.statement({ ...b, index: shifted(b.index, c, j * step.by), value: shifted(b.value, c, j * step.by) });
      }
      [this.out, this.reads] = [outer, null];
      this.readNames.clear();
      this.out.append(reads);
      this.out.append(work);
      this.out.line(`${c} = ${c} ${step.by > 0 ? "+" : "-"} ${UNROLL * Math.abs(step.by)};`);
    });
  }

  ret(value: Expr | null): void {
    const arr = this.fn.resultArray;
    if (value === null) {
      const tangent = this.act.arrays.has(arr!) ? `${arr}$d` : `new Float64Array(${arr}.length${this.laneFactor()})`;
      return this.out.line(`return [${arr}, ${tangent}];`);
    }
    // The sparsity pass returns masks only.
    const d = this.expr(value, !this.pattern);
    this.out.line(`$res[0] = ${this.pattern ? "0" : this.R.render(d.v)};`);
    for (const l of this.lanes) this.out.line(`$res[${l + 1}] = ${this.R.render(d.t[l])};`);
    this.out.line("return $res;");
  }

  emit(): string {
    const { fn, act, R } = this;
    const tangents = fn.params.filter((p) => p.wrt >= 0).flatMap((p) => (p.array ? [`${p.name}$d`] : this.lanes.map((l) => this.tv(p.name, l))));
    const args = [...fn.params.map((p) => p.name), ...tangents].join(", ");
    // Sets are objects: their result buffer is a plain array.
    R.constant(this.sets ? [0, 0] : new Float64Array(1 + this.K), "res");
    const name = this.sets ? "forwardSets" : this.pattern ? "forwardPattern" : this.K === 1 ? "forward" : "forwardLanes";
    return `function ${name}(${args}) {\n${this.prologue()}\n${this.body()}\n}`;
  }

  private prologue(): string {
    const { fn, act, R } = this;
    const decl = new Lines();
    const scalars = fn.locals.flatMap((n) => (act.vars.has(n) ? [`${n} = 0`, ...this.lanes.map((l) => `${this.tv(n, l)} = 0`)] : [`${n} = 0`]));
    if (scalars.length > 0) decl.line(`let ${scalars.join(", ")};`);
    for (const a of fn.arrays) decl.line(act.arrays.has(a.name) ? `let ${a.name}, ${a.name}$d;` : `let ${a.name};`);
    for (const p of fn.params) {
      // An array argument that is not differentiated but receives active values gets a zero tangent.
      if (p.array && p.wrt < 0 && act.arrays.has(p.name)) decl.line(`const ${p.name}$d = ${this.zeroTangents(`${p.name}.length${this.laneFactor()}`)};`);
      if (!p.array && p.wrt < 0 && act.vars.has(p.name)) decl.line(`let ${this.lanes.map((l) => `${this.tv(p.name, l)} = 0`).join(", ")};`);
    }
    return decl.text();
  }

  /** Code making `length` zero tangents: a Float64Array, or for sets an array of empty sets (0). */
  private zeroTangents(length: string): string {
    return this.sets ? `new Array(${length}).fill(0)` : `new Float64Array(${length})`;
  }

  private laneFactor(): string {
    return this.K === 1 ? "" : ` * ${this.K}`;
  }

  private body(): string {
    this.statements(this.fn.body);
    return this.out.text();
  }
}

/**
 * The source of `forward(...params, ...tangents)` for `lanes` directions
 * (default 1). Tangent arguments: an array per differentiated array (its
 * lanes interleaved, element i of lane l at i * lanes + l) and one number
 * per lane per differentiated number. It returns `[value, tangent lane 0,
 * lane 1, ...]` (a shared buffer) for numbers, and the result array and
 * its interleaved tangent for array results.
 *
 * @example
 * ```ts
 * const one = emitForward(fn, activity(fn), new Renderer());
 * const four = emitForward(fn, activity(fn), new Renderer(), 4);
 * ```
 */
export function emitForward(fn: Fn, act: Activity, R: Renderer, lanes = 1): string {
  return new ForwardEmitter(fn, act, R, lanes).emit();
}

/**
 * The source of `forwardPattern(...params, ...masks)`: forward mode whose
 * tangents are 32-bit masks of directions (see ForwardEmitter). Its
 * arguments and results are shaped as `emitForward`'s with one lane; each
 * tangent entry holds the mask of the seeded directions it depends on.
 *
 * @example
 * ```ts
 * emitForwardPattern(fn, activity(fn), new Renderer()); // "function forwardPattern(x, n, x$d) {..."
 * ```
 */
export function emitForwardPattern(fn: Fn, act: Activity, R: Renderer): string {
  return new ForwardEmitter(fn, act, R, 1, true).emit();
}

/**
 * The source of `forwardSets(...params, ...sets)`: the sparsity pass with
 * sets of directions for tangents instead of 32-bit masks (each seeded
 * input's tangent is the one-element set of its column, the others 0), so
 * one pass finds the pattern however many inputs there are. Its arguments
 * and results are shaped as `emitForwardPattern`'s; arrays of tangents are
 * plain arrays.
 *
 * @example
 * ```ts
 * emitForwardSets(fn, activity(fn), new Renderer()); // "function forwardSets(x, n, x$d) {..."
 * ```
 */
export function emitForwardSets(fn: Fn, act: Activity, R: Renderer): string {
  return new ForwardEmitter(fn, act, R, 1, true, true).emit();
}
