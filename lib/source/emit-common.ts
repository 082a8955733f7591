/**
 * Pieces both emitters share: an indented line buffer, and the primal
 * rendering of an expression (conditions, indices and values that carry no
 * derivative), built through the same folding algebra as derivatives.
 */
import type { Expr, Stmt } from "./ir.ts";
import { forEachStmt } from "./ir.ts";
import { apply } from "./algebra.ts";
import { Sym, at, ref, type Arg } from "./sym.ts";

/**
 * Lines of generated code with indentation.
 *
 * @example
 * ```ts
 * const out = new Lines(); out.line("let x = 0;"); out.text(); // "  let x = 0;"
 * ```
 */
export class Lines {
  private lines: string[] = [];
  private depth = 1;

  line(code: string): void {
    this.lines.push(`${"  ".repeat(this.depth)}${code}`);
  }

  /**
   * Keeps a place for a line here that is known only later: the returned
   * function writes it. A place never written is no line. Write it before
   * this buffer is appended to another.
   */
  reserve(): (code: string) => void {
    const at = this.lines.length;
    const indent = "  ".repeat(this.depth);
    this.lines.push(RESERVED);
    return (code) => { this.lines[at] = `${indent}${code}`; };
  }

  /** Emits `head {`, runs `inner` one level deeper, then `}`. */
  block(head: string, inner: () => void): void {
    this.line(head === "" ? "{" : `${head} {`);
    this.depth++;
    inner();
    this.depth--;
    this.line("}");
  }

  /** Appends another buffer's lines at this buffer's current depth. */
  append(other: Lines): void {
    for (const l of other.lines) if (l !== RESERVED) this.lines.push(`${"  ".repeat(this.depth - 1)}${l}`);
  }

  get empty(): boolean {
    return this.lines.every((l) => l === RESERVED);
  }

  /** A buffer of the lines `f` makes from these (indentation included). */
  mapped(f: (lines: readonly string[]) => string[]): Lines {
    const out = new Lines();
    out.lines = f(this.lines.filter((l) => l !== RESERVED));
    out.depth = this.depth;
    return out;
  }

  text(): string {
    return this.lines.filter((l) => l !== RESERVED).join("\n");
  }
}

/** A place `Lines.reserve` keeps that nothing has written yet. */
const RESERVED = "\u0000";

/**
 * The expression as a symbol computing its value (no derivative).
 *
 * @example
 * ```ts
 * R.render(primal({ k: "var", name: "x" })); // "x"
 * ```
 */
export function primal(e: Expr): Arg {
  switch (e.k) {
    case "num": return e.v;
    case "var": return ref(e.name);
    case "read": return at(e.arr, primal(e.index));
    case "len": return ref(`${e.arr}.length`);
    case "op": return apply(e.op, e.args.map(primal));
    case "rel": return new Sym("rel", e.rel, [primal(e.a), primal(e.b)]);
    case "not": return new Sym("not", "", [primal(e.a)]);
    case "cond": return new Sym("cond", "", [primal(e.test), primal(e.a), primal(e.b)]);
  }
}

/**
 * Whether a statement list holds a `continue` of loop `id` (outside nested loops it is theirs).
 *
 * @example
 * ```ts
 * hasContinue(loop.body, loop.id); // true when the body continues this loop
 * ```
 */
export function hasContinue(stmts: readonly Stmt[], id: number): boolean {
  let found = false;
  forEachStmt(stmts, (s) => { if (s.k === "continue" && s.loop === id) found = true; });
  return found;
}

/**
 * Whether a symbol is cheap and safe to repeat in code (a name, an element or a number).
 *
 * @example
 * ```ts
 * isSimple(ref("x")); // true
 * ```
 */
export const isSimple = (a: Arg): boolean => typeof a === "number" || a.kind === "ref" || a.kind === "index";
