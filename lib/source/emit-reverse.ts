/**
 * Reverse mode: a forward sweep that runs the primal and saves on typed-array
 * stacks what the adjoint sweep will need (the old value of a name or
 * element before each write, branch decisions, loop trip counts), then the
 * adjoint sweep, statement by statement in reverse order, with loops kept as
 * loops. Only names the adjoint code reads are saved: the emitter runs to a
 * fixed point on that set (saving a name can make index expressions read,
 * which makes more names needed). Stacks live in `$S`, are reused across
 * calls and grow by doubling, so the code never depends on trip counts.
 */
import type { Fn, Stmt } from "./ir.ts";
import type { Activity } from "./activity.ts";
import { emittingAlgebra } from "./algebra.ts";
import { adjointLines, type AdjointContext } from "./adjoint.ts";
import { Lines, primal } from "./emit-common.ts";
import { Renderer } from "./sym.ts";

const PUSH_F = (v: string) => `if ($fp === $fs.length) $fs = $growF($fs); $fs[$fp++] = ${v};`;
const PUSH_I = (v: string) => `if ($ip === $is.length) $is = $growI($is); $is[$ip++] = ${v};`;

class ReverseEmitter {
  readonly R = new Renderer();
  readonly ctx: AdjointContext;
  private temps = 0;
  /** Statements whose adjoint is not empty (branches and loops record decisions only for those). */
  private live = new Set<Stmt>();

  constructor(private fn: Fn, private act: Activity, saved: ReadonlySet<string>) {
    this.R.reads = new Set();
    this.ctx = { A: emittingAlgebra(), R: this.R, act, saved, temp: () => `$t${this.temps++}` };
  }

  /** The adjoint of a statement list, in reverse order; true when it emitted anything. */
  reverse(stmts: readonly Stmt[], out: Lines): boolean {
    let any = false;
    for (let i = stmts.length - 1; i >= 0; i--) if (this.reverseOne(stmts[i]!, out)) any = true;
    return any;
  }

  private reverseOne(s: Stmt, out: Lines): boolean {
    switch (s.k) {
      case "assign": {
        const lines = adjointLines(this.ctx, { name: s.name, index: null }, s.value);
        if (lines.length === 0) return false;
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
        const lines = adjointLines(this.ctx, { name: s.arr, index }, s.value);
        if (lines.length === 0) return false;
        for (const n of indexReads) reads!.add(n);
        out.block("", () => [`const ${index} = ${indexCode};`, ...lines].forEach((l) => out.line(l)));
        return true;
      }
      case "if": {
        const thenOut = new Lines();
        const elseOut = new Lines();
        const anyThen = this.reverse(s.then, thenOut);
        const anyElse = this.reverse(s.else, elseOut);
        if (!anyThen && !anyElse) return false;
        this.live.add(s);
        out.block("if ($is[--$ip])", () => out.append(thenOut));
        if (anyElse) out.block("else", () => out.append(elseOut));
        return true;
      }
      case "loop": {
        const body = new Lines();
        if (!this.reverse(s.body, body)) return false;
        this.live.add(s);
        out.block(`for (let $r${s.id} = $is[--$ip]; $r${s.id} > 0; $r${s.id}--)`, () => out.append(body));
        return true;
      }
      default:
        return false;
    }
  }

  /** The forward sweep: the primal with pushes before writes of saved names and after live branches and loops. */
  forward(stmts: readonly Stmt[], out: Lines): void {
    const { R } = this;
    const saved = this.ctx.saved;
    for (const s of stmts) {
      if (s.k === "assign") {
        if (saved.has(s.name)) out.line(PUSH_F(s.name));
        out.line(`${s.name} = ${R.render(primal(s.value))};`);
      } else if (s.k === "store") {
        const index = R.render(primal(s.index));
        if (saved.has(s.arr)) out.line(PUSH_F(`${s.arr}[${index}]`));
        out.line(`${s.arr}[${index}] = ${R.render(primal(s.value))};`);
      } else if (s.k === "if") {
        const live = this.live.has(s);
        out.block(`if (${R.render(primal(s.test))})`, () => { this.forward(s.then, out); if (live) out.line(PUSH_I("1")); });
        if (live || s.else.length > 0) out.block("else", () => { this.forward(s.else, out); if (live) out.line(PUSH_I("0")); });
      } else if (s.k === "alloc") {
        out.line(`${s.arr} = new Float64Array(${R.render(primal(s.size))});`);
        if (this.ctx.act.arrays.has(s.arr)) out.line(`${s.arr}$b = new Float64Array(${s.arr}.length);`);
      } else if (s.k === "loop") {
        const live = this.live.has(s);
        if (live) out.line(`$n${s.id} = 0;`);
        out.block(`while (${R.render(primal(s.test))})`, () => { if (live) out.line(`$n${s.id}++;`); this.forward(s.body, out); });
        if (live) out.line(PUSH_I(`$n${s.id}`));
      }
    }
  }
}

/** The reverse function's source and the constants it closes over. */
export interface Emitted {
  source: string;
  constants: Map<string, unknown>;
}

function loopIds(stmts: readonly Stmt[], out: number[] = []): number[] {
  for (const s of stmts) {
    if (s.k === "loop") { out.push(s.id); loopIds(s.body, out); }
    else if (s.k === "if") { loopIds(s.then, out); loopIds(s.else, out); }
  }
  return out;
}

function assemble(fn: Fn, act: Activity, e: ReverseEmitter, sweep: Lines): string {
  const out = new Lines();
  const scalars = fn.locals.flatMap((n) => (act.vars.has(n) ? [`${n} = 0`, `${n}$b = 0`] : [`${n} = 0`]));
  for (const p of fn.params) if (!p.array && act.vars.has(p.name)) scalars.push(`${p.name}$b = 0`);
  for (const id of loopIds(fn.body)) scalars.push(`$n${id} = 0`);
  if (scalars.length > 0) out.line(`let ${scalars.join(", ")};`);
  for (const a of fn.arrays) out.line(act.arrays.has(a.name) ? `let ${a.name}, ${a.name}$b;` : `let ${a.name};`);
  for (const p of fn.params) if (p.array && p.wrt < 0 && act.arrays.has(p.name)) out.line(`const ${p.name}$b = new Float64Array(${p.name}.length);`);
  out.line("let $fs = $S.f, $fp = 0, $is = $S.i, $ip = 0;");
  e.forward(fn.body, out);
  out.line("$S.f = $fs; $S.i = $is; $S.used = $fp * 8 + $ip * 4;");
  const res = fn.resultArray;
  if (res === null) {
    out.line("const $value = $ret;");
    if (act.vars.has("$ret")) out.line("$ret$b = $seed;");
  } else {
    out.line(`const $value = ${res}.slice();`);
    if (act.arrays.has(res)) out.line(`for (let $j = 0; $j < ${res}.length; $j++) ${res}$b[$j] = $seed[$j];`);
  }
  out.append(sweep);
  fn.params.forEach((p, k) => { if (!p.array && p.wrt >= 0) out.line(`$res[${k}] = ${p.name}$b;`); });
  out.line("return $value;");
  return out.text();
}

/**
 * The source of `reverse(...params, ...adjointArrays, $seed)`: runs both
 * sweeps, adds into the adjoint arrays of array parameters in `wrt`, writes
 * the adjoints of number parameters into `$res[k]` and returns the value.
 *
 * @example
 * ```ts
 * const { source, constants } = emitReverse(normalize(fn), activity(fn));
 * ```
 */
export function emitReverse(fn: Fn, act: Activity): Emitted {
  let saved = new Set<string>();
  for (let round = 0; ; round++) {
    const e = new ReverseEmitter(fn, act, saved);
    const sweep = new Lines();
    e.reverse(fn.body, sweep);
    const reads = e.R.reads!;
    const grown = [...reads].filter((n) => !saved.has(n) && isPrimalName(fn, n));
    if (grown.length === 0 || round > 20) {
      const adjoints = fn.params.filter((p) => p.array && p.wrt >= 0).map((p) => `${p.name}$b`);
      const args = [...fn.params.map((p) => p.name), ...adjoints, "$seed"].join(", ");
      e.R.constant(new Float64Array(Math.max(1, fn.params.length)), "res");
      const source = `function reverse(${args}) {\n${assemble(fn, act, e, sweep)}\n}`;
      return { source, constants: e.R.constants };
    }
    saved = new Set([...saved, ...grown]);
  }
}

function isPrimalName(fn: Fn, n: string): boolean {
  return fn.locals.includes(n) || fn.params.some((p) => p.name === n) || fn.arrays.some((a) => a.name === n);
}
