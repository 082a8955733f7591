/**
 * Numeric closeness for unit tests. Every comparison here uses one rule:
 * |got - want| <= rel * max(1, |want|), i.e. relative to the expected value
 * where it is large and absolute near zero, where a relative bar would
 * demand exact cancellation. NaN never passes.
 */
import * as assert from "uvu/assert";
import { flat } from "./tensors.ts";

/**
 * The relative tolerance when a caller gives none: about 450 ulps, room for
 * a short chain of roundings while still catching a wrong rule.
 */
const DEFAULT_REL = 1e-13;

function within(got: number, want: number, rel: number): boolean {
  return Math.abs(got - want) <= rel * Math.max(1, Math.abs(want));
}

/**
 * Asserts `got` is a number within `rel` (default 1e-13) of `want`, by the
 * rule above.
 *
 * @example
 * ```ts
 * close(derivative((x) => mul(x, x))(3) as number, 6);
 * close(Math.sqrt(2) ** 2, 2, 1e-15, "sqrt round trip");
 * ```
 */
export function close(got: unknown, want: number, rel = DEFAULT_REL, label = ""): void {
  const prefix = label === "" ? "" : `${label}: `;
  assert.type(got, "number", `${prefix}expected a number, got ${String(got)}`);
  const g = got as number;
  assert.ok(within(g, want, rel), `${prefix}${g} != ${want} (rel ${rel})`);
}

/**
 * Asserts two vectors have the same length and agree entry by entry to `rel`
 * (default 1e-13).
 *
 * @example
 * ```ts
 * closeAll(grad((x: Lifted[]) => mul(x[0]!, x[1]!))([2, 3]), [3, 2]);
 * ```
 */
export function closeAll(got: ArrayLike<number>, want: ArrayLike<number>, rel = DEFAULT_REL): void {
  assert.is(got.length, want.length, `length ${got.length} vs ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    assert.ok(within(got[i]!, want[i]!, rel), `[${i}] ${got[i]} != ${want[i]} (rel ${rel})`);
  }
}

/**
 * Asserts two matrices (arrays of rows) have the same row count and row
 * lengths and agree entry by entry to `rel`.
 *
 * @example
 * ```ts
 * const f = (x: Lifted[]) => [mul(x[0]!, x[1]!), mul(x[1]!, x[1]!)];
 * closeMat(jacrev(f)([1, 2]) as number[][], [[2, 1], [0, 4]]);
 * ```
 */
export function closeMat(got: readonly (readonly number[])[], want: readonly (readonly number[])[], rel = DEFAULT_REL): void {
  assert.is(got.length, want.length, "rows");
  got.forEach((row, i) => {
    assert.is(row.length, want[i]!.length, `row ${i} length`);
    row.forEach((g, j) => assert.ok(within(g, want[i]![j]!, rel), `[${i}][${j}] ${g} != ${want[i]![j]} (rel ${rel})`));
  });
}

/**
 * Asserts the elements of any value (number, Tensor, Dual/Var, or nested
 * arrays of them, read in row-major order by {@link flat}) match `want`
 * to `rel`.
 *
 * @example
 * ```ts
 * near(matmul(tensor([[1, 2]]), tensor([[3], [4]])), [11]);
 * ```
 */
export function near(got: unknown, want: readonly number[], rel = DEFAULT_REL): void {
  closeAll(flat(got), want, rel);
}
