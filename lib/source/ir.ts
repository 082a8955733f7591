/**
 * The compiler's intermediate form: the accepted language after checking.
 * Names are unique (block-scoped declarations renamed apart), operators and
 * `Math.*` calls are registry ops, compound assignments are spelled out, and
 * `?:` in value positions is lowered to `if` statements, so the emitters see
 * a small, uniform language.
 */
import type { Op } from "./registry.ts";

/** A comparison or logical operator (their operands are not differentiated). */
export type Relation = "<" | "<=" | ">" | ">=" | "===" | "!==" | "==" | "!=" | "&&" | "||";

/** An expression. */
export type Expr =
  | { k: "num"; v: number }
  | { k: "var"; name: string }
  | { k: "read"; arr: string; index: Expr }
  | { k: "len"; arr: string }
  | { k: "op"; op: Op; args: Expr[] }
  | { k: "rel"; rel: Relation; a: Expr; b: Expr }
  | { k: "not"; a: Expr }
  | { k: "cond"; test: Expr; a: Expr; b: Expr };

/** A statement. `loop` is `while (test) { body; update }`, where `continue` still runs `update`. */
export type Stmt =
  | { k: "assign"; name: string; value: Expr }
  | { k: "store"; arr: string; index: Expr; value: Expr }
  | { k: "if"; test: Expr; then: Stmt[]; else: Stmt[] }
  | { k: "loop"; id: number; test: Expr; body: Stmt[]; update: Stmt[] }
  | { k: "break"; loop: number }
  | { k: "continue"; loop: number }
  | { k: "return"; value: Expr | null }
  | { k: "alloc"; arr: string; size: Expr };

/** A parameter: a number or an array (decided by how the body uses it). */
export interface Param {
  name: string;
  array: boolean;
  /** Index into `wrt`, or -1 when the parameter is not differentiated. */
  wrt: number;
  /**
   * A matrix: the caller passes an array of rows of one length (indexed
   * `a[i][j]`); the generated code takes its entries row by row in one
   * array, and its row count and row length in the two size parameters named here.
   */
  matrix?: { rows: string; cols: string };
  /** A size parameter the call adds after the caller's arguments: the row count or row length of matrix parameter `of`. */
  size?: { of: number; dim: "rows" | "cols" };
  /**
   * An object parameter (read as `p.f`), or with `list` an array of objects
   * (read as `p[i].f`): the generated code never reads it; each field it
   * reads is a parameter of its own (an array of the elements' fields for a
   * list), listed here by index.
   */
  object?: { fields: number[]; list?: boolean };
  /** A field of object parameter `of`, by its key: the call passes the field's value here. */
  field?: { of: number; key: string };
  /** The number written as the parameter's default (`k = 2`): a call that leaves it out, or passes undefined, gets it. */
  fallback?: number;
}

/** A local array (allocated by an `alloc` statement at the top level of the body, so once per call). */
export interface LocalArray {
  name: string;
}

/** A checked function. */
export interface Fn {
  params: Param[];
  /** Scalar locals (unique names), including compiler temporaries. */
  locals: string[];
  arrays: LocalArray[];
  body: Stmt[];
  /** The local array returned, or null when the function returns numbers. */
  resultArray: string | null;
  /** Parameter arrays the body writes into (the derivative calls copy them first). */
  writtenParams: string[];
}

/**
 * The operands of an expression, in evaluation order (none for a leaf).
 *
 * @example
 * ```ts
 * operandsOf(parse("x[i] * h")); // [x[i], h]
 * ```
 */
export function operandsOf(e: Expr): Expr[] {
  switch (e.k) {
    case "read": return [e.index];
    case "op": return e.args;
    case "rel": return [e.a, e.b];
    case "not": return [e.a];
    case "cond": return [e.test, e.a, e.b];
    default: return [];
  }
}

/**
 * `e` with each operand replaced by `f(operand)`; a leaf as it is.
 *
 * @example
 * ```ts
 * const bump = (x: Expr): Expr => (x.k === "num" ? { k: "num", v: x.v + 1 } : mapOperands(x, bump));
 * bump(parse("x[i + 1] * 2")); // x[i + 2] * 3
 * ```
 */
export function mapOperands(e: Expr, f: (x: Expr) => Expr): Expr {
  switch (e.k) {
    case "read": return { ...e, index: f(e.index) };
    case "op": return { ...e, args: e.args.map(f) };
    case "rel": return { ...e, a: f(e.a), b: f(e.b) };
    case "not": return { ...e, a: f(e.a) };
    case "cond": return { ...e, test: f(e.test), a: f(e.a), b: f(e.b) };
    default: return e;
  }
}

/**
 * Visits `e` and every expression inside it, parents first.
 *
 * @example
 * ```ts
 * visitExpr(e, (x) => { if (x.k === "read") arrays.add(x.arr); });
 * ```
 */
export function visitExpr(e: Expr, visit: (x: Expr) => void): void {
  visit(e);
  for (const x of operandsOf(e)) visitExpr(x, visit);
}

/**
 * Visits every expression of a statement list (including nested ones), with
 * the statement that holds it.
 *
 * @example
 * ```ts
 * forEachExpr(fn.body, (e) => { if (e.k === "var") names.add(e.name); });
 * ```
 */
export function forEachExpr(stmts: readonly Stmt[], visit: (e: Expr) => void): void {
  const expr = (e: Expr): void => visitExpr(e, visit);
  for (const s of stmts) {
    if (s.k === "assign") expr(s.value);
    else if (s.k === "store") { expr(s.index); expr(s.value); }
    else if (s.k === "if") { expr(s.test); forEachExpr(s.then, visit); forEachExpr(s.else, visit); }
    else if (s.k === "loop") { expr(s.test); forEachExpr(s.body, visit); forEachExpr(s.update, visit); }
    else if (s.k === "return" && s.value !== null) expr(s.value);
    else if (s.k === "alloc") expr(s.size);
  }
}

/**
 * Visits every statement, nested ones included, in source order.
 *
 * @example
 * ```ts
 * forEachStmt(fn.body, (s) => { if (s.k === "store") written.add(s.arr); });
 * ```
 */
export function forEachStmt(stmts: readonly Stmt[], visit: (s: Stmt) => void): void {
  for (const s of stmts) {
    visit(s);
    if (s.k === "if") { forEachStmt(s.then, visit); forEachStmt(s.else, visit); }
    else if (s.k === "loop") { forEachStmt(s.body, visit); forEachStmt(s.update, visit); }
  }
}

/**
 * The array parameters a body writes into.
 *
 * @example
 * ```ts
 * writtenArrays(fn.body, fn.params); // ["x"] when the body stores into x[i]
 * ```
 */
export function writtenArrays(body: readonly Stmt[], params: readonly Param[]): string[] {
  const out = new Set<string>();
  forEachStmt(body, (s) => { if (s.k === "store") out.add(s.arr); });
  return params.filter((p) => p.array && out.has(p.name)).map((p) => p.name);
}

/**
 * The scalar names and arrays a statement list writes (nested statements included).
 *
 * @example
 * ```ts
 * writtenNames(loop.body); // Set { "s", "i", "y" } for `s = ...; y[i] = ...; i = i + 1`
 * ```
 */
export function writtenNames(stmts: readonly Stmt[]): Set<string> {
  const out = new Set<string>();
  forEachStmt(stmts, (s) => {
    if (s.k === "assign") out.add(s.name);
    else if (s.k === "store" || s.k === "alloc") out.add(s.arr);
  });
  return out;
}

/**
 * The scalar names an expression reads (index expressions included; not the arrays it indexes).
 *
 * @example
 * ```ts
 * namesIn(parse("x[i] * h + 1")); // Set { "i", "h" }
 * ```
 */
export function namesIn(e: Expr, out = new Set<string>()): Set<string> {
  visitExpr(e, (x) => { if (x.k === "var") out.add(x.name); });
  return out;
}

/**
 * `e` with the given nodes (by identity) replaced by names: a value computed
 * into a constant, read back where the expression had it.
 *
 * @example
 * ```ts
 * replaceNodes(s.value, new Map([[sinNode, "$t3"]])); // s.value reading $t3 where it called sin
 * ```
 */
export function replaceNodes(e: Expr, names: ReadonlyMap<Expr, string>): Expr {
  const n = names.get(e);
  return n !== undefined ? { k: "var", name: n } : mapOperands(e, (x) => replaceNodes(x, names));
}
