/**
 * Nested structures of values, like JAX pytrees: JS arrays and plain
 * objects whose leaves are numbers, Tensors or Duals/Vars. A transform
 * flattens its input into leaves, hands `f` the same structure with traced
 * leaves, and rebuilds its results from a description of the structure.
 * Object keys keep their insertion order (the order users wrote them in).
 */
import { Lifted } from "../registry/lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { fail, describe, TypeMismatchError, ShapeError } from "../errors.ts";

/** The structure of a value with its leaves taken out. */
export type TreeDef =
  | { readonly kind: "leaf" }
  | { readonly kind: "list"; readonly of: readonly TreeDef[] }
  | { readonly kind: "dict"; readonly keys: readonly string[]; readonly of: readonly TreeDef[] };

/** The one leaf description (leaves carry no structure). */
export const LEAF: TreeDef = { kind: "leaf" };

/** Whether `v` is a leaf: a number, a Tensor or a Dual/Var. */
export function isLeaf(v: unknown): v is number | Tensor | Lifted {
  return typeof v === "number" || v instanceof Tensor || v instanceof Lifted;
}

/** Whether `v` is a plain object (made by `{...}` or `Object.create(null)`), the only objects a tree may hold. */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Splits `x` into its structure and its leaves (depth first, arrays in
 * order, objects in key order).
 *
 * @example
 * ```ts
 * flattenTree("grad", { w: tensor([1, 2]), b: 3 }, "the input");
 * // { def: { kind: "dict", keys: ["w", "b"], of: [LEAF, LEAF] }, leaves: [Tensor [1, 2], 3] }
 * ```
 */
export function flattenTree(api: string, x: unknown, what: string): { def: TreeDef; leaves: unknown[] } {
  const leaves: unknown[] = [];
  const walk = (v: unknown, path: string, depth: number): TreeDef => {
    if (depth > 64) fail(api, `${what} is nested more than 64 levels deep at ${path || "the top"}`, "pass a flatter structure (is it circular?)", TypeMismatchError);
    if (isLeaf(v)) {
      leaves.push(v);
      return LEAF;
    }
    if (Array.isArray(v)) return { kind: "list", of: v.map((e, i) => walk(e, `${path}[${i}]`, depth + 1)) };
    if (isPlainObject(v)) {
      const keys = Object.keys(v);
      return { kind: "dict", keys, of: keys.map((k) => walk(v[k], `${path}.${k}`, depth + 1)) };
    }
    const top = /^\[(\d+)\]$/.exec(path);
    return fail(api, top !== null ? `element ${top[1]} of ${what} is ${describe(v)}` : `${what} holds ${describe(v)} at ${path || "the top"}`,
      "use numbers, Tensors, and arrays or plain objects of them", TypeMismatchError);
  };
  const def = walk(x, "", 0);
  return { def, leaves };
}

/**
 * Rebuilds a structure from its description and a list of leaves (consumed in order).
 *
 * @example
 * ```ts
 * unflattenTree({ kind: "list", of: [LEAF, LEAF] }, [1, 2]); // [1, 2]
 * ```
 */
export function unflattenTree<T>(def: TreeDef, leaves: readonly T[]): unknown {
  let next = 0;
  const build = (d: TreeDef): unknown => {
    if (d.kind === "leaf") return leaves[next++];
    if (d.kind === "list") return d.of.map(build);
    const out: Record<string, unknown> = {};
    d.keys.forEach((k, i) => {
      const child = d.of[i];
      if (child !== undefined) out[k] = build(child);
    });
    return out;
  };
  return build(def);
}

/**
 * Whether two structures are the same (same nesting, lengths and keys in the same order).
 *
 * @example
 * ```ts
 * sameTree(flattenTree("f", [1, 2], "x").def, flattenTree("f", [3, 4], "v").def); // true
 * ```
 */
export function sameTree(a: TreeDef, b: TreeDef): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "leaf" || b.kind === "leaf") return a.kind === b.kind;
  if (a.of.length !== b.of.length) return false;
  if (a.kind === "dict" && b.kind === "dict" && a.keys.some((k, i) => b.keys[i] !== k)) return false;
  return a.of.every((child, i) => {
    const other = b.of[i];
    return other !== undefined && sameTree(child, other);
  });
}

/**
 * A readable outline of a structure for error messages: `{w, b}`, `[3 items]`, `a leaf`.
 *
 * @example
 * ```ts
 * outline({ kind: "dict", keys: ["w", "b"], of: [LEAF, LEAF] }); // "{w, b}"
 * ```
 */
export function outline(def: TreeDef): string {
  if (def.kind === "leaf") return "a leaf";
  if (def.kind === "list") return `[${def.of.length} item${def.of.length === 1 ? "" : "s"}]`;
  return `{${def.keys.join(", ")}}`;
}

/**
 * Refuses a structure that differs from the expected one.
 *
 * @example
 * ```ts
 * checkSameTree("jvp", inputDef, tangentDef, "the tangent", "pass v with the same structure as x");
 * ```
 */
export function checkSameTree(api: string, want: TreeDef, got: TreeDef, what: string, fix: string): void {
  if (!sameTree(want, got)) fail(api, `${what} has structure ${outline(got)}, expected ${outline(want)}`, fix, ShapeError);
}
