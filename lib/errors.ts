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
  if (typeof v === "number") return `number ${v}`;
  if (typeof v === "string") return `string ${JSON.stringify(v.length > 20 ? v.slice(0, 20) + "…" : v)}`;
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (Array.isArray(v)) return `array(${v.length})`;
  const ctor = (v as { constructor?: { name?: string } }).constructor?.name;
  const shape = (v as { shape?: number[] }).shape;
  if (ctor && Array.isArray(shape)) return `${ctor}[${shape.join(",")}]`;
  return ctor ?? typeof v;
}
