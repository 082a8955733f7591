/**
 * fast-check settings shared by every property: at least 200 runs, the
 * error text in reports, and replay: a failing run prints its seed, and
 * PROPS_SEED=<seed> node --import tsx node_modules/uvu/bin.js props <file>
 * (with the same PROPS_RUNS, if it was raised) draws the same cases again,
 * so the same counterexample is found and shrunk.
 */
import fc from "fast-check";

/** Runs per property; PROPS_RUNS raises it for a longer soak (never below 200). */
export const RUNS = Math.max(200, Number(process.env.PROPS_RUNS ?? 200) || 200);

/**
 * Parameters for `fc.assert`: the run count, error text in reports, the
 * replay seed when given, and any fixed `examples`.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(fc.nat(), (n) => n >= 0), params());
 * ```
 */
export function params<T>(extra: fc.Parameters<T> = {}): fc.Parameters<T> {
  const seed = process.env.PROPS_SEED;
  return {
    // fast-check counts fixed examples as runs: add them so RUNS random cases remain.
    numRuns: RUNS + (extra.examples?.length ?? 0),
    includeErrorInReport: true,
    ...(seed === undefined ? {} : { seed: Number(seed) }),
    ...extra,
  };
}

/**
 * Parameters that run exactly the given cases, each once, in order (fixed
 * cases reported like any counterexample).
 *
 * @example
 * ```ts
 * fc.assert(fc.property(fc.constantFrom(...cases), check), exhaustive(cases));
 * ```
 */
export function exhaustive<T>(cases: readonly T[]): fc.Parameters<[T]> {
  return { ...params<[T]>(), examples: cases.map((c): [T] => [c]), numRuns: cases.length };
}
