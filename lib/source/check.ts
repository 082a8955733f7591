/**
 * Checks a parsed function against the accepted language and converts it to
 * the intermediate form (ir.ts). Statements are handled here, expressions in
 * check-expr.ts. Every refusal names the line, the column, the construct and
 * what to write instead.
 */
import type { Node } from "acorn";
import type { FunctionNode } from "./parse.ts";
import type { Expr, Fn, LocalArray, Param, Stmt } from "./ir.ts";
import { writtenArrays, writtenNames, visitExpr } from "./ir.ts";
import { checkExpr, describeNode, matrixIndex, arrayMethodOf, type Names } from "./check-expr.ts";
import { elementwiseOp, type Op } from "./registry.ts";
import { refuse } from "./source-error.ts";
import { inlineHelper, inlineFunction, helperReturn, isPlainFunction, unwrapName, arrayParams as arrayUses, matrixParams } from "./inline.ts";
import { lowerObjectParams } from "./object-params.ts";
import { madeArray, copyOf, fillOf } from "./array-makers.ts";
import { lowerReduce, lowerForEach, lowerMap, lowerFold } from "./array-methods.ts";
import { lowerDoWhile, lowerForOf, lowerSwitch, destructure, countUp, hoistUpdates } from "./lowering.ts";

type N = Node & Record<string, any>;
/**
 * What a source name is bound to: a unique IR name, an array, a matrix, or
 * a function declared inside f (its node and the scopes where it was
 * declared, for calls inlined as closures).
 */
export interface Binding {
  ir: string;
  array: boolean;
  constant: boolean;
  matrix?: { rows: string; cols: string };
  fn?: { node: FunctionNode; scopes: Map<string, Binding>[] };
}

const COMPOUND: Record<string, string> = {
  "+=": "add", "-=": "sub", "*=": "mul", "/=": "div", "%=": "fmod", "**=": "pow",
  "&=": "bitAnd", "|=": "bitOr", "^=": "bitXor", "<<=": "shiftLeft", ">>=": "shiftRight", ">>>=": "shiftRightUnsigned",
};

/**
 * The statement checker's state: scopes (names made unique), loops, local
 * arrays, returns, and the helper being inlined (see inline.ts).
 *
 * @example
 * ```ts
 * const c = new Checker({}); c.block(bodyNodes, false); // Stmt[]
 * ```
 */
export class Checker implements Names {
  scopes: Map<string, Binding>[] = [new Map()];
  private used = new Set<string>();
  loops: number[] = [];
  nextLoop = 0;
  private nextTemp = 0;
  depth = 0;
  /** While a helper is inlined: where its returns go (see inline.ts). */
  inlining: { result: string; exit: number | null; name: string; active: Set<string> } | null = null;
  readonly locals: string[] = [];
  readonly arrays: LocalArray[] = [];
  readonly returns: { node: N; kind: "number" | "literal" | "array"; arr?: string; size?: number }[] = [];
  /** Allocations of local arrays created in blocks, moved to the top of the body. */
  readonly hoisted: Stmt[] = [];
  /** The number parameters (unique names), and those a hoisted array's size reads. */
  readonly paramNames = new Set<string>();
  /** The array parameters (unique names, object fields' included). */
  readonly arrayParamNames = new Set<string>();
  readonly sizeParams = new Set<string>();
  /** What each `k++` inside an expression stands for, its step done before the statement (see hoistUpdates). */
  readonly stepped = new Map<Node, Expr>();
  /** Per enclosing switch case, the loop depth at its start: a break at that depth would leave the case early. */
  switches: number[] = [];

  constructor(readonly helpers: Readonly<Record<string, unknown>>) {}

  lookup(name: string): Binding | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const b = this.scopes[i].get(name);
      if (b !== undefined) return b;
    }
    return undefined;
  }

  temp(): string {
    const name = `$c${this.nextTemp++}`;
    this.locals.push(name);
    return name;
  }

  /**
   * Binds a source name to a unique name: every declaration gets its own
   * (`i`, then `i_2` for the next loop's `let i`), so the analyses that
   * work per name (integer locals, counted loops) see each variable alone.
   */
  declare(at: N, name: string, array: boolean, constant: boolean, generated = false): string {
    if (!generated && name.includes("$")) refuse(at, `the name '${name}'`, "contains $", "rename it: names with $ are reserved for generated code");
    if (this.scopes[this.scopes.length - 1].has(name)) refuse(at, `'${name}'`, "is declared twice in one block", "remove one declaration");
    let ir = name;
    // Inside an inlined helper every name is fresh: a caller's local of the same name may be live.
    const clash = (x: string) => this.lookup(x) !== undefined || this.used.has(x);
    for (let k = 2; clash(ir); k++) ir = `${name}_${k}`;
    if (!this.used.has(ir) && !array) this.locals.push(ir);
    this.used.add(ir);
    this.scopes[this.scopes.length - 1].set(name, { ir, array, constant });
    return ir;
  }

  /**
   * Binds a function declared inside f: calls of it are inlined where they
   * are made, reading the names in scope here (the scopes themselves, so
   * names declared later in them are seen too, as a closure sees them).
   */
  declareFunction(at: N, name: string, node: FunctionNode): void {
    if (name.includes("$")) refuse(at, `the name '${name}'`, "contains $", "rename it: names with $ are reserved for generated code");
    const top = this.scopes[this.scopes.length - 1];
    if (top.has(name)) refuse(at, `'${name}'`, "is declared twice in one block", "remove one declaration");
    let ir = name;
    for (let k = 2; this.lookup(ir) !== undefined || this.used.has(ir); k++) ir = `${name}_${k}`;
    this.used.add(ir);
    top.set(name, { ir, array: false, constant: true, fn: { node, scopes: this.scopes.slice() } });
  }

  block(nodes: N[], pushScope = true): Stmt[] {
    if (pushScope) this.scopes.push(new Map());
    const out: Stmt[] = [];
    // Function declarations are bound before the block's statements run, as JavaScript hoists them.
    for (const n of nodes) if (n.type === "FunctionDeclaration") this.declareFunction(n, n.id.name, n as unknown as FunctionNode);
    for (const n of nodes) this.statement(n, out);
    if (pushScope) this.scopes.pop();
    return out;
  }

  nested(n: N): Stmt[] {
    this.depth++;
    const out = this.block(n.type === "BlockStatement" ? n.body : [n]);
    this.depth--;
    return out;
  }

  statement(n: N, out: Stmt[]): void {
    if (n.type === "VariableDeclaration" || n.type === "ExpressionStatement" || n.type === "ReturnStatement") hoistUpdates(this, n, out);
    switch (n.type) {
      case "VariableDeclaration": return this.declaration(n, out);
      case "ExpressionStatement": return this.effect(n.expression, out);
      case "BlockStatement": out.push(...this.nested(n)); return;
      case "EmptyStatement": return;
      case "FunctionDeclaration": return;
      case "IfStatement": {
        // The test runs once, before either branch: helper calls and ?: in it are hoisted before the if.
        const test = checkExpr(n.test, this, out);
        out.push({ k: "if", test, then: this.nested(n.consequent), else: n.alternate ? this.nested(n.alternate) : [] });
        return;
      }
      case "ForStatement": return this.forLoop(n, out);
      case "WhileStatement": return this.loop(n, checkExpr(n.test, this, null), n.body, [], out);
      case "DoWhileStatement": return lowerDoWhile(this, n, out);
      case "ForOfStatement": return lowerForOf(this, n, out);
      case "SwitchStatement": return lowerSwitch(this, n, out);
      case "BreakStatement":
      case "ContinueStatement": {
        if (n.label) refuse(n, "a labeled break/continue", "is not in the accepted language", "restructure with a flag");
        if (n.type === "BreakStatement" && this.switches[this.switches.length - 1] === this.loops.length) {
          refuse(n, "a break before the end of a case", "is not accepted", "end the case with its break, and restructure the rest with if/else");
        }
        if (this.loops.length === 0) refuse(n, describeNode(n), "is outside a loop", "remove it");
        out.push({ k: n.type === "BreakStatement" ? "break" : "continue", loop: this.loops[this.loops.length - 1] });
        return;
      }
      case "ReturnStatement": return this.returnStatement(n, out);
      default:
        refuse(n, describeNode(n), "is not in the accepted language", "use const/let, assignments, if/else, switch, for, for...of, while, do...while, break, continue and return");
    }
  }

  declaration(n: N, out: Stmt[]): void {
    if (n.kind === "var") refuse(n, "a var declaration", "is not in the accepted language", "declare with let or const");
    for (const d of n.declarations as N[]) {
      if (d.id.type === "ArrayPattern" && d.init !== null) {
        destructure(this, d.id, d.init, out, (t, value) => {
          if (t.type !== "Identifier") refuse(t, "this destructuring target", "is not a name", "declare one name per element: const [a, b] = x");
          out.push({ k: "assign", name: this.declare(t, t.name, false, n.kind === "const"), value });
        });
        continue;
      }
      if (d.id.type !== "Identifier") refuse(d, "a destructuring declaration", "is not in the accepted language", "declare one name at a time, or destructure an array: const [a, b] = x");
      if (d.init === null) {
        // JavaScript's undefined, read before a value is assigned, gives NaN in arithmetic and fails <, >: so does NaN (unlike it, undefined equals itself; the README says so).
        out.push({ k: "assign", name: this.declare(d, d.id.name, false, false), value: { k: "num", v: NaN } });
        continue;
      }
      const init = unwrapName(d.init as N);
      if (init.type === "ArrowFunctionExpression" || init.type === "FunctionExpression") {
        this.declareFunction(d, d.id.name, init as unknown as FunctionNode);
        continue;
      }
      const copied = copyOf(init);
      if (copied !== null) {
        this.copyArray(d, copied, n.kind === "const", out);
        continue;
      }
      if (init.type === "NewExpression" || init.type === "ArrayExpression" || madeArray(init) !== null) {
        this.localArray(d, init, n.kind === "const", out);
        continue;
      }
      const filled = fillOf(init);
      if (filled !== null) {
        this.localArray(d, filled.array, n.kind === "const", out, filled.value);
        continue;
      }
      if (arrayMethodOf(init) === "map") {
        lowerMap(this, d, init, n.kind === "const", out);
        continue;
      }
      if (init.type === "Identifier" && this.lookup(init.name)?.array) {
        refuse(init, `the array '${init.name}'`, "cannot be given another name", `use ${init.name} directly`);
      }
      const value = this.wholeValue(init, out);
      out.push({ k: "assign", name: this.declare(d, d.id.name, false, n.kind === "const"), value });
    }
  }

  /**
   * A copy of an array (`a.slice()`, `[...a]`, `Float64Array.from(a)`,
   * `Array.from(a)`) at the top level of the body: a local array of a's
   * length with a's elements.
   */
  copyArray(d: N, source: N, constant: boolean, out: Stmt[]): void {
    const arr = this.lookup(source.name);
    if (arr === undefined || !arr.array || arr.matrix !== undefined) {
      refuse(source, `'${source.name}'`, "is not a flat array parameter or local array to copy", "copy a flat array by name: a.slice()");
    }
    if (!constant) refuse(d, `the local array '${d.id.name}'`, "is declared with let", "declare arrays with const (they cannot be reassigned)");
    if (this.depth > 0 || this.loops.length > 0) {
      refuse(d, `the copy '${d.id.name}' of '${source.name}'`, "is made inside a block", "copy the array at the top level of the function body, or fill a new Float64Array of a fixed size in a loop");
    }
    const name = this.declare(d, d.id.name, true, true);
    this.arrays.push({ name });
    out.push({ k: "alloc", arr: name, size: { k: "len", arr: arr.ir } });
    countUp(this, { k: "len", arr: arr.ir }, out, (index) => [{ k: "store", arr: name, index, value: { k: "read", arr: arr.ir, index } }]);
  }

  /**
   * A local array: `new Float64Array(k)` (zeros), `new Array(k)` or
   * `Array(k)` (NaN, as the holes read undefined in arithmetic), either
   * with `.fill(v)` (`fill`: v, computed once), or an array literal.
   */
  localArray(d: N, init: N, constant: boolean, out: Stmt[], fill?: N): void {
    let size: Expr;
    let elems: Expr[] | null = null;
    const made = madeArray(init);
    if (init.type !== "ArrayExpression") {
      if (made === null) {
        refuse(init, describeNode(init), "is not in the accepted language", "create local arrays with new Float64Array(length), new Array(length).fill(v) or an array literal");
      }
      size = checkExpr(made.size, this, null);
    } else {
      elems = (init.elements as N[]).map((e) => {
        if (e === null || e.type === "SpreadElement") refuse(init, "this array literal", "has holes or spreads", "list every element");
        return checkExpr(e, this, null);
      });
      size = { k: "num", v: elems.length };
    }
    if (!constant) refuse(d, `the local array '${d.id.name}'`, "is declared with let", "declare arrays with const (they cannot be reassigned)");
    const inBlock = this.depth > 0 || this.loops.length > 0;
    if (inBlock && !this.fixedSize(size)) {
      refuse(init, `the local array '${d.id.name}'`, "is created inside a block with a size that may change",
        "give it a size of numbers and parameters the function never assigns, or create it at the top level of the function body");
    }
    const name = this.declare(d, d.id.name, true, true);
    this.arrays.push({ name });
    if (!inBlock) {
      out.push({ k: "alloc", arr: name, size });
    } else {
      // Allocated once per call at the top of the body, and made fresh (zeros, or the literal's elements) where it is created.
      this.hoisted.push({ k: "alloc", arr: name, size });
      if (elems === null) this.zeroFill(name, size, out);
    }
    // A literal's elements are ordinary element writes, so they are differentiated like any other.
    elems?.forEach((value, i) => out.push({ k: "store", arr: name, index: { k: "num", v: i }, value }));
    const value: Expr | null = fill !== undefined ? checkExpr(fill, this, out) : made?.holes ? { k: "num", v: NaN } : null;
    if (value === null) return;
    let v = value;
    if (v.k !== "num" && v.k !== "var") {
      // fill computes its argument once.
      const t = this.temp();
      out.push({ k: "assign", name: t, value: v });
      v = { k: "var", name: t };
    }
    countUp(this, size, out, (index) => [{ k: "store", arr: name, index, value: v }]);
  }

  /**
   * Whether a size stays the same through a call: made of numbers, number
   * parameters, which the function must then never assign (checked once
   * the body is read, see checkFunction), and array parameters' lengths.
   */
  private fixedSize(size: Expr): boolean {
    let fixed = true;
    visitExpr(size, (x) => {
      // An array parameter's length is fixed through the call (it is never reassigned, and nothing resizes it).
      if (x.k === "read" || (x.k === "len" && !this.arrayParamNames.has(x.arr)) || (x.k === "var" && !this.paramNames.has(x.name))) fixed = false;
      else if (x.k === "var") this.sizeParams.add(x.name);
    });
    return fixed;
  }

  /** arr[0 .. size - 1] = 0, as a loop on a counter of its own. */
  private zeroFill(arr: string, size: Expr, out: Stmt[]): void {
    countUp(this, size, out, (index) => [{ k: "store", arr, index, value: { k: "num", v: 0 } }]);
  }

  effect(e: N, out: Stmt[]): void {
    if (e.type === "AssignmentExpression") return this.assignment(e, out);
    if (arrayMethodOf(e) === "forEach") return lowerForEach(this, e, out);
    if (e.type === "UpdateExpression") {
      const one: N = { type: "Literal", value: 1, raw: "1", start: e.start, end: e.end, loc: e.loc } as N;
      return this.write(e, e.argument, one, e.operator === "++" ? "add" : "sub", out);
    }
    if (e.type === "SequenceExpression") {
      for (const x of e.expressions) this.effect(x, out);
      return;
    }
    // esbuild's __name(g, "g") after a kept-name function declaration only names it.
    if (e.type === "CallExpression" && unwrapName(e) !== e && e.arguments[0].type === "Identifier" && this.lookup(e.arguments[0].name)?.fn !== undefined) return;
    const local = e.type === "CallExpression" && e.callee.type === "Identifier" ? this.lookup(e.callee.name)?.fn : undefined;
    if (local !== undefined) {
      // A function of f called for its writes into arrays and names in scope (its value, if any, is dropped).
      this.inlineLocal(e.callee.name, e.arguments, out, e, false);
      return;
    }
    if (e.type === "CallExpression" && e.callee.type === "Identifier" && isPlainFunction(this.helpers[e.callee.name])) {
      // A helper called for its writes into array arguments (its value, if any, is dropped).
      this.inline(e.callee.name, this.helpers[e.callee.name], e.arguments, out, e, false);
      return;
    }
    refuse(e, "an expression statement", "has no effect", "assign its value (x = ...), or remove it");
  }

  assignment(e: N, out: Stmt[]): void {
    if (e.operator === "=") return this.write(e, e.left, e.right, null, out);
    const name = COMPOUND[e.operator];
    if (name === undefined) refuse(e, `the operator ${e.operator}`, "is not in the accepted language", "use = and the compound assignments of the arithmetic and bitwise operators");
    return this.write(e, e.left, e.right, name, out);
  }

  /** target = value, or target = target <op> value for compound forms. */
  write(at: N, target: N, valueNode: N, opName: string | null, out: Stmt[]): void {
    // (JavaScript's grammar allows only = before a pattern.)
    if (target.type === "ArrayPattern") return destructure(this, target, valueNode, out, (t, value) => this.store(t, value, null, out));
    this.store(target, opName === null ? this.wholeValue(valueNode, out) : checkExpr(valueNode, this, out), opName, out);
  }

  /** Writes `value` (already checked) to a name or an element, `target <op> value` with `opName`. */
  store(target: N, value: Expr, opName: string | null, out: Stmt[]): void {
    if (target.type === "Identifier") {
      const b = this.lookup(target.name);
      if (b === undefined) refuse(target, `the free variable '${target.name}'`, "is assigned", "declare it with let inside the function");
      if (b.fn !== undefined) refuse(target, `the function '${target.name}'`, "is assigned", "declare another function instead");
      if (b.array) refuse(target, `the array '${target.name}'`, "is reassigned", "write its elements instead");
      if (b.constant) refuse(target, `the const '${target.name}'`, "is assigned", "declare it with let");
      if (opName !== null) value = { k: "op", op: elementwiseOp(opName) as Op, args: [{ k: "var", name: b.ir }, value] };
      out.push({ k: "assign", name: b.ir, value });
      return;
    }
    const row = target.type === "MemberExpression" && target.computed && target.object.type === "MemberExpression" && target.object.computed
      && target.object.object.type === "Identifier" ? this.lookup(target.object.object.name) : undefined;
    if (row?.matrix !== undefined) {
      const index = matrixIndex(row.matrix.cols, checkExpr(target.object.property, this, null), checkExpr(target.property, this, null));
      if (opName !== null) value = { k: "op", op: elementwiseOp(opName) as Op, args: [{ k: "read", arr: row.ir, index }, value] };
      out.push({ k: "store", arr: row.ir, index, value });
      return;
    }
    if (target.type === "MemberExpression" && target.computed && target.object.type === "Identifier" && this.lookup(target.object.name)?.array) {
      if (this.lookup(target.object.name)!.matrix !== undefined) {
        refuse(target, `the row ${target.object.name}[...] of a matrix`, "is assigned", `write its elements (${target.object.name}[i][j] = ...)`);
      }
      const arr = this.lookup(target.object.name)!.ir;
      const index = checkExpr(target.property, this, null);
      if (opName !== null) value = { k: "op", op: elementwiseOp(opName) as Op, args: [{ k: "read", arr, index }, value] };
      out.push({ k: "store", arr, index, value });
      return;
    }
    refuse(target, "this assignment target", "is not a local, a parameter or an array element", "assign to names and to array elements a[i]");
  }

  forLoop(n: N, out: Stmt[]): void {
    this.scopes.push(new Map());
    if (n.init) {
      if (n.init.type === "VariableDeclaration") this.declaration(n.init, out);
      else this.effect(n.init, out);
    }
    const test: Expr = n.test ? checkExpr(n.test, this, null) : { k: "num", v: 1 };
    this.loop(n, test, n.body, n.update ? [n.update] : [], out);
    this.scopes.pop();
  }

  /** `prelude` runs first in each pass through the body. */
  loop(n: N, test: Expr, body: N, update: N[], out: Stmt[], prelude: Stmt[] = []): void {
    const id = this.nextLoop++;
    this.loops.push(id);
    const stmts = this.nested(body);
    this.depth++;
    const upd: Stmt[] = [];
    for (const u of update) this.effect(u, upd);
    this.depth--;
    this.loops.pop();
    out.push({ k: "loop", id, test, body: [...prelude, ...stmts], update: upd });
  }

  /** Inlines a call of a plain-function helper: in an expression, or (`inExpression` false) as a statement. */
  inline(name: string, fn: unknown, args: N[], pre: Stmt[], at: N, inExpression = true): Expr {
    return inlineHelper(this, name, fn, args, pre, at, inExpression);
  }

  /**
   * The value of a whole right-hand side (of `=`, a declaration or a
   * return). A call of a function declared inside f, or of a helper, that
   * is the whole of it runs before anything else there is read, so it may
   * write names and arrays from outside it, as a call made as a statement may.
   */
  wholeValue(node: N, out: Stmt[]): Expr {
    if (node.type === "CallExpression" && node.callee.type === "Identifier") {
      const name = node.callee.name as string;
      if (this.lookup(name)?.fn !== undefined) return this.inlineLocal(name, node.arguments, out, node, false);
      if (this.lookup(name) === undefined && isPlainFunction(this.helpers[name])) return this.inline(name, this.helpers[name], node.arguments, out, node, false);
    }
    return checkExpr(node, this, out);
  }

  reduce(n: N, pre: Stmt[]): Expr {
    return lowerReduce(this, n, pre);
  }

  fold(op: Op, start: number, arr: string, pre: Stmt[]): Expr {
    return lowerFold(this, op, start, arr, pre);
  }

  /** Inlines a call of a function declared inside f: in an expression, or (`inExpression` false) as a statement. */
  inlineLocal(name: string, args: N[], pre: Stmt[], at: N, inExpression = true): Expr {
    const b = this.lookup(name)!;
    return inlineFunction(this, name, b.ir, b.fn!.node, b.fn!.scopes, args, pre, at, inExpression);
  }

  returnStatement(n: N, out: Stmt[]): void {
    const arg = n.argument as N | null;
    if (this.inlining !== null) return helperReturn(this, n, arg, out);
    if (arg === null) refuse(n, "a return without a value", "is not accepted", "return a number or an array");
    if (arg.type === "ArrayExpression") {
      this.returns.push({ node: n, kind: "literal", size: arg.elements.length });
      (arg.elements as N[]).forEach((e, i) => {
        if (e === null || e.type === "SpreadElement") refuse(arg, "this array literal", "has holes or spreads", "list every element");
        out.push({ k: "store", arr: "$out", index: { k: "num", v: i }, value: checkExpr(e, this, out) });
      });
      out.push({ k: "return", value: null });
      return;
    }
    const b = arg.type === "Identifier" ? this.lookup(arg.name) : undefined;
    if (b?.array) {
      this.returns.push({ node: n, kind: "array", arr: b.ir });
      out.push({ k: "return", value: null });
      return;
    }
    this.returns.push({ node: n, kind: "number" });
    out.push({ k: "return", value: this.wholeValue(arg, out) });
  }
}

/**
 * Checks a parsed function and converts it to the intermediate form.
 *
 * @example
 * ```ts
 * const fn = checkFunction(parseFunction("(x, n) => x[0] * n"), {});
 * fn.params; // [{ name: "x", array: true, wrt: -1 }, { name: "n", array: false, wrt: -1 }]
 * ```
 */
export function checkFunction(node: FunctionNode, helpers: Readonly<Record<string, unknown>>): Fn {
  if (node.async || node.generator) refuse(node, "an async or generator function", "is not in the accepted language", "pass a plain function");
  const c = new Checker(helpers);
  const written = node.params.length;
  const lowered = lowerObjectParams(node);
  node = lowered.node;
  const arrayParams = arrayUses(node, helpers);
  const matrices = matrixParams(node, helpers);
  const params: Param[] = (node.params as N[]).map((given, k) => {
    const { p, fallback } = plainParam(given);
    const array = arrayParams.has(p.name) || matrices.has(p.name);
    if (fallback !== undefined && array) refuse(given, `the parameter '${p.name}'`, "has a number as its default, and f indexes it", "give an array parameter no default");
    // A field's parameter (after the written ones) has a name of the compiler's own, with $.
    const name = c.declare(p, p.name, array, false, k >= written);
    if (!array) c.paramNames.add(name);
    else c.arrayParamNames.add(name);
    if (fallback !== undefined) return { name, array, wrt: -1, fallback };
    if (!matrices.has(p.name)) return { name, array, wrt: -1 };
    // Names with $ are the compiler's own: these cannot clash with the function's.
    const matrix = { rows: `${name}$rows`, cols: `${name}$cols` };
    c.scopes[0].get(p.name)!.matrix = matrix;
    return { name, array, wrt: -1, matrix };
  });
  for (const o of lowered.objects) {
    const k = params.findIndex((p) => p.name === o.name);
    params[k]!.object = { fields: o.fields.map((f) => params.findIndex((p) => p.name === f.param)), ...(o.list ? { list: true } : {}) };
    for (const f of o.fields) params.find((p) => p.name === f.param)!.field = { of: k, key: f.key };
  }
  params.forEach((p, k) => {
    if (p.matrix === undefined) return;
    for (const dim of ["rows", "cols"] as const) {
      params.push({ name: p.matrix[dim], array: false, wrt: -1, size: { of: k, dim } });
      c.paramNames.add(p.matrix[dim]);
    }
  });
  const fnBody = node.body as N;
  const body = fnBody.type === "BlockStatement"
    ? c.block(fnBody.body, false)
    : c.block([{ type: "ReturnStatement", argument: fnBody, start: fnBody.start, end: fnBody.end, loc: fnBody.loc } as N], false);
  // Function declarations (hoisted) and esbuild's __name statements after the last return do not run at its end.
  const runs = (n: N) => n.type !== "FunctionDeclaration" && !(n.type === "ExpressionStatement" && unwrapName(n.expression) !== n.expression);
  const last = fnBody.type === "BlockStatement" ? (fnBody.body as N[]).filter(runs).pop() : undefined;
  if (fnBody.type === "BlockStatement" && (last === undefined || last.type !== "ReturnStatement")) {
    refuse(last ?? fnBody, "the end of the function", "is reached without a return", "end the function body with a return statement");
  }
  checkSizesFixed(c, body, node);
  body.unshift(...c.hoisted);
  const scalars = c.locals.filter((l) => !params.some((p) => p.name === l));
  const result = resultOf(c);
  if (result.resultArray === "$out") body.unshift({ k: "alloc", arr: "$out", size: { k: "num", v: c.returns[0].size! } });
  return { params, locals: scalars, arrays: c.arrays, body, ...result, writtenParams: writtenArrays(body, params) };
}

/** A parameter's name, and its default when it has a number as one (`k = 2`, `eps = -1e-3`). */
function plainParam(p: N): { p: N; fallback?: number } {
  if (p.type === "Identifier") return { p };
  if (p.type === "AssignmentPattern" && p.left.type === "Identifier") {
    const r = p.right as N;
    const literal = r.type === "Literal" && typeof r.value === "number" ? r.value as number
      : r.type === "UnaryExpression" && r.operator === "-" && r.argument.type === "Literal" && typeof r.argument.value === "number" ? -(r.argument.value as number) : undefined;
    if (literal !== undefined) return { p: p.left, fallback: literal };
    refuse(r, `the default of '${p.left.name}'`, "is not a number written out", "give the parameter a number as its default (k = 2), or pass the value");
  }
  refuse(p, "this parameter", "is not a plain name", "take each argument as a plain parameter (a number default is accepted; no rest or destructuring)");
}

/** The parameters that size local arrays created in blocks must keep their values through the call. */
function checkSizesFixed(c: Checker, body: readonly Stmt[], node: FunctionNode): void {
  const assigned = writtenNames(body);
  for (const name of c.sizeParams) {
    if (assigned.has(name)) {
      refuse(node, `the parameter '${name}'`, "sizes a local array created in a block, and is assigned",
        "copy it into a local before changing it, or create the array at the top level of the function body");
    }
  }
}

function resultOf(c: Checker): { resultArray: string | null } {
  const first = c.returns[0];
  for (const r of c.returns) {
    const same = r.kind === first.kind && r.arr === first.arr && r.size === first.size;
    if (!same) refuse(r.node, "this return", "returns a different kind of value than the first return", "return numbers everywhere, or the same local array (or array literals of one length) everywhere");
  }
  if (first.kind === "number") return { resultArray: null };
  if (first.kind === "literal") {
    c.arrays.push({ name: "$out" });
    return { resultArray: "$out" };
  }
  if (!c.arrays.some((a) => a.name === first.arr)) {
    refuse(first.node, `returning the parameter '${first.arr}'`, "is not accepted", "return a local array (const r = new Float64Array(n)) or an array literal");
  }
  return { resultArray: first.arr! };
}


