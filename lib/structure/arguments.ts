/**
 * `argnums` and `hasAux`, the two options every function transform shares
 * (JAX's names). A transform differentiates one input; these options turn a
 * multi-argument `f`, or one that also returns auxiliary data, into such a
 * function of one input, and afterwards hand back the auxiliary data with
 * the transform's own perturbations taken out.
 */
import { Lifted } from "../registry/lifted.ts";
import { currentLevel } from "../registry/level.ts";
import { fail, describe, checkOptions, TypeMismatchError, DomainError } from "../errors.ts";

/** The option keys every function transform accepts. */
export const ARGUMENT_KEYS: readonly string[] = ["argnums", "hasAux"];
import type { Output } from "./structure.ts";

/**
 * The options shared by the function transforms.
 *
 * @example
 * ```ts
 * grad((w: Lifted, x: Lifted) => mul(w, x), { argnums: 0 })(2, 3);                               // 3
 * grad((w: Lifted, b: Lifted, x: Lifted) => add(mul(w, x), b), { argnums: [0, 1] })(2, 1, 3); // [3, 1]
 * ```
 */
export interface ArgumentOptions {
  /**
   * Which arguments of f to differentiate: an index (default 0), or a list
   * of indices, in which case the derivative is a list with one entry per
   * index. The other arguments are passed through as constants.
   */
  argnums?: number | readonly number[];
  /**
   * When true, f returns `[output, aux]`: the transform differentiates
   * `output` and returns `aux` beside its result, with the transform's own
   * Duals/Vars replaced by their values.
   */
  hasAux?: boolean;
}

/** One call of a transformed function, bound to its arguments. */
export interface BoundCall {
  /** The point to differentiate at: the chosen argument, or a list of the chosen arguments. */
  x: unknown;
  /** f as a function of that point alone, returning only the output to differentiate. */
  g: (x: never) => Output;
  /** The auxiliary data of the last call of `g` (undefined without `hasAux`). */
  aux: () => unknown;
}

/**
 * Validates the shared options; `keys` lists every key the transform
 * accepts (its own, such as `chunk`, too), so a misspelt one is refused.
 *
 * @example
 * ```ts
 * readArgumentOptions("grad", { argnums: [0, 2] }); // { argnums: [0, 2], hasAux: false }
 * readArgumentOptions("jacfwd", { chunk: 4 }, [...ARGUMENT_KEYS, "chunk"]);
 * ```
 */
export function readArgumentOptions(api: string, options: ArgumentOptions, keys: readonly string[] = ARGUMENT_KEYS): { argnums: number | readonly number[]; hasAux: boolean } {
  checkOptions(api, options, keys);
  const { argnums = 0, hasAux = false } = options ?? {};
  if (typeof hasAux !== "boolean") fail(api, `hasAux must be true or false, got ${describe(hasAux)}`, "pass { hasAux: true } when f returns [output, aux]", TypeMismatchError);
  const list = typeof argnums === "number" ? [argnums] : argnums;
  if (!Array.isArray(list) || list.length === 0 || !list.every((i) => Number.isInteger(i) && i >= 0)) {
    fail(api, `argnums must be a non-negative integer or a non-empty list of them, got ${describe(argnums)}`, "pass e.g. { argnums: 1 } or { argnums: [0, 1] }", DomainError);
  }
  if (new Set(list).size !== list.length) fail(api, `argnums lists an argument twice: [${list.join(", ")}]`, "list each argument once", DomainError);
  return { argnums, hasAux };
}

/**
 * Binds a call `f(...args)` for a transform: picks the differentiated
 * arguments and, with `hasAux`, splits f's result.
 *
 * @example
 * ```ts
 * const call = bindCall("grad", f, [w, b, data], { argnums: [0, 1], hasAux: false });
 * call.x; // [w, b]
 * ```
 */
export function bindCall(api: string, f: (...args: never[]) => unknown, args: readonly unknown[], options: { argnums: number | readonly number[]; hasAux: boolean }): BoundCall {
  const { argnums, hasAux } = options;
  const picked = typeof argnums === "number" ? [argnums] : argnums;
  for (const i of picked) {
    if (i >= args.length) fail(api, `argnums names argument ${i}, but the function was called with ${args.length} argument${args.length === 1 ? "" : "s"}`, "pass every argument that argnums names", DomainError);
  }
  const x = typeof argnums === "number" ? args[argnums] : argnums.map((i) => args[i]);
  let aux: unknown = undefined;
  const g = (traced: unknown): Output => {
    const full = args.slice();
    if (typeof argnums === "number") full[argnums] = traced;
    else argnums.forEach((i, k) => (full[i] = (traced as unknown[])[k]));
    const result = (f as (...a: unknown[]) => unknown)(...full);
    if (!hasAux) return result as Output;
    if (!Array.isArray(result) || result.length !== 2) {
      fail(api, `with hasAux, f must return [output, aux], but it returned ${describe(result)}`, "return a two-element array, or drop hasAux", TypeMismatchError);
    }
    aux = result[1];
    return result[0] as Output;
  };
  return { x, g: g as (x: never) => Output, aux: () => aux };
}

/**
 * Runs `body` and returns its result with `aux` taken from the bound call,
 * stripped of every Dual/Var created while `body` ran (the transform's own
 * perturbations), so auxiliary data never carries an escaped traced value.
 *
 * @example
 * ```ts
 * const { result, aux } = withAux(call, () => valueAndGradOf(call));
 * ```
 */
export function withAux<R>(call: BoundCall, body: () => R): { result: R; aux: unknown } {
  const before = currentLevel();
  const result = body();
  return { result, aux: stripAbove(call.aux(), before) };
}

/** `v` with every Dual/Var above `level` replaced by its value, inside arrays and plain objects too. */
function stripAbove(v: unknown, level: number): unknown {
  if (v instanceof Lifted) {
    let x: unknown = v;
    while (x instanceof Lifted && x.level > level) x = x.value;
    return x;
  }
  if (Array.isArray(v)) return v.map((e) => stripAbove(e, level));
  if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, stripAbove(e, level)]));
  }
  return v;
}

/**
 * Calls a one-input transform `run(g, x)` on f bound to `args`; with
 * `hasAux`, returns `[result, aux]` (JAX's convention) instead of the result.
 *
 * @example
 * ```ts
 * callWithArguments("jacrev", f, [w, data], opts, (g, x) => jacobianOf(g, x)); // J, or [J, aux]
 * ```
 */
export function callWithArguments<R>(
  api: string, f: (...args: never[]) => unknown, args: readonly unknown[],
  options: { argnums: number | readonly number[]; hasAux: boolean }, run: (g: (x: never) => Output, x: unknown) => R,
): R | [R, unknown] {
  const call = bindCall(api, f, args, options);
  if (!options.hasAux) return run(call.g, call.x);
  const { result, aux } = withAux(call, () => run(call.g, call.x));
  return [result, aux];
}
