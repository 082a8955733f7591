/**
 * Turning results into the JSON the evals expect: plain numbers and nested
 * lists (Tensors become nested lists, scalar Values their number).
 */
import { Tensor, primal, type Value } from "../../lib/index.ts";
import { numberArray } from "../../lib/tensor/number-array.ts";

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
  if (v instanceof Tensor) return numberArray(v.data);
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
  for (let i = 0; i < flat.length; i += cols) {
    const row = new Array<number>(cols);
    for (let k = 0; k < cols; k++) row[k] = flat[i + k]!;
    out.push(row);
  }
  return out;
}

/** A matrix result kept as its row-major buffer until it is written out. */
export interface MatrixOutput {
  data: Float64Array;
  cols: number;
  /** The rows as nested lists, as the protocol sends them (JSON.stringify calls this). */
  toJSON(): number[][];
}

/**
 * A matrix result that becomes nested lists only when the response is
 * written, outside the timed evaluation: the rows of a large Jacobian
 * (30000 of them for ht) cost more to build than its passes, and a tool in
 * any other language times its native matrix, not the JSON.
 *
 * @example
 * ```ts
 * JSON.stringify(matrix(Float64Array.of(1, 2, 3, 4), 2)); // "[[1,2],[3,4]]"
 * ```
 */
export function matrix(data: Float64Array, cols: number): MatrixOutput {
  return { data, cols, toJSON: () => rows(data, cols) };
}

/**
 * A gradient as the list the protocol sends: a `number[]` as it is, a
 * Float64Array copied by the library's indexed loop (`Array.from` on a
 * typed array takes V8's iterator path, several times slower, and the
 * evals' timings include this step).
 *
 * @example
 * ```ts
 * list(new Float64Array([1, 2])); // [1, 2]
 * ```
 */
export function list(a: ArrayLike<number>): number[] {
  return Array.isArray(a) ? (a as number[]) : numberArray(a);
}
