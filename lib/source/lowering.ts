/**
 * Statements the checker rewrites into the intermediate form's few kinds
 * (see ir.ts): `do...while` and `for...of` become loops, `switch` an
 * if/else chain, array destructuring one assignment per element, `k++`
 * inside an expression a step before the statement. Each is checked as it is rewritten, with the refusals
 * that keep the rewrite exact (a switch case that runs on into the next,
 * for...of over anything but an array name).
 */
import type { Node } from "acorn";
import type { Expr, Stmt } from "./ir.ts";
import type { Checker } from "./check.ts";
import { checkExpr, describeNode } from "./check-expr.ts";
import { elementwiseOp, type Op } from "./registry.ts";
import { refuse } from "./source-error.ts";
import { childNodes, isPropertyName, FUNCTIONS } from "./ast-rewrite.ts";

type N = Node & Record<string, any>;

/**
 * `do body while (test)` as `while (first || test) { first = 0; body }`:
 * a continue in the body then reaches the test, as it does in JavaScript.
 *
 * @example
 * ```ts
 * lowerDoWhile(checker, doWhileNode, out); // out gets first = 1 and the loop
 * ```
 */
export function lowerDoWhile(c: Checker, n: N, out: Stmt[]): void {
  const first = c.temp();
  const isFirst: Expr = { k: "rel", rel: "===", a: { k: "var", name: first }, b: { k: "num", v: 1 } };
  out.push({ k: "assign", name: first, value: { k: "num", v: 1 } });
  const test: Expr = { k: "rel", rel: "||", a: isFirst, b: checkExpr(n.test, c, null) };
  c.loop(n, test, n.body, [], out, [{ k: "assign", name: first, value: { k: "num", v: 0 } }]);
}

/**
 * `switch` as an if/else chain on `discriminant === test`, the cases in
 * order and `default` last: empty cases share the next one's body, and
 * each other case ends with break, return or continue (the last one may
 * simply end), so no case runs on into the next.
 *
 * @example
 * ```ts
 * lowerSwitch(checker, switchNode, out); // out gets if (d === 1 || d === 2) ... else ...
 * ```
 */
export function lowerSwitch(c: Checker, n: N, out: Stmt[]): void {
  let d = checkExpr(n.discriminant, c, out);
  if (d.k !== "var" && d.k !== "num") {
    const t = c.temp();
    out.push({ k: "assign", name: t, value: d });
    d = { k: "var", name: t };
  }
  const cases = n.cases as N[];
  const groups: { tests: Expr[]; isDefault: boolean; body: Stmt[] }[] = [];
  let tests: Expr[] = [];
  let isDefault = false;
  cases.forEach((item, i) => {
    if (item.test === null) isDefault = true;
    else tests.push({ k: "rel", rel: "===", a: d, b: checkExpr(item.test, c, null) });
    // A case written as one block, case 1: { ...; break; }, is read as its statements.
    const written = item.consequent as N[];
    const body = written.length === 1 && written[0]!.type === "BlockStatement" ? written[0]!.body as N[] : written;
    if (body.length === 0 && i < cases.length - 1) return;
    const last = body[body.length - 1];
    const ends = last !== undefined && ["BreakStatement", "ReturnStatement", "ContinueStatement"].includes(last.type) && !last.label;
    if (!ends && i < cases.length - 1) refuse(item, "a case that runs on into the next", "is not accepted", "end each case with break, return or continue");
    // The case's own break ends the switch: the if/else chain ends there by itself.
    const own = last?.type === "BreakStatement" ? body.slice(0, -1) : body;
    c.switches.push(c.loops.length);
    c.depth++;
    const stmts = c.block(own);
    c.depth--;
    c.switches.pop();
    groups.push({ tests, isDefault, body: stmts });
    tests = [];
    isDefault = false;
  });
  const fallback = groups.find((g) => g.isDefault)?.body ?? [];
  const chain = groups.filter((g) => !g.isDefault).reduceRight<Stmt[]>((rest, g) => {
    const test = g.tests.reduce((a, b): Expr => ({ k: "rel", rel: "||", a, b }));
    return [{ k: "if", test, then: g.body, else: rest }];
  }, fallback);
  out.push(...chain);
}

/**
 * `for (const v of a) body` over an array name, as a loop on an index of
 * its own whose body starts with `const v = a[index]`.
 *
 * @example
 * ```ts
 * lowerForOf(checker, forOfNode, out); // out gets index = 0 and the loop
 * ```
 */
export function lowerForOf(c: Checker, n: N, out: Stmt[]): void {
  if (n.await) refuse(n, "a for await loop", "is not in the accepted language", "loop with for (const v of a)");
  const left = n.left as N;
  const d = left.type === "VariableDeclaration" && left.kind !== "var" && left.declarations.length === 1 ? left.declarations[0] as N : null;
  const over = entriesOf(n.right as N);
  if (over !== null) return lowerEntries(c, n, d, over, out);
  if (d === null || d.id.type !== "Identifier") {
    refuse(left, "the target of this for...of loop", "is not one const or let name", "write for (const v of a), or for (const [i, v] of a.entries())");
  }
  const right = n.right as N;
  const arr = right.type === "Identifier" ? c.lookup(right.name) : undefined;
  if (arr === undefined || !arr.array) {
    refuse(right, right.type === "Identifier" ? `'${right.name}'` : describeNode(right), "is not an array parameter or local array, which for...of loops run over",
      "loop over an array by name: for (const v of a)");
  }
  if (arr.matrix !== undefined) refuse(right, `the matrix '${right.name}'`, "has rows, not numbers, for a for...of loop", `index it: for (let i = 0; i < ${right.name}.length; i++)`);
  countUp(c, { k: "len", arr: arr.ir }, out, (index, id) => {
    c.scopes.push(new Map());
    const element: Stmt = { k: "assign", name: c.declare(d, d.id.name, false, left.kind === "const"), value: { k: "read", arr: arr.ir, index } };
    c.loops.push(id);
    const stmts = c.nested(n.body);
    c.loops.pop();
    c.scopes.pop();
    return [element, ...stmts];
  });
}

/** `a.entries()` or `a.keys()` on a name: the array node and which; null for anything else. */
function entriesOf(n: N): { array: N; method: "entries" | "keys" } | null {
  const c = n.type === "CallExpression" && n.arguments.length === 0 ? n.callee as N : null;
  const ok = c?.type === "MemberExpression" && !c.computed && c.object.type === "Identifier" && (c.property.name === "entries" || c.property.name === "keys");
  return ok ? { array: c!.object, method: c!.property.name } : null;
}

/**
 * `for (const [i, v] of a.entries())` and `for (const i of a.keys())`: a
 * counted loop whose body starts with `i` set to the counter (and `v` to
 * `a[i]`); either name of the pair may be left out (`[, v]`).
 */
function lowerEntries(c: Checker, n: N, d: N | null, over: { array: N; method: "entries" | "keys" }, out: Stmt[]): void {
  const arr = c.lookup(over.array.name);
  if (arr === undefined || !arr.array || arr.matrix !== undefined) {
    refuse(over.array, `'${over.array.name}'`, `is not a flat array parameter or local array, whose ${over.method}() a for...of loop runs over`, `loop over a flat array by name: for (const [i, v] of a.entries())`);
  }
  const pair = d?.id.type === "ArrayPattern" && (d.id.elements as (N | null)[]).length <= 2 && (d.id.elements as (N | null)[]).every((e) => e === null || e.type === "Identifier") ? d.id.elements as (N | null)[] : null;
  const names = over.method === "keys" ? (d?.id.type === "Identifier" ? [d.id as N, null] : null) : pair;
  if (names === null) {
    refuse(n.left, "the target of this for...of loop", over.method === "keys" ? "is not one const or let name" : "is not a pair of names", over.method === "keys" ? "write for (const i of a.keys())" : "write for (const [i, v] of a.entries())");
  }
  const constant = (n.left as N).kind === "const";
  countUp(c, { k: "len", arr: arr.ir }, out, (index, id) => {
    c.scopes.push(new Map());
    const head: Stmt[] = [];
    const [i, v] = names;
    if (i) head.push({ k: "assign", name: c.declare(i, i.name, false, constant), value: index });
    if (v) head.push({ k: "assign", name: c.declare(v, v.name, false, constant), value: { k: "read", arr: arr.ir, index } });
    c.loops.push(id);
    const stmts = c.nested(n.body);
    c.loops.pop();
    c.scopes.pop();
    return [...head, ...stmts];
  });
}

/**
 * `[a, b] = source` (declared or assigned): from an array literal, every
 * element is computed first, then written in order, so `[a, b] = [b, a]`
 * swaps; from an array name, element i is read just before target i is
 * written, as JavaScript's iteration reads it. Holes skip an element; a
 * target past a literal's end gets NaN (undefined in arithmetic). `assign`
 * writes one target.
 *
 * @example
 * ```ts
 * destructure(checker, pattern, init, out, (t, v) => out.push({ k: "assign", name: t.name, value: v }));
 * ```
 */
export function destructure(c: Checker, pattern: N, source: N, out: Stmt[], assign: (target: N, value: Expr) => void): void {
  const targets = pattern.elements as (N | null)[];
  for (const t of targets) {
    if (t !== null && (t.type === "RestElement" || t.type === "AssignmentPattern" || t.type === "ArrayPattern" || t.type === "ObjectPattern")) {
      refuse(t, "a rest element, default or nested pattern in a destructuring", "is not in the accepted language", "name each element: [a, b] = x");
    }
  }
  if (source.type === "ArrayExpression") {
    const values = (source.elements as (N | null)[]).map((e) => {
      if (e === null || e.type === "SpreadElement") refuse(source, "this array literal", "has holes or spreads", "list every element");
      const t = c.temp();
      out.push({ k: "assign", name: t, value: checkExpr(e, c, out) });
      return { k: "var", name: t } as Expr;
    });
    targets.forEach((t, i) => { if (t !== null) assign(t, values[i] ?? { k: "num", v: NaN }); });
    return;
  }
  const arr = source.type === "Identifier" ? c.lookup(source.name) : undefined;
  if (arr === undefined || !arr.array || arr.matrix !== undefined) {
    refuse(source, source.type === "Identifier" ? `'${source.name}'` : describeNode(source), "is not an array name or an array literal to destructure",
      "destructure an array parameter or local array, or a literal: [a, b] = [b, a]");
  }
  targets.forEach((t, i) => { if (t !== null) assign(t, { k: "read", arr: arr.ir, index: { k: "num", v: i } }); });
}

/**
 * A loop on a counter of its own from 0 while below `bound`, stepping by 1
 * after each pass (a continue in `body` still steps): the counter is set
 * before the loop, and `body` gets the counter and the loop's id.
 *
 * @example
 * ```ts
 * countUp(checker, size, out, (i) => [{ k: "store", arr: "a", index: i, value: { k: "num", v: 0 } }]);
 * ```
 */
export function countUp(c: Checker, bound: Expr, out: Stmt[], body: (index: Expr, id: number) => Stmt[]): void {
  const k = c.temp();
  const index: Expr = { k: "var", name: k };
  out.push({ k: "assign", name: k, value: { k: "num", v: 0 } });
  const id = c.nextLoop++;
  const stmts = body(index, id);
  const step: Stmt = { k: "assign", name: k, value: { k: "op", op: elementwiseOp("add") as Op, args: [index, { k: "num", v: 1 }] } };
  out.push({ k: "loop", id, test: { k: "rel", rel: "<", a: index, b: bound }, body: stmts, update: [step] });
}

/**
 * `k++`, `--k` and the like inside an expression of an assignment,
 * declaration or return, done as steps before it: `out[k++] = v` is
 * `$t = k; k = k + 1; out[$t] = v`. That is exact when nothing else in the
 * statement reads or writes k (it appears once), the step is not under
 * `&&`, `||` or `?:` (which may skip it) and the statement calls no
 * function declared inside f (which may read k). Anything else is refused
 * with what to write instead. The value each such node stands for is
 * registered with the checker (`c.stepped`), which `checkExpr` reads.
 * Updates written as statements of their own (`i++;`, `i++, j--`) are not
 * touched: `effect` does them in order.
 *
 * @example
 * ```ts
 * hoistUpdates(checker, statementNode, out); // out gets $c0 = k; k = k + 1
 * ```
 */
export function hoistUpdates(c: Checker, stmt: N, out: Stmt[]): void {
  const found: N[] = [];
  const uses = new Map<string, number>();
  let callsLocal: N | null = null;
  const top = stmt.type === "ExpressionStatement" ? stmt.expression as N : null;
  const statementLevel = new Set<N>(top === null ? [] : top.type === "SequenceExpression" ? top.expressions : [top]);
  const visit = (n: N, maybe: boolean): void => {
    if (FUNCTIONS.has(n.type)) return;
    if (n.type === "Identifier") uses.set(n.name, (uses.get(n.name) ?? 0) + 1);
    if (n.type === "CallExpression" && n.callee.type === "Identifier" && c.lookup(n.callee.name)?.fn !== undefined) callsLocal ??= n;
    if (n.type === "UpdateExpression" && !statementLevel.has(n)) {
      if (maybe) refuse(n, "++/-- under &&, || or ?:", "may not run", "step the counter in a statement of its own");
      found.push(n);
    }
    for (const k of childNodes(n)) {
      // A member's name after the dot, a.length, is not a read of a name.
      if (isPropertyName(n, k.key)) continue;
      // JavaScript may skip &&'s and ||'s right side and ?:'s branches.
      const skippable = (n.type === "LogicalExpression" && k.key === "right") || (n.type === "ConditionalExpression" && k.key !== "test");
      visit(k.node, maybe || skippable);
    }
  };
  visit(stmt, false);
  for (const n of found) {
    const arg = n.argument as N;
    if (arg.type !== "Identifier") refuse(n, "++/-- on an element inside an expression", "is not accepted", "step the element in a statement of its own");
    if (uses.get(arg.name)! > 1) {
      refuse(n, `${n.operator} on '${arg.name}' inside an expression`, `is not the only use of '${arg.name}' in this statement, so the order of its reads and writes would matter`,
        `step '${arg.name}' in a statement of its own`);
    }
    if (callsLocal !== null) refuse(n, "++/-- inside an expression", "is in a statement that calls a function declared inside f, which may read the name", "step the counter in a statement of its own");
    const before: Expr = checkExpr(arg, c, null);
    let value: Expr = before;
    if (!n.prefix) {
      const t = c.temp();
      out.push({ k: "assign", name: t, value: before });
      value = { k: "var", name: t };
    }
    const one: N = { type: "Literal", value: 1, raw: "1", start: n.start, end: n.end, loc: n.loc } as N;
    c.write(n, arg, one, n.operator === "++" ? "add" : "sub", out);
    c.stepped.set(n, value);
  }
}
