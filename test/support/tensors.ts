/**
 * Small tensor builders and readers for unit tests: build inputs in one
 * call and read any result back as plain numbers to compare.
 */
import { primal, Tensor, type Value } from "../../lib/index.ts";

/**
 * A 1-D Tensor holding the given numbers (built with the Tensor constructor
 * directly, so tests of `tensor()` do not depend on what they test).
 *
 * @example
 * ```ts
 * vec(1, 2, 3).shape; // [3]
 * ```
 */
export function vec(...values: number[]): Tensor {
  return new Tensor(Float64Array.from(values), [values.length]);
}

/**
 * The numbers inside a value in row-major order: a number gives one entry, a
 * Tensor its data, a Dual or Var its primal's, and (nested) arrays of these
 * the concatenation of their parts.
 *
 * @example
 * ```ts
 * flat([1, tensor([[2, 3]]), variable(4)]); // [1, 2, 3, 4]
 * ```
 */
export function flat(v: unknown): number[] {
  if (Array.isArray(v)) return v.flatMap(flat);
  const p = primal(v as Value);
  return typeof p === "number" ? [p] : Array.from(p.data);
}
