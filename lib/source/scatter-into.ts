/**
 * Gradients added into a buffer at given positions (`pullbacks`' scatter
 * into-entries, made by `scatter`): gradient entry j of an array argument
 * is added to `array[at[j]]`. Added, not written: zero the array first
 * where it should hold the gradients alone; entries that share a position
 * add up, within one gradient and across the cotangents of one call. A
 * sparse Jacobian whose rows come from pullbacks is the use: each row's
 * entries land in their CSR places with no copy after the pass. Fused
 * passes (fused-sweep.ts) write there directly, through a variant of their
 * source that indexes each such gradient through its positions; other
 * passes write a gradient of their own and add it in afterwards.
 */
import type { Fn } from "./ir.ts";
import { fail, describe } from "./registry.ts";

/**
 * Positions in an array that a gradient is added into: checked once, when
 * made (every position inside the array), and kept as a copy, so the
 * positions cannot change afterwards.
 *
 * @example
 * ```ts
 * const s = scatter(vals, Int32Array.from({ length: n }, (_, j) => 2 * j));
 * s.at.length; // n
 * ```
 */
export class Scatter {
  /** The positions, one per gradient entry: a copy of those passed. */
  readonly at: Int32Array;
  /**
   * Made by `scatter(array, at)`, which checks the positions first.
   *
   * @param array The array gradients are added into.
   * @param at The positions (copied).
   */
  constructor(readonly array: Float64Array, at: Int32Array) {
    this.at = at.slice();
  }
}

/**
 * A scatter into-entry for `pullback`/`pullbacks`: the gradient of an array
 * argument of length n is added to `array` at `at[0..n-1]`.
 *
 * @example
 * ```ts
 * const R = compile(residuals, { wrt: [0] });
 * const vals = new Float64Array(2 * n);
 * // Gradient entry j goes to vals[2j]: the pullback of ones, interleaved with something else at 2j + 1.
 * R.pullback([x, n], ones, scatter(vals, Int32Array.from({ length: n }, (_, j) => 2 * j)));
 * ```
 */
export function scatter(array: Float64Array, at: Int32Array | readonly number[]): Scatter {
  const api = "scatter";
  if (!(array instanceof Float64Array)) fail(api, `array is ${describe(array)}`, "pass the Float64Array the gradient is added into");
  if (!(at instanceof Int32Array) && !Array.isArray(at)) fail(api, `at is ${describe(at)}`, "pass an Int32Array (or number[]) of positions, one per gradient entry");
  const n = array.length;
  for (let j = 0; j < at.length; j++) {
    const q = at[j]!;
    if (!Number.isInteger(q) || q < 0 || q >= n) fail(api, `at[${j}] is ${describe(q)}, not a position in an array of length ${n}`, `keep every position an integer in 0..${n - 1}`);
  }
  return new Scatter(array, at instanceof Int32Array ? at : Int32Array.from(at));
}

/**
 * Whether an into-entry is a scatter.
 *
 * @example
 * ```ts
 * isScatter(scatter(vals, at)); // true
 * isScatter(new Float64Array(3)); // false
 * ```
 */
export function isScatter(b: unknown): b is Scatter {
  return b instanceof Scatter;
}

/**
 * Checks a scatter into-entry for array argument k: one position per
 * entry of the argument, an argument f never writes (its adjoint reads its
 * own entries back), and no argument sharing the array's memory.
 *
 * @example
 * ```ts
 * checkScatter(g.fn, args, scatter(vals, at), 0, 0, "compile(f).pullbacks");
 * ```
 */
export function checkScatter(fn: Fn, args: readonly unknown[], s: Scatter, k: number, i: number, api: string): Scatter {
  const p = fn.params[k]!;
  const length = (args[k] as ArrayLike<number>).length;
  if (s.at.length !== length) fail(api, `into entry ${i} scatters ${s.at.length} positions for argument ${k} of length ${length}`, `make it with ${length} positions`);
  if (fn.writtenParams.includes(p.name)) fail(api, `argument ${k} ('${p.name}') is written by f, so its gradient cannot be scattered`, "pass a Float64Array for it");
  if (args.some((a) => ArrayBuffer.isView(a) && a.buffer === s.array.buffer)) {
    fail(api, `into entry ${i}'s array shares its memory with an argument`, "pass a separate Float64Array");
  }
  return s;
}

/**
 * Adds a gradient into a scatter's positions (for passes that wrote it into an array of its own).
 *
 * @example
 * ```ts
 * scatterAdd(scatter(vals, at), grad); // vals[at[j]] += grad[j]
 * ```
 */
export function scatterAdd(s: Scatter, grad: ArrayLike<number>): void {
  const { array, at } = s;
  for (let j = 0; j < at.length; j++) array[at[j]!] += grad[j]!;
}

const NAME_CHAR = /[\w$]/;

/**
 * The source of a generated function with each adjoint array in `names`
 * indexed through its positions: `v$b0[e]` becomes `v$b0[v$b0$at[e]]`, and
 * the positions come as extra parameters after the others, in the order of
 * `names`.
 *
 * @example
 * ```ts
 * scatteredSource("function fused(v, v$b, $seed) { v$b[i] += 1; }", ["v$b"]);
 * // "function fused(v, v$b, $seed, v$b$at) { v$b[v$b$at[i]] += 1; }"
 * ```
 */
export function scatteredSource(source: string, names: readonly string[]): string {
  let out = source;
  for (const name of names) out = indexThrough(out, name, `${name}$at`);
  const close = out.indexOf(")");
  return `${out.slice(0, close)}, ${names.map((n) => `${n}$at`).join(", ")}${out.slice(close)}`;
}

/** `source` with every `name[e]` (the whole name, not a longer one ending in it) made `name[at[e]]`. */
function indexThrough(source: string, name: string, at: string): string {
  let out = "";
  let from = 0;
  for (;;) {
    const k = source.indexOf(`${name}[`, from);
    if (k < 0) return out + source.slice(from);
    const open = k + name.length;
    if (k > 0 && NAME_CHAR.test(source[k - 1]!)) {
      out += source.slice(from, open + 1);
      from = open + 1;
      continue;
    }
    let depth = 1;
    let end = open + 1;
    for (; depth > 0; end++) {
      const c = source[end];
      if (c === undefined) throw new Error(`compile: internal error: an unclosed index of ${name}`);
      if (c === "[") depth++;
      else if (c === "]") depth--;
    }
    // end is past the closing bracket.
    const inner = source.slice(open + 1, end - 1);
    out += `${source.slice(from, open)}[${at}[${indexThrough(inner, name, at)}]]`;
    from = end;
  }
}
