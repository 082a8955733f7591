/**
 * Visiting every node of an acorn syntax tree, parents first: the plugin's
 * one way of reading a module.
 */
import type { Node } from "acorn";

/** An acorn node with its fields readable by name. */
export type N = Node & Record<string, any>;

/**
 * Calls `visit` on every node under `node` (itself included), with its parent.
 *
 * @example
 * ```ts
 * walk(program, (n) => { if (n.type === "Identifier") names.add(n.name); });
 * ```
 */
export function walk(node: N, visit: (n: N, parent: N | null) => void, parent: N | null = null): void {
  visit(node, parent);
  for (const key of Object.keys(node)) {
    if (key === "loc") continue;
    const v = node[key];
    if (Array.isArray(v)) for (const c of v) if (c && typeof c.type === "string") walk(c, visit, node);
    if (v && typeof v === "object" && typeof v.type === "string") walk(v, visit, node);
  }
}

/**
 * Whether identifier `n` (whose parent is `parent`) names a binding rather
 * than a property: `a` in `o.a` and in `{ a: 1 }` is a property name.
 *
 * @example
 * ```ts
 * walk(fn, (n, parent) => { if (n.type === "Identifier" && isReference(n, parent)) used.add(n.name); });
 * ```
 */
export function isReference(n: N, parent: N | null): boolean {
  if (parent?.type === "MemberExpression" && parent.property === n && !parent.computed) return false;
  if ((parent?.type === "Property" || parent?.type === "MethodDefinition" || parent?.type === "PropertyDefinition") && parent.key === n && !parent.computed && !parent.shorthand) return false;
  if ((parent?.type === "LabeledStatement" || parent?.type === "BreakStatement" || parent?.type === "ContinueStatement") && parent.label === n) return false;
  return true;
}
