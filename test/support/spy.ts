/**
 * Counts the calls of a registered structural op's `compute` while `body`
 * runs (the tests that check work is batched: one call per batch, not per
 * lane or row), restoring the op afterwards whatever happens.
 */
import { findOp } from "../../lib/index.ts";

/**
 * Runs `body` and returns its result with the number of times op `name` computed.
 *
 * @example
 * ```ts
 * const { calls } = countComputes("matmul", () => vmap((x) => matmul(W, x))(X)); // 1
 * ```
 */
export function countComputes<R>(name: string, body: () => R): { result: R; calls: number } {
  const spec = findOp(name)?.structural as { compute: (...a: never[]) => unknown } | null | undefined;
  if (spec === null || spec === undefined) throw new Error(`countComputes: no structural op named '${name}'`);
  const compute = spec.compute;
  let calls = 0;
  spec.compute = ((...a: never[]) => {
    calls++;
    return compute(...a);
  }) as typeof compute;
  try {
    return { result: body(), calls };
  } finally {
    spec.compute = compute;
  }
}
