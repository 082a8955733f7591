/**
 * Checks one expression of the accepted language and converts it to the
 * intermediate form: operators and `Math.*` become registry ops, names are
 * resolved through the enclosing scopes, and anything else is refused with
 * its line, column and a fix.
 */
import type { Node } from "acorn";
import type { Expr, Relation, Stmt } from "./ir.ts";
import { elementwiseOp, opOfFunction, type Op } from "./registry.ts";
import { refuse } from "./source-error.ts";

/** What an expression needs from the statement checker. */
export interface Names {
  /** The binding of a source name, or undefined when none is in scope. */
  lookup(name: string): { ir: string; array: boolean; matrix?: { rows: string; cols: string }; fn?: unknown } | undefined;
  /** A fresh scalar local for a lowered `?:`. */
  temp(): string;
  helpers: Readonly<Record<string, unknown>>;
  /** Inlines a call of a plain-function helper; returns the local holding its result. */
  inline(name: string, fn: unknown, args: Node[], pre: Stmt[], at: Node): Expr;
  /** Inlines a call of a function declared inside f; returns the local holding its result. */
  inlineLocal(name: string, args: Node[], pre: Stmt[], at: Node): Expr;
  /** What a `k++` inside an expression stands for, when its statement stepped it already (see hoistUpdates). */
  stepped: ReadonlyMap<Node, Expr>;
  /** `a.reduce(fn, init)` as a loop appended to `pre`; returns the local holding its value (see array-methods.ts). */
  reduce(n: Node, pre: Stmt[]): Expr;
  /** `op(...op(op(start, a[0]), a[1])...)` over array `arr` as a loop appended to `pre`; returns the local holding it. */
  fold(op: Op, start: number, arr: string, pre: Stmt[]): Expr;
}

type N = Node & Record<string, any>;

/** Binary operators that are registry ops; `%` is fmod (the sign of the dividend, as JavaScript), `&` bitAnd and so on. */
const ARITHMETIC: Record<string, string> = {
  "+": "add", "-": "sub", "*": "mul", "/": "div", "**": "pow", "%": "fmod",
  "&": "bitAnd", "|": "bitOr", "^": "bitXor", "<<": "shiftLeft", ">>": "shiftRight", ">>>": "shiftRightUnsigned",
};
const RELATIONS = new Set(["<", "<=", ">", ">=", "===", "!==", "==", "!="]);
/** Math names whose registry op has another name, or that take any number of arguments. */
const MATH_ALIASES: Record<string, string> = { max: "maximum", min: "minimum" };
const MATH_CONSTANTS = new Set(["E", "LN2", "LN10", "LOG2E", "LOG10E", "PI", "SQRT1_2", "SQRT2"]);
const VARIADIC = new Set(["maximum", "minimum", "hypot"]);
const NUMBER_CONSTANTS = new Set(["EPSILON", "MAX_VALUE", "MIN_VALUE", "MAX_SAFE_INTEGER", "MIN_SAFE_INTEGER", "POSITIVE_INFINITY", "NEGATIVE_INFINITY", "NaN"]);
/** Tests of a number (Number.isNaN, ..., and the global isNaN and isFinite, which agree with them on numbers). */
const NUMBER_TESTS = new Set(["isNaN", "isFinite", "isInteger"]);

/** The array methods read as loops (see array-methods.ts). */
export const ARRAY_METHODS = new Set(["reduce", "forEach", "map"]);

/**
 * The method a call names, when it is `a.reduce`, `a.forEach` or `a.map`
 * on a name (null for any other call).
 *
 * @example
 * ```ts
 * arrayMethodOf(callNode); // "reduce" for x.reduce((s, v) => s + v, 0)
 * ```
 */
export function arrayMethodOf(n: N): string | null {
  const c = n.type === "CallExpression" ? n.callee as N : null;
  return c?.type === "MemberExpression" && !c.computed && c.object.type === "Identifier" && ARRAY_METHODS.has(c.property.name) ? c.property.name : null;
}

function op(name: string, at: N): Op {
  const found = elementwiseOp(name);
  if (found === undefined) refuse(at, `the operation '${name}'`, "has no op in the registry", "register it with defineOp and pass it in helpers");
  return found;
}

/**
 * Converts an expression. With `pre` (value positions), a `?:` is lowered to
 * an `if` that assigns a temporary, appended to `pre`, so the derivative
 * follows only the branch taken; conditions and indices keep `?:` as is.
 *
 * @example
 * ```ts
 * checkExpr(node, names, pre); // { k: "op", op: mul, args: [...] }
 * ```
 */
export function checkExpr(node: Node, names: Names, pre: Stmt[] | null): Expr {
  const n = node as N;
  switch (n.type) {
    case "Literal": return literal(n);
    case "Identifier": return identifier(n, names);
    case "MemberExpression": return member(n, names);
    case "BinaryExpression": return binary(n, names, pre);
    case "LogicalExpression":
      if (n.operator === "??") refuse(n, "the ?? operator", "is not in the accepted language", "compare explicitly and use ?:");
      return { k: "rel", rel: n.operator as Relation, a: checkExpr(n.left, names, null), b: checkExpr(n.right, names, null) };
    case "UnaryExpression": return unary(n, names, pre);
    case "CallExpression": return call(n, names, pre);
    case "ConditionalExpression": return conditional(n, names, pre);
    case "UpdateExpression": {
      const value = names.stepped.get(n);
      if (value !== undefined) return value;
      refuse(n, "++/-- inside this expression", "is only accepted in assignments, declarations and returns", "step the counter in a statement of its own");
    }
    default:
      refuse(n, describeNode(n), "is not in the accepted language", "use numbers, arrays, arithmetic, Math functions and registry ops passed in helpers");
  }
}

function literal(n: N): Expr {
  if (typeof n.value === "number") return { k: "num", v: n.value };
  if (typeof n.value === "boolean") return { k: "num", v: n.value ? 1 : 0 };
  refuse(n, `the literal ${String(n.raw)}`, "is not a number", "compute on numbers only");
}

function identifier(n: N, names: Names): Expr {
  if (n.name === "NaN") return { k: "num", v: NaN };
  if (n.name === "Infinity") return { k: "num", v: Infinity };
  const b = names.lookup(n.name);
  if (b === undefined) {
    refuse(n, `the free variable '${n.name}'`, "is not a parameter, a local or a helper",
      `pass '${n.name}' as an argument, or in compile(f, { helpers: { ${n.name} } }) if it is a registry op`);
  }
  if (b.fn !== undefined) refuse(n, `the function '${n.name}'`, "is used as a value", `call it where its value is needed: ${n.name}(...)`);
  if (b.array) refuse(n, `the array '${n.name}'`, "is used where a number is expected", `read an element (${n.name}[i]) or its length (${n.name}.length)`);
  return { k: "var", name: b.ir };
}

function member(n: N, names: Names): Expr {
  const obj = n.object as N;
  if (obj.type === "Identifier" && obj.name === "Math" && names.lookup("Math") === undefined) {
    if (!n.computed && MATH_CONSTANTS.has(n.property.name)) return { k: "num", v: Reflect.get(Math, n.property.name) as number };
    refuse(n, `Math.${n.computed ? "[...]" : n.property.name}`, "is not a Math constant", "call Math functions, or use the constants E, LN2, LN10, LOG2E, LOG10E, PI, SQRT1_2, SQRT2");
  }
  if (obj.type === "Identifier" && obj.name === "Number" && names.lookup("Number") === undefined) {
    if (!n.computed && NUMBER_CONSTANTS.has(n.property.name)) return { k: "num", v: Reflect.get(Number, n.property.name) as number };
    refuse(n, `Number.${n.computed ? "[...]" : n.property.name}`, "is not a Number constant", `use one of ${[...NUMBER_CONSTANTS].join(", ")}, or call Number.isNaN, Number.isFinite or Number.isInteger`);
  }
  const row = obj.type === "MemberExpression" && obj.computed && obj.object.type === "Identifier" ? names.lookup(obj.object.name) : undefined;
  if (row?.matrix !== undefined) return matrixMember(n, row as MatrixBinding, names);
  const arr = obj.type === "Identifier" ? names.lookup(obj.name) : undefined;
  if (arr?.matrix !== undefined) {
    if (!n.computed && n.property.name === "length") return { k: "var", name: arr.matrix.rows };
    refuse(n, `the row ${obj.name}[...] of the matrix '${obj.name}'`, "is used where a number is expected", `read an element (${obj.name}[i][j]), the row count (${obj.name}.length) or the row length (${obj.name}[i].length)`);
  }
  if (arr === undefined || !arr.array) {
    refuse(n, "this member access", "is not an element or the length of an array parameter or local", "index arrays by name (a[i]); objects and properties are not in the language");
  }
  if (!n.computed) {
    if (n.property.name === "length") return { k: "len", arr: arr.ir };
    refuse(n, `the property .${n.property.name}`, "is not in the accepted language", "only .length is read from arrays");
  }
  return { k: "read", arr: arr.ir, index: checkExpr(n.property, names, null) };
}

type MatrixBinding = { ir: string; matrix: { rows: string; cols: string } };

/** `m[i][j]` as the element i * cols + j of m's entries, or `m[i].length` as its row length. */
function matrixMember(n: N, m: MatrixBinding, names: Names): Expr {
  if (!n.computed) {
    if (n.property.name === "length") return { k: "var", name: m.matrix.cols };
    refuse(n, `the property .${n.property.name}`, "is not in the accepted language", "only .length is read from a matrix's rows");
  }
  return { k: "read", arr: m.ir, index: matrixIndex(m.matrix.cols, checkExpr(n.object.property, names, null), checkExpr(n.property, names, null)) };
}

/**
 * The position of entry (i, j) of a matrix whose rows of `cols` entries lie one after another.
 *
 * @example
 * ```ts
 * matrixIndex("a$cols", i, j); // i * a$cols + j
 * ```
 */
export function matrixIndex(cols: string, i: Expr, j: Expr): Expr {
  return { k: "op", op: elementwiseOp("add")!, args: [{ k: "op", op: elementwiseOp("mul")!, args: [i, { k: "var", name: cols }] }, j] };
}

function binary(n: N, names: Names, pre: Stmt[] | null): Expr {
  // x ** 2 is the registry's square: the same value (JavaScript engines compute both as x * x),
  // and a rule without the guards pow needs for exponent and base 0 (no mask calls, 2x as code).
  if (n.operator === "**" && n.right.type === "Literal" && n.right.value === 2) {
    return { k: "op", op: op("square", n), args: [checkExpr(n.left, names, pre)] };
  }
  const name = ARITHMETIC[n.operator];
  if (name !== undefined) return { k: "op", op: op(name, n), args: [checkExpr(n.left, names, pre), checkExpr(n.right, names, pre)] };
  if (RELATIONS.has(n.operator)) return { k: "rel", rel: n.operator as Relation, a: checkExpr(n.left, names, null), b: checkExpr(n.right, names, null) };
  refuse(n, `the operator ${n.operator}`, "is not in the accepted language", "use + - * / % **, the bitwise operators and comparisons (in and instanceof are refused)");
}

function unary(n: N, names: Names, pre: Stmt[] | null): Expr {
  if (n.operator === "-") {
    const a = checkExpr(n.argument, names, pre);
    return a.k === "num" ? { k: "num", v: -a.v } : { k: "op", op: op("neg", n), args: [a] };
  }
  if (n.operator === "+") return checkExpr(n.argument, names, pre);
  if (n.operator === "!") return { k: "not", a: checkExpr(n.argument, names, null) };
  if (n.operator === "~") return { k: "op", op: op("bitNot", n), args: [checkExpr(n.argument, names, pre)] };
  refuse(n, `the operator ${n.operator}`, "is not in the accepted language", "use unary -, +, ! and ~ only");
}

function callee(n: N, names: Names): Op {
  const c = n.callee as N;
  if (c.type === "MemberExpression" && !c.computed && c.object.type === "Identifier" && c.object.name === "Math" && names.lookup("Math") === undefined) {
    const name = MATH_ALIASES[c.property.name] ?? c.property.name;
    const isMath = typeof Reflect.get(Math, c.property.name) === "function";
    const found = isMath ? elementwiseOp(name) : undefined;
    if (found === undefined) {
      refuse(n, `Math.${c.property.name}`, "has no counterpart in the op registry", "use another Math function or a registry op passed in helpers");
    }
    return found;
  }
  if (c.type === "Identifier" && Object.prototype.hasOwnProperty.call(names.helpers, c.name)) {
    const found = opOfFunction(names.helpers[c.name]);
    if (found === undefined || found.elementwise === null) {
      refuse(n, `the helper '${c.name}'`, "is not an elementwise registry op", "pass registry ops or plain functions in helpers");
    }
    return found;
  }
  refuse(n, "this call", "is not a Math function or a helper", "call Math functions with a registry counterpart, or pass the function in compile(f, { helpers })");
}

function isPlainHelper(n: N, names: Names): boolean {
  const c = n.callee as N;
  if (c.type !== "Identifier" || !Object.prototype.hasOwnProperty.call(names.helpers, c.name)) return false;
  const fn = names.helpers[c.name];
  return typeof fn === "function" && opOfFunction(fn) === undefined;
}

/** The test a call of Number.isNaN, Number.isFinite, Number.isInteger, isNaN or isFinite makes, or null for another call. */
function numberTest(n: N, names: Names): string | null {
  const c = n.callee as N;
  if (c.type === "MemberExpression" && !c.computed && c.object.type === "Identifier" && c.object.name === "Number" && names.lookup("Number") === undefined) {
    if (!NUMBER_TESTS.has(c.property.name)) refuse(n, `Number.${c.property.name}`, "is not in the accepted language", "call Number.isNaN, Number.isFinite or Number.isInteger");
    return c.property.name;
  }
  const global = c.type === "Identifier" && (c.name === "isNaN" || c.name === "isFinite");
  return global && names.lookup(c.name) === undefined && !Object.prototype.hasOwnProperty.call(names.helpers, c.name) ? c.name : null;
}

/**
 * A number test as comparisons, which are not differentiated: NaN is the
 * one value unequal to itself, a finite x has x - x === 0, and an integer
 * is finite and its own floor.
 */
function testOf(test: string, n: N, names: Names, pre: Stmt[] | null): Expr {
  if (n.arguments.length !== 1 || n.arguments[0].type === "SpreadElement") refuse(n, `the call of ${test}`, `has ${n.arguments.length} arguments`, "pass 1");
  let a = checkExpr(n.arguments[0], names, pre);
  // The value is read twice below: a value that is not a name, a number or an element is computed once, into a local.
  if (pre !== null && a.k !== "var" && a.k !== "num" && a.k !== "read") {
    const t = names.temp();
    pre.push({ k: "assign", name: t, value: a });
    a = { k: "var", name: t };
  }
  const again = () => (pre === null ? checkExpr(n.arguments[0], names, null) : a);
  const finite: Expr = { k: "rel", rel: "===", a: { k: "op", op: op("sub", n), args: [a, again()] }, b: { k: "num", v: 0 } };
  if (test === "isNaN") return { k: "rel", rel: "!==", a, b: again() };
  if (test === "isFinite") return finite;
  return { k: "rel", rel: "&&", a: finite, b: { k: "rel", rel: "===", a: { k: "op", op: op("floor", n), args: [again()] }, b: again() } };
}

function call(n: N, names: Names, pre: Stmt[] | null): Expr {
  const test = numberTest(n, names);
  if (test !== null) return testOf(test, n, names, pre);
  // Number(x) of a number (or a flag) is x: the language has no other values to convert.
  if (n.callee.type === "Identifier" && n.callee.name === "Number" && names.lookup("Number") === undefined && !Object.prototype.hasOwnProperty.call(names.helpers, "Number")) {
    if (n.arguments.length !== 1 || n.arguments[0].type === "SpreadElement") refuse(n, "the call of Number", `has ${n.arguments.length} arguments`, "pass 1");
    return checkExpr(n.arguments[0], names, pre);
  }
  const method = arrayMethodOf(n);
  if (method === "reduce") {
    if (pre === null) refuse(n, "the call of reduce", "is in a loop condition or an index", "compute it into a local first (const s = a.reduce(...)) and use the local there");
    return names.reduce(n, pre);
  }
  if (method !== null) {
    refuse(n, `the call of ${method}`, method === "map" ? "is inside an expression" : "is used as a value",
      method === "map" ? "declare the array it makes: const b = a.map((v) => ...)" : "call forEach as a statement of its own");
  }
  const c = n.callee as N;
  if (c.type === "MemberExpression" && !c.computed && c.object.type === "Identifier" && names.lookup(c.object.name)?.array) {
    refuse(n, `the array method '${c.property.name}'`, "is not in the accepted language", "use reduce, forEach or map with a function written in place, or a loop");
  }
  if (n.callee.type === "Identifier" && names.lookup(n.callee.name)?.fn !== undefined) {
    if (pre === null) {
      refuse(n, `the call of function '${n.callee.name}'`, "is in a loop condition or an index",
        "compute it into a local first (const v = f(...)) and use the local there");
    }
    return names.inlineLocal(n.callee.name, n.arguments, pre, n);
  }
  if (isPlainHelper(n, names)) {
    if (pre === null) {
      refuse(n, `the call of helper '${n.callee.name}'`, "is in a loop condition or an index",
        "compute it into a local first (const v = helper(...)) and use the local there");
    }
    return names.inline(n.callee.name, names.helpers[n.callee.name], n.arguments, pre, n);
  }
  const o = callee(n, names);
  const spread = spreadArray(n, o, names);
  if (spread !== null) {
    if (pre === null) refuse(n, "a spread of an array", "is in a loop condition or an index", "compute the call into a local first and use the local there");
    // Math.max(...a) is maximum over the elements from -Infinity, as JavaScript's Math.max() is -Infinity; min from Infinity, hypot from 0.
    return names.fold(o, o.name === "maximum" ? -Infinity : o.name === "minimum" ? Infinity : 0, spread, pre);
  }
  const args = (n.arguments as N[]).map((a) => {
    if (a.type === "SpreadElement") refuse(a, "a spread argument", "is not in the accepted language", "pass arguments one by one");
    return checkExpr(a, names, pre);
  });
  // Math.max(a) and Math.hypot(a) read as a and |a|, as JavaScript computes them.
  if (VARIADIC.has(o.name) && args.length === 1) return o.name === "hypot" ? { k: "op", op: op("abs", n), args } : args[0];
  if (VARIADIC.has(o.name) && args.length >= 2) {
    // Math.max(a, b, c) is maximum(maximum(a, b), c): the same value and the same tie rule pairwise.
    return args.slice(1).reduce<Expr>((acc, b) => ({ k: "op", op: o, args: [acc, b] }), args[0]);
  }
  if (args.length !== o.arity) {
    refuse(n, `the call of ${o.name}`, `has ${args.length} argument${args.length === 1 ? "" : "s"}`, `pass ${o.arity}`);
  }
  return { k: "op", op: o, args };
}

/** The array `a` of `Math.max(...a)` (max, min or hypot with one spread of an array name), or null for another call. */
function spreadArray(n: N, o: Op, names: Names): string | null {
  const args = n.arguments as N[];
  if (!VARIADIC.has(o.name) || args.length !== 1 || args[0]!.type !== "SpreadElement") return null;
  const a = args[0]!.argument as N;
  const b = a.type === "Identifier" ? names.lookup(a.name) : undefined;
  if (b === undefined || !b.array || b.matrix !== undefined) refuse(a, "this spread", "is not of an array name", "spread a flat array parameter or local array: Math.max(...a)");
  return b.ir;
}

function conditional(n: N, names: Names, pre: Stmt[] | null): Expr {
  const test = checkExpr(n.test, names, null);
  if (pre === null) return { k: "cond", test, a: checkExpr(n.consequent, names, null), b: checkExpr(n.alternate, names, null) };
  const t = names.temp();
  const thenPre: Stmt[] = [];
  const a = checkExpr(n.consequent, names, thenPre);
  const elsePre: Stmt[] = [];
  const b = checkExpr(n.alternate, names, elsePre);
  pre.push({ k: "if", test, then: [...thenPre, { k: "assign", name: t, value: a }], else: [...elsePre, { k: "assign", name: t, value: b }] });
  return { k: "var", name: t };
}

/**
 * A short readable name of a syntax node for error messages.
 *
 * @example
 * ```ts
 * describeNode({ type: "ForOfStatement" }); // "a for...of loop"
 * ```
 */
export function describeNode(n: { type: string }): string {
  const known: Record<string, string> = {
    ForOfStatement: "a for...of loop", ForInStatement: "a for...in loop", DoWhileStatement: "a do...while loop",
    TryStatement: "a try statement", ThrowStatement: "a throw statement", SwitchStatement: "a switch statement",
    FunctionExpression: "a nested function", ArrowFunctionExpression: "a nested function", FunctionDeclaration: "a nested function",
    ObjectExpression: "an object literal", TemplateLiteral: "a template string", NewExpression: "this new expression",
    AssignmentExpression: "an assignment inside an expression", UpdateExpression: "++/-- inside an expression",
    SequenceExpression: "a comma expression", ThisExpression: "this", AwaitExpression: "await", YieldExpression: "yield",
    LabeledStatement: "a labeled statement", ClassDeclaration: "a class", WithStatement: "with",
    ArrayExpression: "an array literal here", TaggedTemplateExpression: "a tagged template", ChainExpression: "optional chaining (?.)",
  };
  return known[n.type] ?? `a ${n.type}`;
}
