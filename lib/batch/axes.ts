/**
 * vmap's axis specifications, like JAX's in_axes/out_axes: a number or null
 * for a whole (sub)structure, or an array or plain object matching the
 * structure it describes (a prefix of it), down to a number or null per
 * part. Here they are expanded to one entry per leaf.
 */
import { fail, describe, TypeMismatchError, ShapeError } from "../errors.ts";
import { outline, type TreeDef } from "../structure/tree.ts";

/**
 * Which axis of each leaf is mapped (null: the leaf is shared by every example).
 *
 * @example
 * ```ts
 * const inAxes: AxisSpec = [0, null]; // map the first argument's axis 0, share the second
 * ```
 */
export type AxisSpec = number | null | readonly AxisSpec[] | { readonly [key: string]: AxisSpec };

function countLeaves(def: TreeDef): number {
  return def.kind === "leaf" ? 1 : def.of.reduce((n, d) => n + countLeaves(d), 0);
}

/**
 * One axis (or null) per leaf of `def`, read from `spec`.
 *
 * @example
 * ```ts
 * leafAxes("vmap", [0, null], flattenTree("vmap", [x, w], "the arguments").def, "inAxes"); // [0, null]
 * ```
 */
export function leafAxes(api: string, spec: unknown, def: TreeDef, what: string): (number | null)[] {
  const out: (number | null)[] = [];
  const walk = (s: unknown, d: TreeDef, path: string): void => {
    if (s === null || typeof s === "number") {
      if (s !== null && !Number.isInteger(s)) fail(api, `${what}${path} is ${describe(s)}, not an integer axis`, "pass an integer axis or null", TypeMismatchError);
      for (let i = countLeaves(d); i > 0; i--) out.push(s);
      return;
    }
    if (Array.isArray(s)) {
      if (d.kind !== "list" || d.of.length !== s.length) {
        fail(api, `${what}${path} has ${s.length} entries but the value there is ${outline(d)}`, "give one entry per element, or one number or null for all of it", ShapeError);
      }
      d.of.forEach((child, i) => walk(s[i], child, `${path}[${i}]`));
      return;
    }
    if (s !== undefined && typeof s === "object" && d.kind === "dict") {
      const spec = s as Record<string, unknown>;
      const missing = d.keys.filter((k) => !(k in spec));
      if (missing.length > 0) fail(api, `${what}${path} has no entry for key '${missing[0]}'`, "give an entry per key, or one number or null for the whole object", ShapeError);
      d.of.forEach((child, i) => walk(spec[d.keys[i]], child, `${path}.${d.keys[i]}`));
      return;
    }
    fail(api, `${what}${path} is ${describe(s)} where the value is ${outline(d)}`, "use a number, null, or an array or object shaped like the value", TypeMismatchError);
  };
  walk(spec, def, "");
  return out;
}
