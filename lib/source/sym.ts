/**
 * Symbolic expressions: what the code-emitting algebra builds when an op's
 * `partials` rule runs on it, and what the emitters render to JavaScript.
 * A symbol is a name or element already in the generated code, an op
 * applied to symbols, a mask (a registry predicate called at run time), or
 * a comparison/logical form for conditions. Rendering is precedence-aware so
 * the generated code reads like hand-written code.
 */
import type { Op } from "./registry.ts";

/** An operand: a symbol or a literal number. */
export type Arg = Sym | number;
type Pred = (...xs: number[]) => number;

/**
 * A symbolic expression.
 *
 * @example
 * ```ts
 * new Sym("ref", "x", []); // the name x (see ref, at, maskOf)
 * ```
 */
export class Sym {
  constructor(
    readonly kind: "ref" | "index" | "op" | "mask" | "rel" | "not" | "cond",
    /** ref: the name; index: the array; rel: the operator. */
    readonly text: string,
    readonly args: readonly Arg[],
    readonly op: Op | null = null,
    readonly pred: Pred | null = null,
  ) {}

  /** Called by the registry's `mask` helper when a rule masks on symbols. */
  maskBy(pred: Pred, args: readonly unknown[]): Arg {
    return maskOf(pred, args as Arg[]);
  }
}

/**
 * A name in the generated code (a local, a temporary, a parameter).
 *
 * @example
 * ```ts
 * render(ref("x")); // "x"
 * ```
 */
export const ref = (name: string): Sym => new Sym("ref", name, []);

/**
 * An element `arr[index]`.
 *
 * @example
 * ```ts
 * at("x", ref("i")); // x[i]
 * ```
 */
export const at = (arr: string, index: Arg): Sym => new Sym("index", arr, [index]);

/**
 * A mask: `pred(args)` evaluated at run time, or now when all are numbers.
 *
 * @example
 * ```ts
 * maskOf((a) => (a > 0 ? 1 : 0), [ref("x")]);
 * ```
 */
export function maskOf(pred: Pred, args: readonly Arg[]): Arg {
  if (args.every((a) => typeof a === "number")) return pred(...(args as number[]));
  return new Sym("mask", "", args, null, pred);
}

const INFIX: Record<string, [string, number]> = { add: ["+", 11], sub: ["-", 11], mul: ["*", 12], div: ["/", 12], fmod: ["%", 12], pow: ["**", 13] };
const REL_PREC: Record<string, number> = { "<": 9, "<=": 9, ">": 9, ">=": 9, "===": 8, "!==": 8, "==": 8, "!=": 8, "&&": 4, "||": 3 };

/**
 * Renders symbols to JavaScript. Functions the code calls (op values that
 * are not operators or Math functions, mask predicates) become named
 * constants the generated function receives; `reads`, when set, collects the
 * primal names and arrays the rendered code reads (the reverse sweep uses it
 * to decide what the forward sweep must save).
 *
 * @example
 * ```ts
 * new Renderer().render(ref("x")); // "x"
 * ```
 */
export class Renderer {
  readonly constants = new Map<string, unknown>();
  reads: Set<string> | null = null;
  private byValue = new Map<unknown, string>();

  /** The name under which the generated code sees `value`. */
  constant(value: unknown, hint: string): string {
    const known = this.byValue.get(value);
    if (known !== undefined) return known;
    let name = `$${hint}`;
    for (let k = 2; this.constants.has(name); k++) name = `$${hint}${k}`;
    this.constants.set(name, value);
    this.byValue.set(value, name);
    return name;
  }

  /** JavaScript for `a`, parenthesised when its precedence is below `min`. */
  render(a: Arg, min = 0): string {
    const [code, prec] = this.code(a);
    return prec < min ? `(${code})` : code;
  }

  private code(a: Arg): [string, number] {
    if (typeof a === "number") {
      if (Object.is(a, -0)) return ["-0", 14];
      return a < 0 ? [`-${String(-a)}`, 14] : [String(a), 20];
    }
    switch (a.kind) {
      case "ref":
        this.reads?.add(a.text);
        return [a.text, 20];
      case "index":
        this.reads?.add(a.text);
        return [`${a.text}[${this.render(a.args[0])}]`, 20];
      case "mask":
        return [`${this.constant(a.pred, "mask")}(${a.args.map((x) => this.render(x, 2)).join(", ")})`, 17];
      case "rel": {
        const p = REL_PREC[a.text];
        return [`${this.render(a.args[0], p)} ${a.text} ${this.render(a.args[1], p + 1)}`, p];
      }
      case "not":
        return [`!${this.render(a.args[0], 14)}`, 14];
      case "cond":
        return [`${this.render(a.args[0], 3)} ? ${this.render(a.args[1], 2)} : ${this.render(a.args[2], 2)}`, 2];
      default:
        return this.opCode(a);
    }
  }

  private opCode(a: Sym): [string, number] {
    const op = a.op!;
    const args = a.args;
    const infix = INFIX[op.name];
    if (infix !== undefined) {
      const [sym, p] = infix;
      // ** is right-associative and its base may not be a unary expression.
      const left = sym === "**" ? this.render(args[0], 15) : this.render(args[0], p);
      const right = sym === "**" ? this.render(args[1], p) : this.render(args[1], p + 1);
      return [`${left} ${sym} ${right}`, p];
    }
    if (op.name === "neg") {
      const inner = this.render(args[0], 14);
      return [inner.startsWith("-") ? `-(${inner})` : `-${inner}`, 14];
    }
    if (op.name === "where") {
      return [`${this.render(args[0], 3)} ? ${this.render(args[1], 2)} : ${this.render(args[2], 2)}`, 2];
    }
    if (op.name === "reciprocal") return [`1 / ${this.render(args[0], 13)}`, 12];
    if (op.name === "square") {
      // x * x when x is a name or an element (no work repeated), else the same value as (e) ** 2.
      const [code, prec] = this.code(args[0]);
      return prec >= 20 ? [`${code} * ${code}`, 12] : [`${prec < 15 ? `(${code})` : code} ** 2`, 13];
    }
    const value = op.elementwise!.value;
    const math = mathName(value);
    const fn = math ?? this.constant(value, op.name);
    return [`${fn}(${args.map((x) => this.render(x, 2)).join(", ")})`, 17];
  }
}

/** Math functions that compile to one or a few instructions: recomputing them is cheaper than a stack round trip. */
const CHEAP_MATH = new Set(["Math.sqrt", "Math.abs", "Math.sign", "Math.floor", "Math.ceil", "Math.round", "Math.trunc", "Math.fround", "Math.min", "Math.max"]);

/**
 * Whether `a` is an op whose code is a call that costs more than a store and
 * a load (a transcendental Math function, `**`, a helper), so the reverse
 * sweep should pop its value rather than compute it again.
 *
 * @example
 * ```ts
 * isCostly(apply(findOp("sin")!, [ref("x")])); // true
 * isCostly(apply(findOp("mul")!, [ref("x"), 2])); // false
 * ```
 */
export function isCostly(a: Arg): boolean {
  if (typeof a === "number" || a.kind !== "op") return false;
  const name = a.op!.name;
  if (name === "pow") return true;
  if (INFIX[name] !== undefined || name === "neg" || name === "where" || name === "square" || name === "reciprocal") return false;
  const math = mathName(a.op!.elementwise!.value);
  return math === null || !CHEAP_MATH.has(math);
}

let mathNames: Map<unknown, string> | null = null;

/** `Math.sin` when an op's value is that very function: the generated code calls it directly. */
function mathName(value: unknown): string | null {
  if (mathNames === null) {
    mathNames = new Map();
    for (const key of Object.getOwnPropertyNames(Math)) {
      const v: unknown = Reflect.get(Math, key);
      if (typeof v === "function") mathNames.set(v, `Math.${key}`);
    }
  }
  return mathNames.get(value) ?? null;
}
