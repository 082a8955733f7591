/**
 * Helpers that are plain functions are compiled by inlining: each call
 * becomes the helper's checked body, with its number parameters bound to
 * fresh locals holding the arguments, its array parameters naming the
 * caller's arrays, and its returns assigning a fresh result local. A helper
 * that returns before its end is wrapped in a one-pass loop that its
 * returns break out of. Inlining keeps both derivative modes unchanged (the
 * body is ordinary statements) and lets V8 see one function.
 */
import type { Node } from "acorn";
import { writtenNames, type Expr, type Stmt } from "./ir.ts";
import type { Checker, Binding } from "./check.ts";
import { parseFunction, type FunctionNode } from "./parse.ts";
import { checkExpr, arrayMethodOf } from "./check-expr.ts";
import { copyOf } from "./array-makers.ts";
import { refuse, SourceError } from "./source-error.ts";

type N = Node & Record<string, any>;

/** Return statements of a helper body and whether one sits inside a loop. */
function returnsOf(body: N): { count: number; inLoop: N | null } {
  let count = 0;
  let inLoop: N | null = null;
  const visit = (n: unknown, loop: boolean): void => {
    if (n === null || typeof n !== "object") return;
    const m = n as N;
    if (m.type === "ReturnStatement") {
      count++;
      if (loop && inLoop === null) inLoop = m;
    }
    const isLoop = /^(For|While|DoWhile|ForIn|ForOf)Statement$/.test(m.type ?? "");
    for (const key of Object.keys(m)) if (key !== "loc") visit(m[key], loop || isLoop);
  };
  visit(body, false);
  return { count, inLoop };
}

/** The name a node uses in a given way (as an array, as a matrix), or null. */
type Use = (m: N) => string | null;

/**
 * Names a function body uses in the way `direct` tells, directly or by
 * passing them where a function it calls (a plain-function helper, or a
 * function declared inside it) uses its parameter that way. Inside a
 * function declared in the body, its own parameters hide the body's names.
 */
function namesUsed(node: FunctionNode, helpers: Readonly<Record<string, unknown>>, direct: Use, seen: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  const locals = localFunctions(node.body as N);
  const visit = (n: unknown, hidden: ReadonlySet<string>): void => {
    if (n === null || typeof n !== "object") return;
    const m = n as N;
    const name = direct(m);
    if (name !== null && !hidden.has(name)) out.add(name);
    const callee = m.type === "CallExpression" && m.callee?.type === "Identifier" && !seen.has(m.callee.name) ? calleeNode(m.callee.name, locals, helpers) : null;
    if (callee !== null) {
      const inner = namesUsed(callee, helpers, direct, new Set([...seen, m.callee.name]));
      (callee.params as N[]).forEach((p, i) => {
        const a = (m.arguments as N[])[i];
        if (p.type === "Identifier" && inner.has(p.name) && a?.type === "Identifier" && !hidden.has(a.name)) out.add(a.name);
      });
    }
    const own = FUNCTION_NODES.has(m.type) ? new Set([...hidden, ...(m.params as N[]).flatMap((p) => (p.type === "Identifier" ? [p.name as string] : []))]) : hidden;
    for (const key of Object.keys(m)) if (key !== "loc") visit(m[key], own);
  };
  visit(node.body, new Set());
  return out;
}

const FUNCTION_NODES = new Set(["ArrowFunctionExpression", "FunctionExpression", "FunctionDeclaration"]);

/**
 * The functions declared inside a body, by name (`const g = (v) => ...`,
 * `function g(v) { ... }`, at any depth).
 *
 * @example
 * ```ts
 * localFunctions(parseFunction("(x) => { const g = (v) => v; return g(x); }").body).has("g"); // true
 * ```
 */
export function localFunctions(body: N): Map<string, FunctionNode> {
  const out = new Map<string, FunctionNode>();
  const visit = (n: unknown): void => {
    if (n === null || typeof n !== "object") return;
    const m = n as N;
    const init = m.type === "VariableDeclarator" && m.init ? unwrapName(m.init as N) : null;
    if (m.id?.type === "Identifier" && (init?.type === "ArrowFunctionExpression" || init?.type === "FunctionExpression")) out.set(m.id.name, init as unknown as FunctionNode);
    if (m.type === "FunctionDeclaration" && m.id?.type === "Identifier") out.set(m.id.name, m as unknown as FunctionNode);
    for (const key of Object.keys(m)) if (key !== "loc") visit(m[key]);
  };
  visit(body);
  return out;
}

/**
 * `__name(f, "g")`, which esbuild writes around functions when it keeps
 * their names (tsx, and bundles built with keepNames), read as `f`; any
 * other node as it is.
 *
 * @example
 * ```ts
 * unwrapName(parseExpression('__name((v) => v, "g")')).type; // "ArrowFunctionExpression"
 * ```
 */
export function unwrapName(n: N): N {
  const args = n.type === "CallExpression" && n.callee?.type === "Identifier" && n.callee.name === "__name" ? n.arguments as N[] : null;
  return args !== null && args.length === 2 && args[1]!.type === "Literal" && typeof args[1]!.value === "string" ? args[0]! : n;
}

/** The function a call names: one declared in the body, or a plain-function helper; null for others. */
function calleeNode(name: string, locals: ReadonlyMap<string, FunctionNode>, helpers: Readonly<Record<string, unknown>>): FunctionNode | null {
  const local = locals.get(name);
  if (local !== undefined) return local;
  return isPlainFunction(helpers[name]) ? parseFunction(String(helpers[name])) : null;
}

/** `a[i]`, `a.length`, `a.reduce(...)` (and forEach, map), `for (... of a)` (and of `a.entries()`, `a.keys()`) and `[u, v] = a` use `a` as an array. */
const arrayUse: Use = (m) => {
  if (m.type === "MemberExpression" && m.object?.type === "Identifier" && (m.computed || m.property?.name === "length")) return m.object.name;
  if (m.type === "CallExpression" && arrayMethodOf(m) !== null) return m.callee.object.name;
  // A copy of it: a.slice(), [...a], Float64Array.from(a), Array.from(a).
  if (m.type === "CallExpression" || m.type === "ArrayExpression") {
    const source = copyOf(m);
    if (source !== null) return source.name;
  }
  // for (const [i, v] of a.entries()) and a.keys().
  if (m.type === "ForOfStatement" && m.right?.type === "CallExpression" && m.right.callee?.type === "MemberExpression" && m.right.callee.object?.type === "Identifier"
    && ["entries", "keys"].includes(m.right.callee.property?.name)) return m.right.callee.object.name;
  if (m.type === "SpreadElement" && m.argument?.type === "Identifier") return m.argument.name;
  if (m.type === "VariableDeclarator" && m.id?.type === "ArrayPattern" && m.init?.type === "Identifier") return m.init.name;
  if (m.type === "AssignmentExpression" && m.left?.type === "ArrayPattern" && m.right?.type === "Identifier") return m.right.name;
  return m.type === "ForOfStatement" && m.right?.type === "Identifier" ? m.right.name : null;
};

/** `m[i][j]` and `m[i].length` use `m` as a matrix. */
const matrixUse: Use = (m) => {
  const row = m.type === "MemberExpression" ? m.object as N | undefined : undefined;
  return row?.type === "MemberExpression" && row.computed && row.object?.type === "Identifier" && (m.computed || m.property?.name === "length") ? row.object.name : null;
};

/**
 * Names a function body uses as arrays: indexed, asked their length, run
 * over by for...of, or passed where a plain-function helper takes an array.
 *
 * @example
 * ```ts
 * arrayParams(parseFunction("(x, n) => x[0] * n"), {}); // Set { "x" }
 * ```
 */
export function arrayParams(node: FunctionNode, helpers: Readonly<Record<string, unknown>>): Set<string> {
  return namesUsed(node, helpers, arrayUse, new Set());
}

/**
 * Names a function body uses as matrices (arrays of rows): indexed twice
 * (`m[i][j]`), asked a row's length (`m[i].length`), or passed where a
 * plain-function helper takes a matrix.
 *
 * @example
 * ```ts
 * matrixParams(parseFunction("(w, x) => w[0][1] * x[1]"), {}); // Set { "w" }
 * ```
 */
export function matrixParams(node: FunctionNode, helpers: Readonly<Record<string, unknown>>): Set<string> {
  return namesUsed(node, helpers, matrixUse, new Set());
}

/**
 * Whether a helper is a plain function (to inline), not a registry op.
 *
 * @example
 * ```ts
 * isPlainFunction((a: number) => a * a); // true; isPlainFunction(sin) is false
 * ```
 */
export function isPlainFunction(fn: unknown): boolean {
  return typeof fn === "function" && (fn as { op?: unknown }).op === undefined;
}

/** The arguments, read in the caller's scope: an array binding or a value expression per parameter. */
function argumentsOf(c: Checker, name: string, kind: string, node: FunctionNode, args: N[], pre: Stmt[], at: N): (Binding | Expr)[] {
  const arrays = arrayParams(node, c.helpers);
  const matrices = matrixParams(node, c.helpers);
  const params = node.params as N[];
  if (params.length !== args.length) refuse(at, `the call of ${kind} '${name}'`, `has ${args.length} arguments`, `pass ${params.length}`);
  return params.map((p, i) => {
    if (p.type !== "Identifier") refuse(p, `a parameter of ${kind} '${name}'`, "is not a plain name", "take each argument as a plain parameter");
    const arg = args[i];
    const fn = functionArgument(c, arg);
    if (fn !== null) {
      if (arrays.has(p.name)) refuse(arg, `argument ${i + 1} of ${kind} '${name}'`, "is a function, but the helper indexes it", "pass an array there");
      return fn;
    }
    if (!arrays.has(p.name)) return checkExpr(arg, c, pre);
    const b = arg.type === "Identifier" ? c.lookup(arg.name) : undefined;
    if (b === undefined || !b.array) refuse(arg, `argument ${i + 1} of ${kind} '${name}'`, "is not an array name, but the helper indexes it", "pass an array parameter or local by name");
    if ((b.matrix !== undefined) !== matrices.has(p.name)) {
      refuse(arg, `argument ${i + 1} of ${kind} '${name}'`, b.matrix !== undefined ? "is a matrix, but the helper indexes it once" : "is not a matrix, but the helper indexes it twice",
        "pass a matrix where the helper reads m[i][j], and a flat array where it reads a[i]");
    }
    return b;
  });
}

/**
 * A function passed as an argument: one declared inside f (or passed in
 * to the function being inlined), or written in place; null for any other
 * argument. Its binding keeps the scopes where it was written.
 */
function functionArgument(c: Checker, arg: N): Binding | null {
  const given = unwrapName(arg);
  if (given.type === "ArrowFunctionExpression" || given.type === "FunctionExpression") {
    return { ir: `$fn${given.start}`, array: false, constant: true, fn: { node: given as unknown as FunctionNode, scopes: c.scopes.slice() } };
  }
  const b = given.type === "Identifier" ? c.lookup(given.name) : undefined;
  return b?.fn !== undefined ? b : null;
}

/** The helper's scope: number parameters bound to fresh locals assigned the arguments, arrays to the caller's arrays, functions to themselves. */
function bindParams(c: Checker, node: FunctionNode, values: (Binding | Expr)[], pre: Stmt[]): Map<string, Binding> {
  const scope = new Map<string, Binding>();
  (node.params as N[]).forEach((p, i) => {
    const v = values[i];
    if ("ir" in v && v.fn !== undefined) {
      // A function passed in: calls of the parameter inline it, reading the names where it was written.
      scope.set(p.name, v);
      return;
    }
    if ("ir" in v) {
      scope.set(p.name, { ir: v.ir, array: true, constant: true, ...(v.matrix === undefined ? {} : { matrix: v.matrix }) });
      return;
    }
    const ir = c.declare(p, p.name, false, false);
    pre.push({ k: "assign", name: ir, value: v });
    scope.set(p.name, { ir, array: false, constant: false });
  });
  return scope;
}

/**
 * Inlines a call `name(args)` of a plain-function helper into `pre` and
 * returns the local holding its value.
 *
 * @example
 * ```ts
 * inlineHelper(checker, "sq", (a: number) => a * a, [argNode], pre, callNode); // { k: "var", name: "$h0" }
 * ```
 */
export function inlineHelper(c: Checker, name: string, fn: unknown, args: Node[], pre: Stmt[], at: Node, inExpression = true): Expr {
  let node: FunctionNode;
  try {
    node = parseFunction(String(fn));
  } catch (e) {
    throw relabel(e, name);
  }
  try {
    return inlineFunction(c, name, name, node, null, args, pre, at, inExpression);
  } catch (e) {
    throw relabel(e, name);
  }
}

/**
 * Inlines a call of `node` into `pre` and returns the local holding its
 * value. `outer` null (a helper) reads only the function's own names; a
 * function declared inside f passes the scopes where it was declared
 * (`outer`), whose names its body reads and writes as a closure does (their
 * values at the call, since the call runs in place), and `key`, its unique
 * name, against recursion. With `inExpression`, a function that writes a name or
 * an array from outside it (a caller's array passed to it, or a name in
 * `outer`) is refused: in `acc += g(v)` JavaScript reads acc before g
 * runs, and running g first would not give that value.
 *
 * @example
 * ```ts
 * inlineFunction(checker, "g", "g", gNode, scopesAtDeclaration, [argNode], pre, callNode, true); // { k: "var", name: "$c3" }
 * ```
 */
export function inlineFunction(c: Checker, name: string, key: string, node: FunctionNode, outer: Map<string, Binding>[] | null, args: Node[], pre: Stmt[], at: Node, inExpression: boolean): Expr {
  const kind = outer === null ? "helper" : "function";
  if (c.inlining?.active.has(key)) refuse(at, `the call of ${kind} '${name}'`, "is recursive", "write the recursion as a loop");
  if ((node as N).async || (node as N).generator) refuse(node, "an async or generator function", "is not in the accepted language", "pass a plain function");
  const saved = { scopes: c.scopes, loops: c.loops, depth: c.depth, inlining: c.inlining, switches: c.switches };
  const values = argumentsOf(c, name, kind, node, args as N[], pre, at as N);
  const from = pre.length;
  const result = c.temp();
  const { count, inLoop } = returnsOf(node.body as N);
  if (inLoop !== null) refuse(inLoop, `a return inside a loop of ${kind} '${name}'`, "is not accepted", "leave the loop with break and return after it");
  const body = node.body as N;
  const lastIsReturn = body.type !== "BlockStatement" || (body.body as N[])[body.body.length - 1]?.type === "ReturnStatement";
  // Only a return before the end needs the one-pass loop to leave through.
  const exit = count > 1 || (count === 1 && !lastIsReturn) ? c.nextLoop++ : null;
  try {
    c.scopes = [...(outer ?? []), new Map()];
    c.inlining = { result, exit, name, active: new Set([...(saved.inlining?.active ?? []), key]) };
    const scope = bindParams(c, node, values, pre);
    c.scopes = [...(outer ?? []), scope];
    c.loops = [];
    c.switches = [];
    c.depth = 1;
    const stmts = body.type === "BlockStatement" ? c.block(body.body, true) : c.block([{ ...body, type: "ReturnStatement", argument: body } as N], true);
    if (exit === null) pre.push(...stmts);
    else pre.push({ k: "loop", id: exit, test: { k: "num", v: 1 }, body: [...stmts, { k: "break", loop: exit }], update: [] });
  } finally {
    Object.assign(c, saved);
  }
  if (inExpression) {
    const outside = new Set([...(outer ?? []).flatMap((m) => [...m.values()].map((b) => b.ir)), ...values.flatMap((v) => ("ir" in v ? [v.ir] : []))]);
    const written = [...writtenNames(pre.slice(from))].find((w) => outside.has(w));
    if (written !== undefined) {
      refuse(at, `the call of ${kind} '${name}'`, `writes '${written}', declared outside it, inside an expression`,
        "call it as a statement (g(...);) and read what it wrote afterwards, or return the value instead");
    }
  }
  return { k: "var", name: result };
}

/**
 * A return inside an inlined helper: assign the result, and leave the helper
 * when the return is not its last statement.
 *
 * @example
 * ```ts
 * helperReturn(checker, returnNode, argNode, out);
 * ```
 */
export function helperReturn(c: Checker, n: Node, arg: Node | null, out: Stmt[]): void {
  const h = c.inlining!;
  if ((arg as N | null)?.type === "ArrayExpression") refuse(n, `a return of an array from helper '${h.name}'`, "is not accepted", "helpers return numbers; write results into an array argument instead");
  // A bare return gives undefined, which reads as NaN in arithmetic (a call made as a statement drops it).
  out.push({ k: "assign", name: h.result, value: arg === null ? { k: "num", v: NaN } : checkExpr(arg, c, out) });
  if (h.exit !== null) out.push({ k: "break", loop: h.exit });
}

/** Names the helper in a refusal from inside it (positions are in the helper's own text). */
function relabel(e: unknown, name: string): unknown {
  if (e instanceof SourceError && !e.message.includes("in helper '")) {
    e.message = e.message.replace(/^compile: /, `compile: in helper '${name}', `);
  }
  return e;
}
