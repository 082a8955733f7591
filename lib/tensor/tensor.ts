/**
 * Tensor storage: a dense, row-major Float64Array with a shape. Tensors are
 * plain values (no derivative information); Duals and Vars wrap them.
 *
 * Why a class with public `data`: users coming from NumPy expect to read the
 * buffer directly, and kernels index it without indirection. Writes into
 * `data` bump nothing by themselves; in-place methods ending in `_` bump
 * `version`, which the tape checks before it uses a saved tensor.
 */
import { fail, ShapeError, TypeMismatchError, describe } from "../errors.ts";
import { formatTensor, printsAs } from "./format.ts";

/**
 * Nested arrays of numbers, as accepted by {@link tensor} and returned by `toArray`.
 *
 * @example
 * ```ts
 * const rows: NestedArray = [[1, 2], [3, 4]];
 * tensor(rows).toArray(); // [[1, 2], [3, 4]]
 * ```
 */
export type NestedArray = number | NestedArray[];

/**
 * A dense float64 tensor.
 *
 * @example
 * ```ts
 * const t = new Tensor(new Float64Array([1, 2, 3, 4]), [2, 2]);
 * t.toArray(); // [[1, 2], [3, 4]]
 * ```
 */
export class Tensor {
  /**
   * The row-major storage. Reading it is free; writing into it directly is
   * NOT tracked (no version bump), so a recorded op that saved this tensor
   * would silently use the new values: write with `set_`, `fill_` or `copy_`.
   */
  readonly data: Float64Array;
  readonly shape: number[];
  readonly size: number;
  /** Bumped by every in-place write (`set_`, `fill_`, `copy_`); the tape compares it. */
  version = 0;

  constructor(data: Float64Array, shape: readonly number[]) {
    const size = shapeSize(shape, "tensor");
    if (!(data instanceof Float64Array)) {
      fail("tensor", `data is ${describe(data)}, not a Float64Array`, "pass a Float64Array to new Tensor, or build tensors with tensor(...)", TypeMismatchError);
    }
    if (data.length !== size) {
      fail("tensor", `data has ${data.length} elements but shape [${shape.join(", ")}] needs ${size}`,
        "pass data whose length is the product of the shape", ShapeError);
    }
    this.data = data;
    this.shape = shape.slice();
    this.size = size;
  }

  /** Number of axes. @example `zeros([2, 3]).ndim // 2` */
  get ndim(): number {
    return this.shape.length;
  }

  /**
   * Writes one element in place and bumps `version`. `index` is either one
   * index per axis (negative counts from the end) or, as a single number,
   * the flat row-major position.
   *
   * @example
   * ```ts
   * const t = zeros([2, 2]);
   * t.set_([1, 0], 5); // [[0, 0], [5, 0]]
   * t.set_(1, 7);      // [[0, 7], [5, 0]]
   * ```
   */
  set_(index: number | readonly number[], v: number): this {
    if (typeof v !== "number") fail("Tensor.set_", `the value ${describe(v)} is not a number`, "pass a number", TypeMismatchError);
    this.data[this.offsetOf(index)] = v;
    this.version++;
    return this;
  }

  /**
   * Sets every element to `v` in place and bumps `version`.
   *
   * @example
   * ```ts
   * zeros([3]).fill_(2); // [2, 2, 2]
   * ```
   */
  fill_(v: number): this {
    if (typeof v !== "number") fail("Tensor.fill_", `the value ${describe(v)} is not a number`, "pass a number", TypeMismatchError);
    this.data.fill(v);
    this.version++;
    return this;
  }

  /**
   * Copies the elements of `src` (same shape) into this tensor in place and bumps `version`.
   *
   * @example
   * ```ts
   * const w = zeros([2]);
   * w.copy_(tensor([1, 2])); // [1, 2]
   * ```
   */
  copy_(src: Tensor): this {
    if (!(src instanceof Tensor)) fail("Tensor.copy_", `the source ${describe(src)} is not a Tensor`, "pass a Tensor of the same shape", TypeMismatchError);
    if (src.shape.length !== this.shape.length || src.shape.some((d, k) => d !== this.shape[k])) {
      fail("Tensor.copy_", `the source has shape [${src.shape.join(", ")}] but this tensor has shape [${this.shape.join(", ")}]`,
        "copy from a tensor of the same shape (broadcastTo it first)", ShapeError);
    }
    this.data.set(src.data);
    this.version++;
    return this;
  }

  private offsetOf(index: number | readonly number[]): number {
    if (typeof index === "number") {
      if (!Number.isInteger(index) || index < 0 || index >= this.size) {
        fail("Tensor.set_", `flat position ${describe(index)} is out of range for ${this.size} elements`,
          `pass an integer in 0..${this.size - 1}, or one index per axis`, ShapeError);
      }
      return index;
    }
    if (!Array.isArray(index) || index.length !== this.shape.length) {
      fail("Tensor.set_", `the index ${describe(index)} does not have one entry per axis of shape [${this.shape.join(", ")}]`,
        `pass ${this.shape.length} indices`, ShapeError);
    }
    let off = 0;
    for (let k = 0; k < index.length; k++) {
      const n = this.shape[k];
      const i = index[k];
      if (!Number.isInteger(i) || i < -n || i >= n) {
        fail("Tensor.set_", `index ${describe(i)} is out of range for axis ${k} of extent ${n}`, `use an integer in ${-n}..${n - 1}`, ShapeError);
      }
      off = off * n + (i < 0 ? i + n : i);
    }
    return off;
  }

  /**
   * The value of a 0-d or one-element tensor.
   *
   * @example
   * ```ts
   * tensor([5]).item(); // 5
   * ```
   */
  item(): number {
    if (this.size !== 1) {
      fail("Tensor.item", `the tensor has shape [${this.shape.join(", ")}] (${this.size} elements)`,
        "call item() only on a tensor with exactly one element, or index it first", ShapeError);
    }
    return this.data[0];
  }

  /**
   * Nested JS arrays (a number for a 0-d tensor).
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).toArray(); // [[1, 2], [3, 4]]
   * ```
   */
  toArray(): NestedArray {
    if (this.shape.length === 0) return this.data[0];
    return nest(this.data, this.shape, 0, 0);
  }

  /**
   * A short readable summary, also what `console.log` shows: the shape, then
   * the elements (the first and last 3 of each long axis when there are more
   * than 24); NaN and Infinity print as such.
   *
   * @example
   * ```ts
   * String(tensor([[1, 2], [3, 4]])); // "Tensor[2,2] [[1,2],[3,4]]"
   * String(arange(100));              // "Tensor[100] [0,1,2,...,97,98,99]"
   * ```
   */
  toString(): string {
    return formatTensor(this);
  }
}

// lib/ops/methods.ts declares the registry's ops as Tensor methods (installed
// at runtime by lib/registry/methods.ts).

printsAs(Tensor);

function nest(data: Float64Array, shape: readonly number[], axis: number, offset: number): NestedArray[] {
  const n = shape[axis];
  const out: NestedArray[] = new Array(n);
  if (axis === shape.length - 1) {
    for (let i = 0; i < n; i++) out[i] = data[offset + i];
    return out;
  }
  let stride = 1;
  for (let k = axis + 1; k < shape.length; k++) stride *= shape[k];
  for (let i = 0; i < n; i++) out[i] = nest(data, shape, axis + 1, offset + i * stride);
  return out;
}

/**
 * The most elements one Tensor may hold: 2^31 - 1 (16 GiB of float64).
 * Larger requests are refused before anything is allocated, so a typo such
 * as `zeros([1e12])` is a clear ShapeError instead of an engine RangeError or
 * the process running out of memory.
 */
export const MAX_TENSOR_SIZE = 2 ** 31 - 1;

function extentProblem(d: unknown): string | null {
  if (typeof d !== "number") return `is ${describe(d)}, not a number`;
  if (!Number.isInteger(d) || d < 0) return `is ${d}, not a non-negative integer`;
  return null;
}

/**
 * Product of a shape's extents, validating that each is a non-negative
 * integer and that the product is at most {@link MAX_TENSOR_SIZE}.
 *
 * @example
 * ```ts
 * shapeSize([2, 3], "zeros"); // 6
 * ```
 */
export function shapeSize(shape: readonly number[], api: string): number {
  if (!Array.isArray(shape)) {
    fail(api, `a shape must be an array of integers, got ${describe(shape)}`, "pass e.g. [2, 3]", TypeMismatchError);
  }
  let size = 1;
  for (let k = 0; k < shape.length; k++) {
    const problem = extentProblem(shape[k]);
    if (problem !== null) {
      fail(api, `extent ${k} of the shape ${problem}`, "use whole numbers >= 0 for every axis, e.g. [2, 3]",
        typeof shape[k] === "number" ? ShapeError : TypeMismatchError);
    }
    size *= shape[k]!;
  }
  if (size > MAX_TENSOR_SIZE) tooLarge(api, size, `shape [${shape.join(", ")}]`);
  return size;
}

function tooLarge(api: string, size: number, what: string): never {
  return fail(api, `${what} has ${size} elements, more than the ${MAX_TENSOR_SIZE} one Tensor can hold`,
    "use smaller shapes (check for a typo in a size)", ShapeError);
}

/**
 * Allocates float64 storage for `size` elements, checking the size first
 * ({@link MAX_TENSOR_SIZE}); an allocation the engine refuses (out of
 * memory) becomes a ShapeError naming the API instead of a raw RangeError.
 * Every kernel that creates a result allocates through here.
 *
 * @example
 * ```ts
 * const out = allocate("matmul", 6); // Float64Array(6)
 * ```
 */
export function allocate(api: string, size: number): Float64Array {
  if (size > MAX_TENSOR_SIZE) tooLarge(api, size, "the result");
  try {
    return allocator(size);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return fail(api, `could not allocate ${size} float64 elements (${(size * 8 / 2 ** 30).toFixed(1)} GiB): ${e.message}`,
      "use smaller shapes, or free memory first", ShapeError);
  }
}

let allocator: (size: number) => Float64Array = (size) => new Float64Array(size);

/**
 * Replaces the raw allocation (for tests that simulate running out of
 * memory without allocating gigabytes); returns a function that restores it.
 *
 * @example
 * ```ts
 * const restore = setAllocatorForTesting(() => { throw new RangeError("Array buffer allocation failed"); });
 * try { zeros([4]); } finally { restore(); }
 * ```
 */
export function setAllocatorForTesting(fn: (size: number) => Float64Array): () => void {
  const before = allocator;
  allocator = fn;
  return () => { allocator = before; };
}

/**
 * Row-major strides of a shape.
 *
 * @example
 * ```ts
 * stridesOf([2, 3, 4]); // [12, 4, 1]
 * ```
 */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}
