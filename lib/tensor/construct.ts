/**
 * Tensor constructors: `tensor` from nested arrays, a flat array with a
 * shape, or a typed array; `zeros`, `ones`, `full`, `arange`, `eye`; and the
 * seeded random `rand` / `randn`. Every constructor copies its input, so a
 * Tensor never shares storage with the caller's arrays.
 */
import { Tensor, shapeSize, allocate, type NestedArray } from "./tensor.ts";
import { Random } from "./random.ts";
import { fail, describe, checkOptions, DomainError, ShapeError, TypeMismatchError } from "../errors.ts";

/**
 * A shape: an array of extents, or one length for a 1-D tensor.
 *
 * @example
 * ```ts
 * zeros(3).shape;      // [3]
 * zeros([2, 3]).shape; // [2, 3]
 * ```
 */
export type ShapeLike = number | readonly number[];

/**
 * What {@link tensor} accepts.
 *
 * @example
 * ```ts
 * tensor([[1, 2], [3, 4]]);               // nested arrays
 * tensor(new Float64Array([1, 2, 3]));    // a typed array, 1-D
 * tensor(5).shape;                        // []
 * ```
 */
export type TensorData = number | readonly NestedArray[] | Float64Array | Float32Array | Int32Array | Tensor;

function toShape(api: string, shape: unknown): number[] {
  const s = typeof shape === "number" ? [shape] : shape;
  if (!Array.isArray(s)) fail(api, `the shape ${describe(shape)} is not an array of integers`, "pass e.g. [2, 3] (or one length)", TypeMismatchError);
  shapeSize(s, api);
  return s.slice();
}

function nestedShape(data: readonly unknown[]): number[] {
  const dims: number[] = [];
  let cur: unknown = data;
  while (Array.isArray(cur)) {
    dims.push(cur.length);
    cur = cur[0];
  }
  return dims;
}

const at = (path: number[]) => `[${path.join(", ")}]`;

function flatten(data: readonly unknown[], dims: number[], out: Float64Array): void {
  const walk = (arr: unknown, path: number[], k: number): number => {
    const depth = path.length;
    if (!Array.isArray(arr)) {
      fail("tensor", `the nested array is ragged: ${at(path)} is ${describe(arr)} where an array of ${dims[depth]} was expected`,
        "make every row the same length and depth", ShapeError);
    }
    if (arr.length !== dims[depth]) {
      fail("tensor", `the nested array is ragged: ${depth === 0 ? "the outer array" : at(path)} has length ${arr.length} but ${at(path.map(() => 0))} has length ${dims[depth]}`,
        "make every row the same length", ShapeError);
    }
    if (depth + 1 === dims.length) return fillRow(arr, path, out, k);
    for (let i = 0; i < arr.length; i++) k = walk(arr[i], [...path, i], k);
    return k;
  };
  walk(data, [], 0);
}

/** Copies one innermost row (kept apart from the recursion so the copy is a tight loop). */
function fillRow(arr: readonly unknown[], path: number[], out: Float64Array, k: number): number {
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (typeof v !== "number") badElement(v, [...path, i]);
    out[k + i] = v as number;
  }
  return k + arr.length;
}

function badElement(v: unknown, path: number[]): never {
  return fail("tensor", `element ${at(path)} is ${describe(v)}, not a number`,
    Array.isArray(v) ? "make every row the same depth" : "pass only numbers (NaN and Infinity are allowed)",
    Array.isArray(v) ? ShapeError : TypeMismatchError);
}

/**
 * Makes a Tensor (a copy) from nested arrays, a flat array plus a shape, a
 * typed array (1-D unless a shape is given), a number (0-d), or a Tensor.
 *
 * @example
 * ```ts
 * tensor([[1, 2], [3, 4]]);          // shape [2, 2]
 * tensor([1, 2, 3, 4, 5, 6], [2, 3]); // shape [2, 3]
 * tensor(new Float64Array(4));        // shape [4]
 * ```
 */
export function tensor(data: TensorData, shape?: readonly number[]): Tensor {
  let flat: Float64Array;
  let inferred: number[];
  if (data instanceof Tensor) [flat, inferred] = [data.data.slice(), data.shape];
  else if (typeof data === "number") [flat, inferred] = [Float64Array.of(data), []];
  else if (ArrayBuffer.isView(data) && !(data instanceof DataView)) [flat, inferred] = [Float64Array.from(data as ArrayLike<number>), [(data as ArrayLike<number>).length]];
  else if (Array.isArray(data)) {
    inferred = nestedShape(data);
    flat = new Float64Array(inferred.reduce((p, d) => p * d, 1));
    flatten(data, inferred, flat);
  } else {
    return fail("tensor", `cannot make a Tensor from ${describe(data)}`, "pass nested arrays of numbers, a flat array with a shape, or a Float64Array", TypeMismatchError);
  }
  if (shape === undefined) return new Tensor(flat, inferred);
  const s = toShape("tensor", shape);
  if (shapeSize(s, "tensor") !== flat.length) {
    fail("tensor", `${flat.length} values do not fill shape [${s.join(", ")}]`, "pass a shape whose product is the number of values", ShapeError);
  }
  return new Tensor(flat, s);
}

/** A tensor of `shape` filled with `v`. @example `full([2, 2], 7).toArray() // [[7, 7], [7, 7]]` */
export function full(shape: ShapeLike, v: number): Tensor {
  const s = toShape("full", shape);
  if (typeof v !== "number") fail("full", `the fill value ${describe(v)} is not a number`, "pass a number", TypeMismatchError);
  return new Tensor(allocate("full", shapeSize(s, "full")).fill(v), s);
}

/** A tensor of zeros. @example `zeros([2, 3]).size // 6` */
export function zeros(shape: ShapeLike): Tensor {
  const s = toShape("zeros", shape);
  return new Tensor(allocate("zeros", shapeSize(s, "zeros")), s);
}

/** A tensor of ones. @example `ones(3).toArray() // [1, 1, 1]` */
export function ones(shape: ShapeLike): Tensor {
  const s = toShape("ones", shape);
  return new Tensor(allocate("ones", shapeSize(s, "ones")).fill(1), s);
}

/**
 * Evenly spaced values in [start, stop): `arange(n)` is 0..n-1; the step
 * may be negative but not zero.
 *
 * @example
 * ```ts
 * arange(3).toArray();          // [0, 1, 2]
 * arange(1, 2, 0.25).toArray(); // [1, 1.25, 1.5, 1.75]
 * ```
 */
export function arange(start: number, stop?: number, step = 1): Tensor {
  const [lo, hi] = stop === undefined ? [0, start] : [start, stop];
  for (const [name, v] of [["start", lo], ["stop", hi], ["step", step]] as const) {
    if (typeof v !== "number") fail("arange", `${name} ${describe(v)} is not a number`, "pass finite numbers", TypeMismatchError);
    if (!Number.isFinite(v)) fail("arange", `${name} ${describe(v)} is not a finite number`, "pass finite numbers", DomainError);
  }
  if (step === 0) fail("arange", "the step is 0", "pass a non-zero step", DomainError);
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  const out = allocate("arange", n);
  for (let i = 0; i < n; i++) out[i] = lo + i * step;
  return new Tensor(out, [n]);
}

/** The n x n identity matrix. @example `eye(2).toArray() // [[1, 0], [0, 1]]` */
export function eye(n: number): Tensor {
  if (typeof n !== "number") fail("eye", `the size ${describe(n)} is not a number`, "pass e.g. eye(3)", TypeMismatchError);
  if (!Number.isInteger(n) || n < 0) fail("eye", `the size ${describe(n)} is not a non-negative integer`, "pass e.g. eye(3)", DomainError);
  const out = allocate("eye", n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return new Tensor(out, [n, n]);
}

/**
 * Options of the random constructors.
 *
 * @example
 * ```ts
 * randn([2, 2], { seed: 1 }); // the same numbers on every run and machine
 * ```
 */
export interface RandomOptions {
  /** Any safe integer; the same seed gives the same values on every run and machine. */
  seed?: number;
}

/** Used when no seed is given: one fixed-seed stream per process, so whole programs still repeat exactly. */
let defaultStream: Random | null = null;

function stream(api: string, options: RandomOptions | undefined): Random {
  checkOptions(api, options, ["seed"]);
  const seed = options?.seed;
  if (seed === undefined) return (defaultStream ??= new Random(0));
  if (!Number.isSafeInteger(seed)) fail(api, `the seed ${describe(seed)} is not a safe integer`, "pass an integer seed, e.g. { seed: 42 }", DomainError);
  return new Random(seed);
}

/**
 * Uniform values in [0, 1), reproducible for a given seed (xoshiro128**).
 * Without a seed, values come from one fixed-seed stream per process.
 *
 * @example `rand([2, 2], { seed: 1 })`
 */
export function rand(shape: ShapeLike, options?: RandomOptions): Tensor {
  const s = toShape("rand", shape);
  const r = stream("rand", options);
  const out = allocate("rand", shapeSize(s, "rand"));
  for (let i = 0; i < out.length; i++) out[i] = r.uniform();
  return new Tensor(out, s);
}

/**
 * Standard normal values (Box-Muller), reproducible for a given seed.
 * Without a seed, values come from one fixed-seed stream per process.
 *
 * @example `randn([3], { seed: 7 })`
 */
export function randn(shape: ShapeLike, options?: RandomOptions): Tensor {
  const s = toShape("randn", shape);
  const r = stream("randn", options);
  const out = allocate("randn", shapeSize(s, "randn"));
  for (let i = 0; i < out.length; i++) out[i] = r.normal();
  return new Tensor(out, s);
}
