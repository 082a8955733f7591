/**
 * Rewriting the parsed function before it is checked (object-params.ts,
 * list-params.ts): walking its nodes, telling names from property names
 * and declarations from uses, copying it with marked nodes replaced, and
 * the names and records the rewrites give object parameters' fields.
 * acorn's own nodes are never changed: a function declared in f is checked
 * again, from the same nodes, at each of its calls.
 */
import type { Node } from "acorn";
import { refuse } from "./source-error.ts";

/** An acorn node with its fields readable by name. */
export type N = Node & Record<string, any>;

/**
 * One object parameter: its name and its fields in key order, with the
 * parameter each becomes; `list` for an array of objects (`a[i].f`), whose
 * fields become arrays.
 */
export interface ObjectParam {
  name: string;
  fields: { key: string; param: string }[];
  list: boolean;
}

/**
 * The parameter a field becomes (a nested field's key is its path, `layer.w`).
 *
 * @example
 * ```ts
 * fieldParam("p", "w"); // "p$w"; fieldParam("p", "layer.w") is "p$layer$w"
 * ```
 */
export const fieldParam = (object: string, key: string): string => `${object}$${key.replaceAll(".", "$")}`;

/** Node types of functions. */
export const FUNCTIONS = new Set(["ArrowFunctionExpression", "FunctionExpression", "FunctionDeclaration"]);
const NOT_CHILDREN = new Set(["type", "start", "end", "loc", "range"]);

/**
 * What a marked node becomes, built by its replacement: `copy` gives a
 * child node with the other replacements applied. An array stands for
 * several nodes in a list (declarators, statements).
 */
export type Replacement = (copy: (child: N) => N) => N | N[];

/**
 * A name at `at`'s place in the text.
 *
 * @example
 * ```ts
 * identifier("p$w", node); // { type: "Identifier", name: "p$w", start: node.start, ... }
 * ```
 */
export const identifier = (name: string, at: N): N => ({ type: "Identifier", name, start: at.start, end: at.end, loc: at.loc }) as N;

/**
 * `name[index]` at `at`'s place in the text.
 *
 * @example
 * ```ts
 * element("a$x", indexNode, node); // a$x[i]
 * ```
 */
export const element = (name: string, index: N, at: N): N =>
  ({ type: "MemberExpression", object: identifier(name, at), property: index, computed: true, optional: false, start: at.start, end: at.end, loc: at.loc }) as N;

/**
 * The child nodes of `n`, each with the key it sits under.
 *
 * @example
 * ```ts
 * childNodes(binaryNode); // [{ node: left, key: "left" }, { node: right, key: "right" }]
 * ```
 */
export function childNodes(n: N): { node: N; key: string }[] {
  const out: { node: N; key: string }[] = [];
  for (const key of Object.keys(n)) {
    if (NOT_CHILDREN.has(key)) continue;
    const v = n[key];
    for (const x of Array.isArray(v) ? v : [v]) if (x !== null && typeof x === "object" && typeof x.type === "string") out.push({ node: x, key });
  }
  return out;
}

/**
 * Calls `visit` on every node under `n` with its parent and the key it sits under.
 *
 * @example
 * ```ts
 * walk(body, (m) => { if (m.type === "Identifier") seen.add(m.name); });
 * ```
 */
export function walk(n: N, visit: (m: N, parent: N | null, key: string) => void, parent: N | null = null, key = ""): void {
  visit(n, parent, key);
  for (const c of childNodes(n)) walk(c.node, visit, n, c.key);
}

/**
 * Whether an identifier under `parent` at `key` names a property, not a
 * variable (`a.b`'s b, an object key).
 *
 * @example
 * ```ts
 * isPropertyName(memberNode, "property"); // true for a.b, false for a[b]
 * ```
 */
export function isPropertyName(parent: N | null, key: string): boolean {
  return parent !== null && ((parent.type === "MemberExpression" && key === "property" && !parent.computed) || (parent.type === "Property" && key === "key" && !parent.computed));
}

/**
 * Whether an identifier under `parent` at `key` declares its name.
 *
 * @example
 * ```ts
 * isDeclaration(declaratorNode, "id"); // true
 * ```
 */
export function isDeclaration(parent: N | null, key: string): boolean {
  if (parent === null) return false;
  if (parent.type === "VariableDeclarator") return key === "id";
  if (parent.type === "Property") return key === "value";
  if (FUNCTIONS.has(parent.type)) return key === "params" || key === "id";
  return parent.type === "ArrayPattern" || parent.type === "RestElement" || parent.type === "AssignmentPattern";
}

/**
 * Every name declared anywhere in the body (variables, functions, nested
 * functions' parameters), with a node that declares it.
 *
 * @example
 * ```ts
 * declaredNames(body).has("i"); // true after for (let i = 0; ...)
 * ```
 */
export function declaredNames(body: N): Map<string, N> {
  const out = new Map<string, N>();
  walk(body, (m) => {
    if (m.type === "VariableDeclarator") walk(m.id, (t, parent, key) => { if (t.type === "Identifier" && !isPropertyName(parent, key)) out.set(t.name, t); });
    if (FUNCTIONS.has(m.type)) {
      if (m.id?.type === "Identifier") out.set(m.id.name, m.id);
      for (const p of m.params as N[]) walk(p, (t) => { if (t.type === "Identifier") out.set(t.name, t); });
    }
  });
  return out;
}

/**
 * A name no identifier of the body spells and no earlier call gave
 * (`taken`, which gets it), from `base`: for a local a rewrite adds.
 *
 * @example
 * ```ts
 * freshName(body, "a_i", taken); // "a_i", or "a_i2" when f spells a_i
 * ```
 */
export function freshName(body: N, base: string, taken: Set<string>): string {
  const used = new Set<string>(taken);
  walk(body, (m) => { if (m.type === "Identifier") used.add(m.name); });
  let name = base;
  for (let k = 2; used.has(name); k++) name = `${base}${k}`;
  taken.add(name);
  return name;
}

/**
 * A copy of `n` with each marked node replaced (a list flattens the nodes
 * a replacement gives) and the nodes in `drop` left out of their lists.
 * A declaration left without declarators becomes an empty statement.
 *
 * @example
 * ```ts
 * rebuild(body, new Map([[readNode, () => identifier("p$w", readNode)]]), new Set());
 * ```
 */
export function rebuild(n: N, replace: ReadonlyMap<N, Replacement>, drop: ReadonlySet<N>): N {
  const copy = (child: N) => rebuild(child, replace, drop);
  const r = replace.get(n);
  if (r !== undefined) {
    const out = r(copy);
    return Array.isArray(out) ? ({ type: "BlockStatement", body: out, start: n.start, end: n.end, loc: n.loc } as N) : out;
  }
  let changed: N | null = null;
  for (const k of Object.keys(n)) {
    if (NOT_CHILDREN.has(k)) continue;
    const v = n[k];
    let next: unknown = v;
    if (Array.isArray(v)) {
      const items = v.filter((x) => !drop.has(x)).flatMap((x) => {
        if (x === null || typeof x !== "object" || typeof x.type !== "string") return [x];
        const r2 = replace.get(x);
        return r2 === undefined ? [copy(x)] : [r2(copy)].flat();
      });
      if (items.length !== v.length || items.some((x, i) => x !== v[i])) next = items;
    } else if (v !== null && typeof v === "object" && typeof v.type === "string") {
      next = copy(v);
    }
    if (next !== v) (changed ??= { ...n })[k] = next;
  }
  if (changed !== null && n.type === "VariableDeclaration" && changed.declarations.length === 0) return { type: "EmptyStatement", start: n.start, end: n.end, loc: n.loc } as N;
  return changed ?? n;
}

/**
 * The fields an object pattern names (`{ a, b: c }`), each with its
 * property node, the local it binds and its key; a rest, a default, a
 * computed key or a nested pattern is refused (`what` names the pattern,
 * `example` shows the form to write).
 *
 * @example
 * ```ts
 * patternFields(patternNode, "destructuring 'p'", "const { a, b: c } = p"); // [{ local: "a", key: "a", ... }, { local: "c", key: "b", ... }]
 * ```
 */
export function patternFields(pattern: N, what: string, example: string): { prop: N; local: string; key: string }[] {
  return (pattern.properties as N[]).map((prop) => {
    const plain = prop.type === "Property" && !prop.computed && prop.key.type === "Identifier" && prop.value.type === "Identifier";
    if (!plain) refuse(prop, `this part of ${what}`, "is not a plain field (a rest, a default, a computed key or a nested pattern)", `list fields by name: ${example}`);
    return { prop, local: prop.value.name as string, key: prop.key.name as string };
  });
}

/**
 * How many times the body declares `name` (variables, patterns, functions,
 * parameters of functions inside it): a rewrite that renames every use of
 * a name needs it declared once.
 *
 * @example
 * ```ts
 * declarationCount(body, "p"); // 2 when a nested function also has a parameter p
 * ```
 */
export function declarationCount(body: N, name: string): number {
  let count = 0;
  walk(body, (t, parent, k) => { if (t.type === "Identifier" && t.name === name && isDeclaration(parent, k)) count++; });
  return count;
}

/**
 * Whether `n` reads a field of `name` (`name.f`, f not `length`).
 *
 * @example
 * ```ts
 * readsFieldOf(loop.body, "p"); // true when the body reads p.x
 * ```
 */
export function readsFieldOf(n: N, name: string): boolean {
  let reads = false;
  walk(n, (m) => { if (m.type === "MemberExpression" && !m.computed && m.object.type === "Identifier" && m.object.name === name && m.property.name !== "length") reads = true; });
  return reads;
}
