/**
 * Reading GradBench inputs: every field is checked for its kind and shape
 * before any computation, so a malformed input becomes a clear
 * `success: false` answer instead of a NaN-filled output or a crash.
 */

/**
 * An input the tool cannot handle (wrong kind, shape or range).
 *
 * @example
 * ```ts
 * throw new InputError("input.x must be a list of numbers");
 * ```
 */
export class InputError extends Error {
  override readonly name = "InputError";
}

function bad(what: string, expected: string, got: unknown): never {
  const seen = got === null ? "null" : Array.isArray(got) ? `an array of length ${got.length}` : typeof got;
  throw new InputError(`${what} must be ${expected}, got ${seen}`);
}

/**
 * The object `v`, or an InputError naming `what`.
 *
 * @example
 * ```ts
 * asObject({ x: 1 }, "input"); // { x: 1 }
 * ```
 */
export function asObject(v: unknown, what: string): Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) bad(what, "an object", v);
  return v as Record<string, unknown>;
}

/**
 * A finite number.
 *
 * @example
 * ```ts
 * asNumber(2.5, "input.w"); // 2.5
 * ```
 */
export function asNumber(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) bad(what, "a finite number", v);
  return v;
}

/**
 * An integer >= `min` (and <= `max` when given).
 *
 * @example
 * ```ts
 * asInt(16, "input.n", 2); // 16
 * ```
 */
export function asInt(v: unknown, what: string, min = 0, max = Infinity): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) bad(what, `an integer >= ${min}`, v);
  if (v > max) tooLarge(what, v, max);
  return v;
}

function tooLarge(what: string, v: number, max: number): never {
  throw new InputError(`${what} is ${v}, more than this tool accepts (${max}): the evaluation would exhaust memory or run for hours; use a smaller size`);
}

/**
 * Checks a size parameter's work before anything is allocated or recorded:
 * sizes that are plain integers in a message (ba's p, ode's s) cost memory
 * and time far beyond the message's own size, so each module bounds them
 * (a request above the bound is answered with an error; the process lives on).
 *
 * @example
 * ```ts
 * checkWork("input.s × length of input.x", s * x.length, 2e6);
 * ```
 */
export function checkWork(what: string, amount: number, max: number): void {
  if (amount > max) tooLarge(what, amount, max);
}

/**
 * A list of finite numbers, of length `length` when given.
 *
 * @example
 * ```ts
 * asVector([1, 2], "input.x", 2); // [1, 2]
 * ```
 */
export function asVector(v: unknown, what: string, length?: number): number[] {
  if (!Array.isArray(v)) bad(what, "a list of numbers", v);
  if (length !== undefined && v.length !== length) bad(what, `a list of ${length} numbers`, v);
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    if (typeof e !== "number" || !Number.isFinite(e)) bad(`${what}[${i}]`, "a finite number", e);
  }
  return v as number[];
}

/**
 * A list of `rows` lists of `cols` numbers each (any count when not given;
 * all rows equally long).
 *
 * @example
 * ```ts
 * asMatrix([[1, 2], [3, 4]], "input.points"); // [[1, 2], [3, 4]]
 * ```
 */
export function asMatrix(v: unknown, what: string, rows?: number, cols?: number): number[][] {
  if (!Array.isArray(v)) bad(what, "a list of lists of numbers", v);
  if (rows !== undefined && v.length !== rows) bad(what, `a list of ${rows} rows`, v);
  const width = cols ?? (Array.isArray(v[0]) ? v[0].length : undefined);
  return v.map((row, i) => asVector(row, `${what}[${i}]`, width));
}

/**
 * An integer list whose entries lie in [0, bound).
 *
 * @example
 * ```ts
 * asIndices([0, 2], "input.correspondences", 3); // [0, 2]
 * ```
 */
export function asIndices(v: unknown, what: string, bound: number, length?: number): number[] {
  const xs = asVector(v, what, length);
  xs.forEach((e, i) => {
    if (!Number.isInteger(e) || e < 0 || e >= bound) bad(`${what}[${i}]`, `an integer in [0, ${bound})`, e);
  });
  return xs;
}
