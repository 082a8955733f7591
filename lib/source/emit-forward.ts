/**
 * Forward mode: tangent code beside the primal code, one direction. Each
 * active op gets a temporary for its value and one for its tangent, the sum
 * of its registry partials times its operands' tangents (the partials come
 * from the op's rule evaluated with the emitting algebra). Control flow is
 * the source's own: branches and loops run once, as in the primal.
 */
import type { Expr, Fn, Stmt } from "./ir.ts";
import { isActive, type Activity } from "./activity.ts";
import { apply, emittingAlgebra, partialsOf } from "./algebra.ts";
import { Lines, primal, hasContinue, isSimple } from "./emit-common.ts";
import { findOp, type Algebra } from "./registry.ts";
import { at, ref, Renderer, type Arg } from "./sym.ts";

interface Dual { v: Arg; t: Arg }

class ForwardEmitter {
  private out = new Lines();
  private temps = 0;
  private readonly A: Algebra = emittingAlgebra();
  private readonly mul = findOp("mul")!;
  private readonly add = findOp("add")!;

  constructor(private fn: Fn, private act: Activity, private R: Renderer) {}

  private temp(value: Arg, suffix = ""): Arg {
    if (isSimple(value)) return value;
    const name = `$t${this.temps++}${suffix}`;
    this.out.line(`const ${name} = ${this.R.render(value)};`);
    return ref(name);
  }

  expr(e: Expr): Dual {
    if (e.k === "var") return { v: ref(e.name), t: this.act.vars.has(e.name) ? ref(`${e.name}$d`) : 0 };
    if (e.k === "read") {
      const index = this.temp(primal(e.index));
      return { v: at(e.arr, index), t: this.act.arrays.has(e.arr) ? at(`${e.arr}$d`, index) : 0 };
    }
    if (e.k === "op" && isActive(e, this.act)) {
      const kids = e.args.map((a) => this.expr(a));
      const vals = kids.map((k) => this.temp(k.v));
      const y = this.temp(apply(e.op, vals));
      const ps = partialsOf(this.A, e.op, vals, y);
      // Sum of partial * tangent over operands with a tangent (a zero tangent stays exactly zero).
      let t: Arg | null = null;
      kids.forEach((k, i) => {
        const p = ps[i];
        if (p === null || p === undefined || k.t === 0) return;
        const term = apply(this.mul, [p, k.t]);
        if (term !== 0) t = t === null ? term : apply(this.add, [t, term]);
      });
      if (t === null) t = 0;
      return { v: y, t: this.temp(t, "d") };
    }
    return { v: primal(e), t: 0 };
  }

  statements(stmts: readonly Stmt[]): void {
    for (const s of stmts) this.statement(s);
  }

  statement(s: Stmt): void {
    const R = this.R;
    switch (s.k) {
      case "assign": {
        if (!this.act.vars.has(s.name)) return this.out.line(`${s.name} = ${R.render(primal(s.value))};`);
        const d = this.expr(s.value);
        this.out.line(`${s.name}$d = ${R.render(d.t)};`);
        return this.out.line(`${s.name} = ${R.render(d.v)};`);
      }
      case "store": {
        const index = R.render(this.temp(primal(s.index)));
        if (!this.act.arrays.has(s.arr)) return this.out.line(`${s.arr}[${index}] = ${R.render(primal(s.value))};`);
        const d = this.expr(s.value);
        this.out.line(`${s.arr}$d[${index}] = ${R.render(d.t)};`);
        return this.out.line(`${s.arr}[${index}] = ${R.render(d.v)};`);
      }
      case "if":
        this.out.block(`if (${R.render(primal(s.test))})`, () => this.statements(s.then));
        if (s.else.length > 0) this.out.block("else", () => this.statements(s.else));
        return;
      case "loop":
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
        if (this.act.arrays.has(s.arr)) this.out.line(`${s.arr}$d = new Float64Array(${s.arr}.length);`);
        return;
    }
  }

  ret(value: Expr | null): void {
    const arr = this.fn.resultArray;
    if (value === null) {
      const tangent = this.act.arrays.has(arr!) ? `${arr}$d` : `new Float64Array(${arr}.length)`;
      return this.out.line(`return [${arr}, ${tangent}];`);
    }
    const d = this.expr(value);
    this.out.line(`$res[0] = ${this.R.render(d.v)};`);
    this.out.line(`$res[1] = ${this.R.render(d.t)};`);
    this.out.line("return $res;");
  }

  emit(): string {
    const { fn, act, R } = this;
    const tangents = fn.params.filter((p) => p.wrt >= 0).map((p) => `${p.name}$d`);
    const args = [...fn.params.map((p) => p.name), ...tangents].join(", ");
    R.constant(new Float64Array(2), "res");
    return `function forward(${args}) {\n${this.prologue()}\n${this.body()}\n}`;
  }

  private prologue(): string {
    const { fn, act, R } = this;
    const decl = new Lines();
    const scalars = fn.locals.flatMap((n) => (act.vars.has(n) ? [`${n} = 0`, `${n}$d = 0`] : [`${n} = 0`]));
    if (scalars.length > 0) decl.line(`let ${scalars.join(", ")};`);
    for (const a of fn.arrays) decl.line(act.arrays.has(a.name) ? `let ${a.name}, ${a.name}$d;` : `let ${a.name};`);
    for (const p of fn.params) {
      // An array argument that is not differentiated but receives active values gets a zero tangent.
      if (p.array && p.wrt < 0 && act.arrays.has(p.name)) decl.line(`const ${p.name}$d = new Float64Array(${p.name}.length);`);
      if (!p.array && p.wrt < 0 && act.vars.has(p.name)) decl.line(`let ${p.name}$d = 0;`);
    }
    return decl.text();
  }

  private body(): string {
    this.statements(this.fn.body);
    return this.out.text();
  }
}

/**
 * The source of `forward(...params, ...tangents)`: it returns `[value,
 * tangent]` (a shared two-element buffer for numbers; the result array and
 * its tangent for array results).
 *
 * @example
 * ```ts
 * const code = emitForward(fn, activity(fn), new Renderer());
 * ```
 */
export function emitForward(fn: Fn, act: Activity, R: Renderer): string {
  return new ForwardEmitter(fn, act, R).emit();
}
