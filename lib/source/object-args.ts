/**
 * Object arguments of a compiled function: the caller passes an object
 * whose fields f reads (`p.w`, `p.b`; see object-params.ts), and the
 * generated code takes each field as an argument of its own. This module
 * lays the caller's arguments, tangents and `into` buffers out that way at
 * each call, and gathers the results per field back into objects: the
 * gradient of an object argument is an object with the same keys.
 */
import type { Fn } from "./ir.ts";
import { fail, describe } from "./registry.ts";
import { generated } from "../codegen.ts";

/** One entry of the caller's wrt: an object argument (its fields' positions in the generated code's wrt) or another argument. */
interface Slot {
  /** The object parameter, or null for an argument that is not an object. */
  object: number | null;
  keys: string[];
  /** Positions in the generated code's wrt list. */
  members: number[];
}

/** What a call with object arguments needs. */
export interface ObjectCall {
  /** The arguments with each object as 0 (its parameter is unused) and its fields appended. */
  lower(args: readonly unknown[], api: string): unknown[];
  /** One value per caller's wrt entry (an object's as an object of its fields) as one per generated wrt entry. */
  spread(values: readonly unknown[], what: string, api: string): unknown[];
  /** A pullback's `into`, as the caller shapes it, as the generated code's wrt entries shape it. */
  spreadInto(into: unknown, api: string): unknown;
  /**
   * One value per generated wrt entry gathered per caller's wrt entry: an
   * object's fields into an object, an array of objects' gradients into
   * objects element by element (with `blocks`, Jacobian blocks: an object
   * of one block per field).
   */
  gather(values: readonly unknown[], blocks?: boolean): unknown[];
  /** The number of entries in the caller's wrt. */
  readonly slots: number;
}

/**
 * The object handling of a compiled function whose generated wrt list is
 * `wrt`, or null when it takes no object (its calls pass through).
 *
 * @example
 * ```ts
 * const O = objectCall(fn, wrt); // f(p, x) reading p.a and p.b
 * O!.lower([{ a: 1, b: [2, 3] }, x], "compile(f).grad"); // [0, x, 1, [2, 3]]
 * ```
 */
export function objectCall(fn: Fn, wrt: readonly number[]): ObjectCall | null {
  const params = fn.params;
  // What a call needs of each object parameter, worked out once: calls of a small f are many.
  const objects = params.flatMap((p, k) => (p.object === undefined ? [] : [{
    k, name: p.name, list: p.object.list === true,
    fields: p.object.fields.map((j) => ({ key: params[j]!.field!.key, array: params[j]!.array, matrix: params[j]!.matrix !== undefined })),
  }]));
  if (objects.length === 0) return null;
  const written = params.filter((p) => p.field === undefined && p.size === undefined);
  const slots = slotsOf(fn, wrt);
  const describeSlot = (s: Slot) => `{ ${s.keys.join(", ")} }`;
  const spread = (values: readonly unknown[], what: string, api: string): unknown[] => {
    if (values.length !== slots.length) return values.slice();
    return slots.flatMap((s, i) => {
      const v = values[i];
      if (s.object === null) return [v];
      const name = params[s.object]!.name;
      if (params[s.object]!.object!.list === true) {
        if (!Array.isArray(v)) fail(api, `${what} ${i} is ${describe(v)} for the array of objects '${name}'`, `pass an array of objects with the fields ${describeSlot(s)}`);
        return columns(v, s.keys, `${what} ${i}`, name, api);
      }
      if (!isRecord(v)) fail(api, `${what} ${i} is ${describe(v)} for the object argument '${name}'`, `pass an object with the fields ${describeSlot(s)}`);
      return s.keys.map((key) => {
        const found = at(v, key);
        if (found === MISSING) fail(api, `${what} ${i} has no field '${key}'`, `pass an object with the fields ${describeSlot(s)}`);
        return found;
      });
    });
  };
  return {
    slots: slots.length,
    lower(args, api) {
      if (args.length !== written.length) {
        fail(api, `got ${args.length} argument${args.length === 1 ? "" : "s"} for ${written.length} parameters`, `pass ${written.map((p) => p.name).join(", ")}`);
      }
      const out = args.slice();
      // Each object's place gets 0 (the generated code never reads it), and its fields follow the caller's arguments in order.
      for (const o of objects) {
        const a = args[o.k];
        const arg = `argument ${o.k} ('${o.name}')`;
        const keys = () => o.fields.map((f) => f.key).join(", ");
        out[o.k] = 0;
        if (o.list) {
          if (!Array.isArray(a)) fail(api, `${arg} is ${describe(a)}, but f reads ${o.name}[i].field`, `pass an array of objects with the fields ${keys()}`);
          out.push(...columns(a, o.fields.map((f) => f.key), arg, o.name, api));
          continue;
        }
        if (!isRecord(a)) fail(api, `${arg} is ${describe(a)}, but f reads its fields`, `pass an object with the fields ${keys()}`);
        for (const f of o.fields) {
          const found = at(a, f.key);
          const value = found === MISSING ? undefined : found;
          checkField(value, f.array, f.matrix, arg, `${o.name}.${f.key}`, api);
          out.push(value);
        }
      }
      return out;
    },
    spread,
    spreadInto(into, api) {
      const several = slots.length > 1;
      if (several && !Array.isArray(into)) fail(api, `into is ${describe(into)}`, "pass an array with one entry per wrt argument");
      const list = slots.find((s) => s.object !== null && params[s.object]!.object!.list === true);
      if (list !== undefined) {
        fail(api, `into is given, and the gradient of the array of objects '${params[list.object!]!.name}' is made of new objects`, "call without into (or pass the fields as arrays, which into can hold)");
      }
      const entries = spread(several ? (into as unknown[]) : [into], "into entry", api);
      return wrt.length > 1 ? entries : entries[0];
    },
    gather(values, blocks = false) {
      return slots.map((s) => {
        if (s.object === null) return values[s.members[0]!];
        if (params[s.object]!.object!.list === true && !blocks) {
          // An array of objects gets its gradient as objects, element by element.
          return rowsOf(s.keys, s.members.map((m) => values[m] as ArrayLike<number>));
        }
        return nested(s.keys.map((key, j) => [key, values[s.members[j]!]]));
      });
    },
  };
}

/** The caller's wrt entries: consecutive fields of one object parameter are one entry. */
function slotsOf(fn: Fn, wrt: readonly number[]): Slot[] {
  const slots: Slot[] = [];
  wrt.forEach((k, i) => {
    const field = fn.params[k]!.field;
    const last = slots[slots.length - 1];
    if (field !== undefined && last?.object === field.of) {
      last.keys.push(field.key);
      last.members.push(i);
    } else {
      slots.push({ object: field?.of ?? null, keys: field === undefined ? [] : [field.key], members: [i] });
    }
  });
  return slots;
}

/** A field's value is of the kind f reads it as: a number, an array (a[i]) or an array of rows (m[i][j]). */
function checkField(value: unknown, array: boolean, matrix: boolean, arg: string, path: string, api: string): void {
  if (matrix) {
    if (!Array.isArray(value)) fail(api, `${arg} has ${path} = ${describe(value)}, but f indexes it as ${path}[i][j]`, `give ${path} an array of rows of one length (number[][] or Float64Array[])`);
  } else if (array) {
    if (!(Array.isArray(value) || value instanceof Float64Array)) fail(api, `${arg} has ${path} = ${describe(value)}, but f indexes it`, `give ${path} a number[] or Float64Array`);
  } else if (typeof value !== "number" && typeof value !== "boolean") {
    fail(api, `${arg} has ${path} = ${describe(value)}, not a number`, `give ${path} a number`);
  }
}

/**
 * The fields `keys` of every element of an array of objects, one
 * Float64Array per key, checked: the generated reader for these keys when
 * code generation is available (a named load per field, where one loop
 * over a key in a variable took twice as long), and the loop below to find
 * and name the element at fault.
 */
function columns(a: readonly unknown[], keys: readonly string[], what: string, name: string, api: string): Float64Array[] {
  const fast = readerFor(keys)?.(a);
  if (fast) return fast;
  return keys.map((key) => {
    const out = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) {
      const e = a[i] as Record<string, unknown> | null;
      const v = e !== null && typeof e === "object" ? e[key] : undefined;
      if (typeof v !== "number" && typeof v !== "boolean") fail(api, `${what} has ${name}[${i}].${key} = ${describe(v)}, not a number`, `give every element of ${name} a number ${key}`);
      out[i] = v as number;
    }
    return out;
  });
}

type Reader = (a: readonly unknown[]) => Float64Array[] | null;
type Maker = (columns: readonly ArrayLike<number>[]) => Record<string, number>[];
const readers = new Map<string, Reader | null>();
const makers = new Map<string, Maker | null>();

/** A property access for a key: the key as a JSON string literal, so no text of it reaches the code but a quoted string. */
const prop = (key: string) => `[${JSON.stringify(key)}]`;

/**
 * A reader of the fields `keys` of every element, or null without code
 * generation; it returns null when an element or field is not a number
 * (the checked loop then names it).
 */
function readerFor(keys: readonly string[]): Reader | null {
  const id = JSON.stringify(keys);
  if (!readers.has(id)) {
    const outs = keys.map((_, j) => `o${j}`);
    const template = `return function (a) {
  const n = a.length;
  ${outs.map((o) => `const ${o} = new Float64Array(n);`).join(" ")}
  for (let i = 0; i < n; i++) {
    const e = a[i];
    if (e === null || typeof e !== "object") return null;
    ${keys.map((k, j) => `const v${j} = e${prop(k)}; if (typeof v${j} !== "number") return null; o${j}[i] = v${j};`).join("\n    ")}
  }
  return [${outs.join(", ")}];
};`;
    readers.set(id, generated<Reader | null>(template, {}, () => null));
  }
  return readers.get(id)!;
}

/** A maker of objects of `keys` from columns, with one object literal (one shape), or null without code generation. */
function makerFor(keys: readonly string[]): Maker | null {
  const id = JSON.stringify(keys);
  if (!makers.has(id)) {
    const template = `return function (c) {
  const n = c[0].length;
  ${keys.map((_, j) => `const c${j} = c[${j}];`).join(" ")}
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = { ${keys.map((k, j) => `${JSON.stringify(k)}: c${j}[i]`).join(", ")} };
  return out;
};`;
    makers.set(id, generated<Maker | null>(template, {}, () => null));
  }
  return makers.get(id)!;
}

/**
 * Objects of `keys`, the i-th holding element i of each column. Each is
 * made with its keys added in one order, so all share one shape; an
 * object and an array of entries per element (Object.fromEntries) had
 * made the gradient of 10^6 points cost about 100 primals.
 */
function rowsOf(keys: readonly string[], columns: readonly ArrayLike<number>[]): Record<string, number>[] {
  const made = makerFor(keys)?.(columns);
  if (made) return made;
  const n = columns[0]!.length;
  const out = new Array<Record<string, number>>(n);
  for (let i = 0; i < n; i++) {
    const o: Record<string, number> = {};
    for (let j = 0; j < keys.length; j++) o[keys[j]!] = columns[j]![i]!;
    out[i] = o;
  }
  return out;
}

/** Whether `v` is an object with fields (not an array, a typed array or null). */
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v) && !ArrayBuffer.isView(v);

/** What `at` finds where a field is absent (an intermediate object missing, too). */
const MISSING = Symbol("missing");

/** The value at a field's path (`layer.w`) in an object, or MISSING. */
function at(o: unknown, key: string): unknown {
  let v = o;
  for (const k of key.split(".")) {
    if (v === null || typeof v !== "object" || !(k in v)) return MISSING;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/** An object with each value at its key's path (`layer.w` in { layer: { w } }). */
function nested(entries: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    const path = key.split(".");
    let o = out;
    for (const k of path.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
    o[path[path.length - 1]!] = value;
  }
  return out;
}
