/**
 * Turning results into the JSON the evals expect: plain numbers and nested
 * lists (Tensors become nested lists, scalar Values their number).
 */
import { Tensor, primal, type Value } from "../../lib/index.ts";

/**
 * The number held by a scalar result.
 *
 * @example
 * ```ts
 * scalar(3); // 3
 * ```
 */
export function scalar(v: Value): number {
  const p = primal(v);
  if (typeof p === "number") return p;
  if (p.size === 1) return p.data[0]!;
  throw new Error(`expected a scalar result, got a Tensor of shape [${p.shape.join(", ")}]`);
}

/**
 * A list of numbers from a list of scalar results or a Tensor.
 *
 * @example
 * ```ts
 * numbers([1, 2]); // [1, 2]
 * ```
 */
export function numbers(v: Value | readonly Value[] | unknown): number[] {
  if (v instanceof Tensor) return Array.from(v.data);
  if (Array.isArray(v)) return v.map((e) => scalar(e as Value));
  return [scalar(v as Value)];
}

/**
 * Splits a flat list into rows of `cols` entries.
 *
 * @example
 * ```ts
 * rows([1, 2, 3, 4], 2); // [[1, 2], [3, 4]]
 * ```
 */
export function rows(flat: ArrayLike<number>, cols: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < flat.length; i += cols) out.push(Array.from({ length: cols }, (_, k) => flat[i + k]!));
  return out;
}
