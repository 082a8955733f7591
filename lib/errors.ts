/**
 * Errors. Every misuse throws a {@link DualtapeError} whose message reads
 * `"<api>: <what is wrong>; <how to fix>"`. All messages are built by
 * {@link fail} so the shape never drifts between call sites.
 */

/**
 * Base class of every error dualtape throws on misuse.
 *
 * @example
 * ```ts
 * try { variable(tensor([1, 2])).mul(2).backward(); }
 * catch (e) { if (e instanceof DualtapeError) console.log(e.api, e.message); }
 * ```
 */
export class DualtapeError extends Error {
  /** The public API that detected the problem, e.g. `"backward"`. */
  readonly api: string;
  constructor(api: string, problem: string, fix: string) {
    super(`${api}: ${problem}; ${fix}`);
    this.name = new.target.name;
    this.api = api;
  }
}

/**
 * Operands whose shapes do not fit the operation (broadcasting, matmul, reshape...).
 *
 * @example
 * ```ts
 * try { add(zeros([2, 3]), zeros([4])); } catch (e) { e instanceof ShapeError; // true }
 * ```
 */
export class ShapeError extends DualtapeError {}

/**
 * A value of the wrong kind was passed (e.g. a string where a number belongs).
 *
 * @example
 * ```ts
 * try { sin("1" as any); } catch (e) { e instanceof TypeMismatchError; // true }
 * ```
 */
export class TypeMismatchError extends DualtapeError {}

/**
 * Misuse of the reverse-mode graph: backward through a freed graph, a
 * non-scalar output without a seed, in-place writes into saved values.
 *
 * @example
 * ```ts
 * const x = variable(2); const y = x.mul(x); y.backward();
 * try { y.backward(); } catch (e) { e instanceof GraphError; // true: pass retainGraph }
 * ```
 */
export class GraphError extends DualtapeError {}

/**
 * Forward-mode misuse: Duals that escaped their transform, tangents of the
 * wrong shape or lane count.
 *
 * @example
 * ```ts
 * let leaked; derivative(x => (leaked = x))(1);
 * try { sin(leaked); } catch (e) { e instanceof PerturbationError; // true }
 * ```
 */
export class PerturbationError extends DualtapeError {}

/**
 * Non-finite input where the caller asked for checks, or an argument out of
 * an accepted range (a negative step, a chunk size of 0, ...).
 *
 * @example
 * ```ts
 * try { numericGradient(f, [1], { h: -1 }); } catch (e) { e instanceof DomainError; // true }
 * ```
 */
export class DomainError extends DualtapeError {}

type ErrorClass = new (api: string, problem: string, fix: string) => DualtapeError;

/**
 * Throws `new Kind(api, problem, fix)`; the one way errors are raised.
 *
 * @example
 * ```ts
 * fail("grad", "f returned a string", "return a number, a Dual/Var or a Tensor", TypeMismatchError);
 * ```
 */
export function fail(api: string, problem: string, fix: string, Kind: ErrorClass = DualtapeError): never {
  throw new Kind(api, problem, fix);
}

/**
 * Describes a value briefly for error messages (`number 3`, `Tensor[2,3]`, `Var`, `string "a"`).
 *
 * @example
 * ```ts
 * describe([1, 2]); // "array(2)"
 * ```
 */
export function describe(v: unknown): string {
  if (typeof v === "number") return `number ${Object.is(v, -0) ? "-0" : v}`;
  if (typeof v === "bigint") return `bigint ${v}n`;
  if (typeof v === "boolean") return `boolean ${v}`;
  if (typeof v === "symbol") return "a symbol";
  if (typeof v === "string") return `string ${JSON.stringify(v.length > 20 ? v.slice(0, 20) + "…" : v)}`;
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (Array.isArray(v)) return `array(${v.length})`;
  const ctor = (v as { constructor?: { name?: string } }).constructor?.name;
  const shape = (v as { shape?: number[] }).shape;
  if (ctor && Array.isArray(shape)) return `${ctor}[${shape.join(",")}]`;
  return ctor ?? typeof v;
}

/**
 * Checks an options argument: `undefined` (no options) or a plain object
 * whose keys are all in `known`. A misspelt key (`retainGrpah`) would
 * otherwise be ignored silently and the default used, so it is refused with
 * the list of valid keys. Every public function that takes options calls this.
 *
 * @example
 * ```ts
 * checkOptions("backward", { retainGraph: true }, ["retainGraph", "createGraph"]); // ok
 * checkOptions("backward", { retainGrpah: true }, ["retainGraph", "createGraph"]);
 * // TypeMismatchError: backward: unknown option 'retainGrpah'; valid options are retainGraph, createGraph
 * ```
 */
export function checkOptions(api: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== "object" || Array.isArray(options) || options instanceof Number) {
    fail(api, `options is ${describe(options)}, not an object`,
      `pass an object with some of ${known.join(", ")}, or leave it out`, TypeMismatchError);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      fail(api, `unknown option '${key}'`, `valid options are ${known.join(", ")}`, TypeMismatchError);
    }
  }
}

/**
 * Checks that an optional boolean option is a boolean (or absent).
 *
 * @example
 * ```ts
 * booleanOption("backward", "retainGraph", true); // true
 * booleanOption("backward", "retainGraph", undefined); // undefined
 * ```
 */
export function booleanOption(api: string, name: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== "boolean") {
    fail(api, `${name} is ${describe(value)}, not a boolean`, `pass ${name}: true or false, or leave it out`, TypeMismatchError);
  }
  return value as boolean | undefined;
}
