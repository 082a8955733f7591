/**
 * Tensor storage: a dense, row-major Float64Array with a shape. Tensors are
 * plain values (no derivative information); Duals and Vars wrap them.
 *
 * Why a class with public `data`: users coming from NumPy expect to read the
 * buffer directly, and kernels index it without indirection. Writes into
 * `data` bump nothing by themselves; in-place methods ending in `_` bump
 * `version`, which the tape checks before it uses a saved tensor.
 */
import { fail, ShapeError, TypeMismatchError, describe } from "./errors.ts";

/** Nested arrays of numbers, as accepted by {@link tensor} and returned by `toArray`. */
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
  readonly data: Float64Array;
  readonly shape: number[];
  readonly size: number;
  /** Bumped by every in-place write (`set_`, `fill_`, ...); the tape compares it. */
  version = 0;

  constructor(data: Float64Array, shape: readonly number[]) {
    const size = shapeSize(shape, "tensor");
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
    return this.data[0]!;
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
    if (this.shape.length === 0) return this.data[0]!;
    return nest(this.data, this.shape, 0, 0);
  }

  /** A readable summary: `Tensor[2,2] [[1, 2], [3, 4]]`. @example `String(tensor([1, 2]))` */
  toString(): string {
    return `Tensor[${this.shape.join(",")}] ${JSON.stringify(this.toArray())}`;
  }
}

function nest(data: Float64Array, shape: readonly number[], axis: number, offset: number): NestedArray[] {
  const n = shape[axis]!;
  const out: NestedArray[] = new Array(n);
  if (axis === shape.length - 1) {
    for (let i = 0; i < n; i++) out[i] = data[offset + i]!;
    return out;
  }
  let stride = 1;
  for (let k = axis + 1; k < shape.length; k++) stride *= shape[k]!;
  for (let i = 0; i < n; i++) out[i] = nest(data, shape, axis + 1, offset + i * stride);
  return out;
}

/**
 * Product of a shape's extents, validating that each is a non-negative integer.
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
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      fail(api, `shape [${shape.join(", ")}] has an extent that is not a non-negative integer`,
        "use whole numbers >= 0 for every axis", ShapeError);
    }
    size *= d;
  }
  return size;
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
    acc *= shape[i]!;
  }
  return s;
}

/**
 * True when `v` is a Tensor.
 *
 * @example
 * ```ts
 * isTensor(zeros([2])); // true
 * ```
 */
export function isTensor(v: unknown): v is Tensor {
  return v instanceof Tensor;
}
