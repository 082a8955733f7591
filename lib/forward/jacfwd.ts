/**
 * `jacfwd(f)(x)`: the full Jacobian by forward mode. Inputs of numbers and
 * Tensors push a chunk of directions per pass as multi-lane tangents
 * (⌈n / chunk⌉ passes for n input elements); nested inputs (Duals/Vars
 * of enclosing transforms) push one direction per pass.
 */
import { Lifted, primal, exampleShape, type Value } from "../registry/lifted.ts";
import { Tensor, allocate } from "../tensor/tensor.ts";
import { ZERO_LANES, type Tangent } from "../registry/combine.ts";
import { TensorLanes } from "../registry/lanes.ts";
import { splitInput, splitOutput, join, type Output, type Split, type TracedArg, type InputFor, type Jacobian } from "../structure/structure.ts";
import { layoutJacobian, layoutFlatJacobian, itemSizes, entriesOf } from "../structure/jacobian-layout.ts";
import { fail, describe, DomainError, TypeMismatchError, PerturbationError } from "../errors.ts";
import { readArgumentOptions, callWithArguments, ARGUMENT_KEYS, type ArgumentOptions } from "../structure/arguments.ts";
import { Dual } from "./dual.ts";
import { withTag, type Tag } from "./tag.ts";
import { rawTangent, tangentUnder } from "./extract.ts";

/**
 * Options of `jacfwd` (and `argnums`/`hasAux`, shared by every transform).
 *
 * @example
 * ```ts
 * jacfwd(f, { chunk: 4 })([1, 2, 3, 4, 5]); // f's Jacobian in 2 forward passes (4 lanes, then 1)
 * ```
 */
export interface JacfwdOptions extends ArgumentOptions {
  /** Directions pushed per forward pass (multi-lane width); default DEFAULT_CHUNK, or for Tensor inputs all their elements up to 64 lanes (fewer for very large inputs). */
  chunk?: number;
}

/**
 * Default lane count: the fastest up to 8 lanes in bench/modes.ts. Up to 8
 * lanes (64 bytes) each lane array stays on V8's heap, and allocating it there
 * is cheap; wider chunks gain little and cost more memory per value.
 *
 * @example
 * ```ts
 * jacfwd(f, { chunk: 2 * DEFAULT_CHUNK }); // 16 directions per forward pass
 * ```
 */
export const DEFAULT_CHUNK = 8;

/**
 * Most lanes per forward pass when every input is a Tensor: then a pass
 * costs one call per op whatever its width (each structural op takes all
 * lanes as one [lanes, ...] tensor), so fewer, wider passes win. Measured on
 * the Jacobian of a layer W x (with an elementwise op after it) for n =
 * 100..1000 inputs: 64 lanes 2.4-3.3x faster than 8, 128 another 10-20%.
 *
 * @example
 * ```ts
 * jacfwd(f)(randn([10])); // one pass of 10 lanes (at most TENSOR_CHUNK)
 * ```
 */
export const TENSOR_CHUNK = 64;

/** Elements of one lane tensor of the input (lanes x input size) beyond which Tensor inputs get fewer lanes, down to DEFAULT_CHUNK: 8 MB. */
const LANE_ELEMENTS = 1 << 20;

/**
 * The lanes per pass when the caller names none: DEFAULT_CHUNK, or for
 * inputs that are all Tensors as many as the input has elements, up to
 * TENSOR_CHUNK and to LANE_ELEMENTS / n (tangents of every intermediate
 * value grow with the lanes), never below DEFAULT_CHUNK.
 *
 * @example
 * ```ts
 * defaultChunk(splitInput("jacfwd", randn([10])));  // 10
 * defaultChunk(splitInput("jacfwd", [1, 2, 3]));    // DEFAULT_CHUNK
 * ```
 */
export function defaultChunk(inp: Split): number {
  if (inp.items.length === 0 || !inp.items.every((v) => v instanceof Tensor)) return DEFAULT_CHUNK;
  const n = itemSizes(inp).reduce((p, q) => p + q, 0);
  const fit = n > 0 ? (LANE_ELEMENTS / n) | 0 : TENSOR_CHUNK;
  const byMemory = fit > DEFAULT_CHUNK ? fit : DEFAULT_CHUNK;
  const lanes = n < TENSOR_CHUNK ? n : TENSOR_CHUNK;
  const chosen = lanes < byMemory ? lanes : byMemory;
  return chosen > 1 ? chosen : 1;
}

type F = (x: never) => Output;

/**
 * Returns x => J(x), the Jacobian of f at x (output structure outside, input structure inside).
 *
 * @example
 * ```ts
 * // pair(x) = [x0 x1, sine of x0], written with dualtape ops
 * jacfwd(pair)([2, 3]); // [[3, 2], [-0.416..., 0]]
 * ```
 */
export function jacfwd<P extends TracedArg = Lifted>(f: (x: P) => Output, options?: Omit<JacfwdOptions, "argnums" | "hasAux">): (x: InputFor<P>) => Jacobian;
export function jacfwd(f: (...args: never[]) => unknown, options: JacfwdOptions): (...args: unknown[]) => Jacobian | [Jacobian, unknown];
export function jacfwd(f: (...args: never[]) => unknown, options: JacfwdOptions = {}): (...args: never[]) => unknown {
  return jacfwdAs("jacfwd", f, options);
}

/**
 * `jacfwd` under another public name: transforms built on it (hessian) pass
 * their own, so errors name the function the user called.
 *
 * @example
 * ```ts
 * jacfwdAs("hessian", grad(f))(x); // errors read "hessian: ..."
 * ```
 */
export function jacfwdAs(api: string, f: (...args: never[]) => unknown, options: JacfwdOptions = {}): (...args: unknown[]) => Jacobian | [Jacobian, unknown] {
  if (typeof f !== "function") fail(api, `expected a function, got ${describe(f)}`, "pass (x) => ...", TypeMismatchError);
  // Options are checked (an object of known keys) before any is read.
  const opts = readArgumentOptions(api, options, [...ARGUMENT_KEYS, "chunk"]);
  const chunk = options.chunk === undefined ? undefined : checkChunk(api, options.chunk);
  return (...args: unknown[]) => callWithArguments(api, f, args, opts, (g, x) => jacfwdAt(api, g, x, chunk));
}

/**
 * Validates a lane count.
 *
 * @example
 * ```ts
 * checkChunk("hessian", 0); // throws DomainError
 * ```
 */
export function checkChunk(api: string, chunk: unknown): number {
  if (typeof chunk !== "number" || !Number.isInteger(chunk) || chunk < 1) {
    fail(api, `chunk must be a positive integer, got ${describe(chunk)}`, "pass e.g. { chunk: 8 }", DomainError);
  }
  return chunk;
}

/**
 * The forward-mode Jacobian of a one-input function g at x.
 *
 * @example
 * ```ts
 * jacfwdAt("jacobian", g, [2, 3]); // what jacfwd(g)([2, 3]) returns (lanes per pass: defaultChunk)
 * ```
 */
export function jacfwdAt(api: string, g: F, x: unknown, chunk?: number): Jacobian {
  const inp = splitInput(api, x);
  if (!inp.items.every((v) => typeof v === "number" || v instanceof Tensor)) return singlePasses(api, g, inp);
  try {
    return lanePasses(api, g, inp, chunk ?? defaultChunk(inp));
  } catch (e) {
    // Multi-lane tangents stop at a rule that cannot take them (e.g. a nested
    // partial meeting scalar lanes): redo the Jacobian one direction per pass.
    if (e instanceof PerturbationError) return singlePasses(api, g, inp);
    throw e;
  }
}

function call(api: string, f: F, inp: Split, duals: Dual[]): Split {
  return splitOutput(api, (f as (x: unknown) => Output)(join(inp, duals)));
}

function newRows(out: Split, n: number): Value[][] {
  const m = itemSizes(out).reduce((p, s) => p + s, 0);
  return Array.from({ length: m }, () => new Array<Value>(n).fill(0));
}

/**
 * Chunks of `chunk` columns (flattened input elements, across all items)
 * per pass: a scalar input carries a Float64Array of lanes, a Tensor input
 * a [lanes, ...shape] tensor of one-hot directions.
 */
function lanePasses(api: string, f: F, inp: Split, chunk: number): Jacobian {
  const sizes = itemSizes(inp);
  const offsets: number[] = [];
  sizes.reduce((acc, q) => (offsets.push(acc), acc + q), 0);
  const n = sizes.reduce((p, q) => p + q, 0);
  let data: Float64Array | null = null;
  let out: Split | null = null;
  for (let s = 0; s < (n > 1 ? n : 1); s += chunk) {
    const w = chunk < n - s ? chunk : n - s;
    withTag(api, (tag) => {
      const duals = inp.items.map((xi, i) => new Dual(xi, seedLanes(xi, offsets[i], sizes[i], s, w), tag));
      out = call(api, f, inp, duals);
      // Lane passes write plain numbers only: one row-major m x n buffer, off the JS heap.
      data ??= allocate(api, itemSizes(out).reduce((p, q) => p + q, 0) * n);
      let r = 0;
      for (const y of out.items) r = scatterLanes(data, n, r, s, rawTangent(y, tag), y);
    });
  }
  return layoutFlatJacobian(out!, inp, data!, n);
}

/** One-hot lanes for the columns [s, s + w) that fall inside this item's [off, off + size). */
function seedLanes(x: Value, off: number, size: number, s: number, w: number): Tangent {
  const lo = off > s ? off : s;
  const hi = off + size < s + w ? off + size : s + w;
  if (lo >= hi) return ZERO_LANES;
  const p = primal(x);
  if (typeof p === "number") {
    const l = new Float64Array(w);
    l[off - s] = 1;
    return l;
  }
  const data = new Float64Array(w * size);
  for (let c = lo; c < hi; c++) data[(c - s) * size + (c - off)] = 1;
  return new TensorLanes(new Tensor(data, [w, ...p.shape]));
}

/** Writes one output item's lanes into rows r.. of the row-major m x n `data` (one row per element of the item); returns the next row. */
function scatterLanes(data: Float64Array, n: number, r: number, s: number, t: Tangent | null, y: Value): number {
  const p = primal(y);
  const size = typeof p === "number" ? 1 : p.size;
  if (t instanceof Float64Array) {
    const at = r * n + s;
    for (let k = 0; k < t.length; k++) data[at + k] = t[k];
  } else if (t instanceof TensorLanes) {
    const lanes = t.t;
    if (!(lanes instanceof Tensor)) {
      fail("jacfwd", "nested tensor lanes cannot be laid out", "use one direction per pass when nesting jacfwd", PerturbationError);
    }
    const k = lanes.shape[0];
    const src = lanes.data;
    for (let j = 0; j < k; j++) {
      const from = j * size;
      let at = r * n + s + j;
      for (let e = 0; e < size; e++, at += n) data[at] = src[from + e];
    }
  } else if (t !== null && t !== 0) {
    fail("jacfwd", "an output carried a single-lane tangent in a multi-lane pass", "use one direction per pass", PerturbationError);
  }
  return r + size;
}

/** One forward pass per input element, with one-hot tangents. */
function singlePasses(api: string, f: F, inp: Split): Jacobian {
  const sizes = itemSizes(inp);
  const n = sizes.reduce((p, s) => p + s, 0);
  let rows: Value[][] | null = null;
  let out: Split | null = null;
  let col = 0;
  inp.items.forEach((_, item) => {
    for (let e = 0; e < sizes[item]; e++, col++) {
      withTag(api, (tag) => {
        const duals = inp.items.map((xi, i) => new Dual(xi, seedTangent(xi, i === item ? e : -1), tag));
        out = call(api, f, inp, duals);
        rows ??= newRows(out, n);
        scatterColumn(rows, col, out, tag);
      });
    }
  });
  if (out === null) fail(api, "the input has no elements", "pass at least one input element", DomainError);
  return layoutJacobian(out, inp, rows!);
}

function seedTangent(x: Value, e: number): Value {
  // One example's shape: under vmap the direction is shared by every example.
  const s = exampleShape(x);
  if (s.length === 0) return e === 0 ? 1 : 0;
  const t = new Tensor(new Float64Array(s.reduce((a, b) => a * b, 1)), s);
  if (e >= 0) t.data[e] = 1;
  return t;
}

/** Writes one pass's tangents as column `col`; a tangent that is itself a Dual/Var is read out differentiably. */
function scatterColumn(rows: Value[][], col: number, out: Split, tag: Tag): void {
  let r = 0;
  for (const y of out.items) for (const v of entriesOf(tangentUnder(y, tag))) rows[r++][col] = v;
}
