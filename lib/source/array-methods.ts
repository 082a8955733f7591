/**
 * The array methods `reduce`, `forEach` and `map` called with a function
 * written in place (or a function declared inside f), as counted loops:
 * `a.reduce((acc, v, i) => ..., init)` a value, `a.forEach((v, i) => {...})`
 * a statement, `const b = a.map((v, i) => ...)` a declaration. The function
 * is inlined once per element, as a function declared inside f is inlined
 * where it is called: it reads the names in scope where it is written, its
 * element and index come as arguments, and a return ends its run for that
 * element. Refused, with what to write: another method, a callback that is
 * not a function written in place or declared in f, `reduce` without an
 * initial value, a callback of `reduce` or `map` that writes names or
 * arrays from outside it (it would run before the rest of its expression
 * is read), and `map` inside a block.
 */
import type { Node } from "acorn";
import { writtenNames, type Expr, type Stmt } from "./ir.ts";
import type { Checker, Binding } from "./check.ts";
import type { FunctionNode } from "./parse.ts";
import { checkExpr } from "./check-expr.ts";
import { inlineFunction, unwrapName } from "./inline.ts";
import { countUp } from "./lowering.ts";
import { refuse } from "./source-error.ts";
import type { Op } from "./registry.ts";

type N = Node & Record<string, any>;

/** The array and the callback of a method call. */
interface Parts {
  arr: Binding;
  array: N;
  fn: FunctionNode;
  /** The scopes the callback reads, where it was written. */
  scopes: Map<string, Binding>[];
  /** Its name against recursion. */
  key: string;
}

/** The array and the callback of a method call, checked. */
function parts(c: Checker, n: N, method: string, argCount: number): Parts {
  const array = n.callee.object as N;
  const arr = c.lookup(array.name);
  if (arr === undefined || !arr.array || arr.matrix !== undefined) {
    refuse(n.callee, `${array.name}.${method}`, "is not called on an array parameter or local array", `call ${method} on a flat array by name`);
  }
  const args = n.arguments as N[];
  if (args.length !== argCount || args.some((a) => a.type === "SpreadElement")) {
    refuse(n, `the call of ${array.name}.${method}`, `has ${args.length} arguments`, method === "reduce" ? "pass a function and the initial value: a.reduce((acc, v) => ..., 0)" : `pass one function: a.${method}((v, i) => ...)`);
  }
  const given = unwrapName(args[0]!);
  if (given.type === "ArrowFunctionExpression" || given.type === "FunctionExpression") {
    return { arr, array, fn: given as unknown as FunctionNode, scopes: c.scopes.slice(), key: `$callback${given.start}` };
  }
  const local = given.type === "Identifier" ? c.lookup(given.name) : undefined;
  if (local?.fn !== undefined) return { arr, array, fn: local.fn.node, scopes: local.fn.scopes, key: local.ir };
  refuse(given, `the function passed to ${array.name}.${method}`, "is neither written in place nor declared inside f",
    `write it in place: ${array.name}.${method}(${method === "reduce" ? "(acc, v) => ..., 0" : "(v, i) => ..."})`);
}

/**
 * A loop over the array's elements; `each` inlines the callback for one
 * element into the loop's statements, given its arguments (those it
 * declares of: the `extra` names, the element, the index, the array) and
 * the index's name.
 */
function overElements(c: Checker, p: Parts, out: Stmt[], extra: [string, string][], each: (args: N[], stmts: Stmt[], index: string) => void): void {
  countUp(c, { k: "len", arr: p.arr.ir }, out, (index) => {
    const i = (index as Expr & { k: "var" }).name;
    // The index and the accumulator reach the callback as names of the compiler's own ($ in them), bound here.
    const names = new Map<string, Binding>([["$i", { ir: i, array: false, constant: true }]]);
    for (const [name, ir] of extra) names.set(name, { ir, array: false, constant: true });
    c.scopes.push(names);
    const at = p.array;
    const id = (name: string) => ({ type: "Identifier", name, start: at.start, end: at.end, loc: at.loc }) as N;
    const element = { type: "MemberExpression", object: id(at.name), property: id("$i"), computed: true, optional: false, start: at.start, end: at.end, loc: at.loc } as N;
    const all = [...extra.map(([name]) => id(name)), element, id("$i"), id(at.name)];
    const stmts: Stmt[] = [];
    try {
      each(all.slice(0, (p.fn.params as N[]).length), stmts, i);
    } finally {
      c.scopes.pop();
    }
    return stmts;
  });
}

/**
 * `a.reduce(fn, init)` in a value position: the accumulator starts at
 * `init` and is `fn(acc, a[i], i, a)` after each element.
 *
 * @example
 * ```ts
 * lowerReduce(checker, callNode, pre); // { k: "var", name: "$c4" }, the loop in pre
 * ```
 */
export function lowerReduce(c: Checker, n: N, pre: Stmt[]): Expr {
  const p = parts(c, n, "reduce", 2);
  const acc = c.temp();
  pre.push({ k: "assign", name: acc, value: checkExpr(n.arguments[1], c, pre) });
  overElements(c, p, pre, [["$acc", acc]], (args, stmts) => {
    const r = pureCall(c, p, args, stmts, n, "reduce");
    stmts.push({ k: "assign", name: acc, value: r });
  });
  return { k: "var", name: acc };
}

/**
 * The callback of `reduce` or `map` inlined for one element; one that
 * writes a name or an array from outside it is refused: it would run
 * before the rest of the expression around the call is read.
 */
function pureCall(c: Checker, p: Parts, args: N[], stmts: Stmt[], n: N, method: string): Expr {
  const r = inlineFunction(c, `${p.array.name}.${method}'s function`, p.key, p.fn, p.scopes, args, stmts, n, false);
  const outside = new Set([p.arr.ir, ...p.scopes.flatMap((m) => [...m.values()].map((b) => b.ir))]);
  const written = [...writtenNames(stmts)].find((w) => outside.has(w));
  if (written !== undefined) {
    refuse(n.arguments[0], `the function passed to ${p.array.name}.${method}`, `writes '${written}', declared outside it`, "return the value instead, or loop with forEach or for");
  }
  return r;
}

/**
 * `a.forEach(fn)` as a statement: `fn(a[i], i, a)` for each element, which
 * may write names and arrays in scope.
 *
 * @example
 * ```ts
 * lowerForEach(checker, callNode, out); // out gets the loop
 * ```
 */
export function lowerForEach(c: Checker, n: N, out: Stmt[]): void {
  const p = parts(c, n, "forEach", 1);
  overElements(c, p, out, [], (args, stmts) => {
    inlineFunction(c, `${p.array.name}.forEach's function`, p.key, p.fn, p.scopes, args, stmts, n, false);
  });
}

/**
 * `const b = a.map(fn)` at the top level of the body: a local array of
 * a's length whose element i is `fn(a[i], i, a)`.
 *
 * @example
 * ```ts
 * lowerMap(checker, declaratorNode, callNode, out); // out gets the allocation and the loop
 * ```
 */
export function lowerMap(c: Checker, d: N, n: N, constant: boolean, out: Stmt[]): void {
  const p = parts(c, n, "map", 1);
  if (!constant) refuse(d, `the local array '${d.id.name}'`, "is declared with let", "declare arrays with const (they cannot be reassigned)");
  if (c.depth > 0 || c.loops.length > 0) {
    refuse(n, `the call of ${p.array.name}.map`, "is inside a block", "make the array with map at the top level of the function body, or fill a new Float64Array in a loop");
  }
  const name = c.declare(d, d.id.name, true, true);
  c.arrays.push({ name });
  out.push({ k: "alloc", arr: name, size: { k: "len", arr: p.arr.ir } });
  overElements(c, p, out, [], (args, stmts, index) => {
    const r = pureCall(c, p, args, stmts, n, "map");
    stmts.push({ k: "store", arr: name, index: { k: "var", name: index }, value: r });
  });
}

/**
 * `op` folded over an array from `start` (`Math.max(...a)`): a local set to
 * `start`, then to `op(local, a[i])` for each element.
 *
 * @example
 * ```ts
 * lowerFold(checker, maximumOp, -Infinity, "x", pre); // { k: "var", name: "$c2" }
 * ```
 */
export function lowerFold(c: Checker, op: Op, start: number, arr: string, pre: Stmt[]): Expr {
  const acc = c.temp();
  pre.push({ k: "assign", name: acc, value: { k: "num", v: start } });
  countUp(c, { k: "len", arr }, pre, (index) => [{ k: "assign", name: acc, value: { k: "op", op, args: [{ k: "var", name: acc }, { k: "read", arr, index }] } }]);
  return { k: "var", name: acc };
}
