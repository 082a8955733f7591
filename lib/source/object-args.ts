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
  const objects = params.flatMap((p, k) => (p.object === undefined ? [] : [k]));
  if (objects.length === 0) return null;
  const written = params.filter((p) => p.field === undefined && p.size === undefined);
  const fields = params.flatMap((p, k) => (p.field === undefined ? [] : [k]));
  const slots = slotsOf(fn, wrt);
  const describeSlot = (s: Slot) => `{ ${s.keys.join(", ")} }`;
  const spread = (values: readonly unknown[], what: string, api: string): unknown[] => {
    if (values.length !== slots.length) return values.slice();
    return slots.flatMap((s, i) => {
      const v = values[i];
      if (s.object === null) return [v];
      if (params[s.object]!.object!.list === true) {
        const name = params[s.object]!.name;
        if (!Array.isArray(v)) fail(api, `${what} ${i} is ${describe(v)} for the array of objects '${name}'`, `pass an array of objects with the fields ${describeSlot(s)}`);
        return s.keys.map((key) => column(v, key, `${what} ${i}`, name, api));
      }
      if (v === null || typeof v !== "object" || Array.isArray(v) || ArrayBuffer.isView(v)) {
        fail(api, `${what} ${i} is ${describe(v)} for the object argument '${params[s.object]!.name}'`, `pass an object with the fields ${describeSlot(s)}`);
      }
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
      for (const k of objects) {
        const a = args[k];
        const name = params[k]!.name;
        const keys = params[k]!.object!.fields.map((j) => params[j]!.field!.key).join(", ");
        if (params[k]!.object!.list === true) {
          if (!Array.isArray(a)) fail(api, `argument ${k} ('${name}') is ${describe(a)}, but f reads ${name}[i].field`, `pass an array of objects with the fields ${keys}`);
        } else if (a === null || typeof a !== "object" || Array.isArray(a) || ArrayBuffer.isView(a)) {
          fail(api, `argument ${k} ('${name}') is ${describe(a)}, but f reads its fields`, `pass an object with the fields ${keys}`);
        }
        out[k] = 0;
      }
      for (const j of fields) {
        const { of, key } = params[j]!.field!;
        const name = params[of]!.name;
        if (params[of]!.object!.list === true) {
          out.push(column(args[of] as unknown[], key, `argument ${of} ('${name}')`, name, api));
          continue;
        }
        const found = at(args[of], key);
        const value = found === MISSING ? undefined : found;
        checkField(value, params[j]!.array, params[j]!.matrix !== undefined, `argument ${of} ('${name}')`, `${name}.${key}`, api);
        out.push(value);
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
          const columns = s.members.map((m) => values[m] as ArrayLike<number>);
          return Array.from({ length: columns[0]!.length }, (_, i) => Object.fromEntries(s.keys.map((key, j) => [key, columns[j]![i]!])));
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

/** Field `key` of every element of an array of objects, as a Float64Array, checked. */
function column(a: readonly unknown[], key: string, what: string, name: string, api: string): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const e = a[i] as Record<string, unknown> | null;
    const v = e !== null && typeof e === "object" ? e[key] : undefined;
    if (typeof v !== "number" && typeof v !== "boolean") fail(api, `${what} has ${name}[${i}].${key} = ${describe(v)}, not a number`, `give every element of ${name} a number ${key}`);
    out[i] = v as number;
  }
  return out;
}

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
