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
  /** One value per generated wrt entry gathered per caller's wrt entry: an object's fields into an object. */
  gather(values: readonly unknown[]): unknown[];
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
      if (v === null || typeof v !== "object" || Array.isArray(v) || ArrayBuffer.isView(v)) {
        fail(api, `${what} ${i} is ${describe(v)} for the object argument '${params[s.object]!.name}'`, `pass an object with the fields ${describeSlot(s)}`);
      }
      return s.keys.map((key) => {
        if (!(key in v)) fail(api, `${what} ${i} has no field '${key}'`, `pass an object with the fields ${describeSlot(s)}`);
        return (v as Record<string, unknown>)[key];
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
        if (a === null || typeof a !== "object" || Array.isArray(a) || ArrayBuffer.isView(a)) {
          fail(api, `argument ${k} ('${name}') is ${describe(a)}, but f reads its fields`, `pass an object with the fields ${params[k]!.object!.fields.map((j) => params[j]!.field!.key).join(", ")}`);
        }
        out[k] = 0;
      }
      for (const j of fields) {
        const { of, key } = params[j]!.field!;
        const value = (args[of] as Record<string, unknown>)[key];
        checkField(value, params[j]!.array, params[j]!.matrix !== undefined, `argument ${of} ('${params[of]!.name}')`, `${params[of]!.name}.${key}`, api);
        out.push(value);
      }
      return out;
    },
    spread,
    spreadInto(into, api) {
      const several = slots.length > 1;
      if (several && !Array.isArray(into)) fail(api, `into is ${describe(into)}`, "pass an array with one entry per wrt argument");
      const entries = spread(several ? (into as unknown[]) : [into], "into entry", api);
      return wrt.length > 1 ? entries : entries[0];
    },
    gather(values) {
      return slots.map((s) => (s.object === null ? values[s.members[0]!] : Object.fromEntries(s.keys.map((key, j) => [key, values[s.members[j]!]]))));
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
