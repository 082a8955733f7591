/**
 * The expressions that make a local array besides `new Float64Array(k)`
 * and array literals: `new Array(k)` (holes), `.fill(v)` on either, and
 * copies of an array. The checker makes local arrays of them (check.ts),
 * and a local object's field holding one is a local array (object-locals.ts).
 */
import type { Node } from "acorn";
import { refuse } from "./source-error.ts";

type N = Node & Record<string, any>;

/**
 * `new Float64Array(k)`, `new Array(k)` or `Array(k)`: its size, and
 * whether its elements are holes (an Array's, read as undefined); null for
 * anything else.
 *
 * @example
 * ```ts
 * madeArray(parseExpression("new Array(n)")); // { size: n, holes: true }
 * ```
 */
export function madeArray(n: N): { size: N; holes: boolean } | null {
  const made = (n.type === "NewExpression" || n.type === "CallExpression") && n.callee.type === "Identifier" && n.arguments.length === 1 && n.arguments[0].type !== "SpreadElement";
  if (!made) return null;
  if (n.callee.name === "Float64Array" && n.type === "NewExpression") return { size: n.arguments[0], holes: false };
  return n.callee.name === "Array" ? { size: n.arguments[0], holes: true } : null;
}

/**
 * The array name a copy is made of: `a.slice()`, `[...a]`,
 * `Float64Array.from(a)`, `Array.from(a)`; null for anything else.
 *
 * @example
 * ```ts
 * copyOf(parseExpression("x.slice()")); // the node of x
 * ```
 */
export function copyOf(n: N): N | null {
  if (n.type === "ArrayExpression" && n.elements.length === 1 && n.elements[0]?.type === "SpreadElement" && n.elements[0].argument.type === "Identifier") return n.elements[0].argument;
  if (n.type !== "CallExpression" || n.callee.type !== "MemberExpression" || n.callee.computed) return null;
  const c = n.callee as N;
  if (c.property.name === "slice" && n.arguments.length === 0 && c.object.type === "Identifier") return c.object;
  const from = c.property.name === "from" && c.object.type === "Identifier" && (c.object.name === "Float64Array" || c.object.name === "Array");
  return from && n.arguments.length === 1 && n.arguments[0].type === "Identifier" ? n.arguments[0] : null;
}

/**
 * `made.fill(v)` on a new array (see madeArray): the array and v; null for
 * anything else. A fill of part of the array is refused.
 *
 * @example
 * ```ts
 * fillOf(parseExpression("new Array(n).fill(0)")); // { array: new Array(n), value: 0 }
 * ```
 */
export function fillOf(n: N): { array: N; value: N } | null {
  if (n.type !== "CallExpression" || n.callee.type !== "MemberExpression" || n.callee.computed || n.callee.property.name !== "fill") return null;
  if (madeArray(n.callee.object) === null) return null;
  if (n.arguments.length !== 1 || n.arguments[0].type === "SpreadElement") refuse(n, "this fill", `has ${n.arguments.length} arguments`, "fill the whole array with one value, and write parts of it in a loop");
  return { array: n.callee.object, value: n.arguments[0] };
}

/**
 * Whether a value makes an array: a literal, a `new` expression (whose
 * class the checker then checks), or one of the forms above.
 *
 * @example
 * ```ts
 * makesArray(parseExpression("x.slice()")); // true
 * ```
 */
export function makesArray(v: N): boolean {
  return v.type === "ArrayExpression" || v.type === "NewExpression" || madeArray(v) !== null || copyOf(v) !== null || fillOf(v) !== null;
}
