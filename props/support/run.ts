/**
 * fast-check settings shared by every property: at least 200 runs, and a
 * failing run can be replayed exactly from the seed and path fast-check
 * prints (PROPS_SEED=... PROPS_PATH=... node --import tsx node_modules/uvu/bin.js props).
 */
import fc from "fast-check";

/** Runs per property; PROPS_RUNS raises it for a longer soak (never below 200). */
export const RUNS = Math.max(200, Number(process.env.PROPS_RUNS ?? 200) || 200);

/**
 * Parameters for `fc.assert`: the run count, error text in reports, the
 * replay seed/path when given (PROPS_PATH only makes sense together with a
 * filter that runs the one failing property), and any fixed `examples`.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(fc.nat(), (n) => n >= 0), params());
 * ```
 */
export function params<T>(extra: fc.Parameters<T> = {}): fc.Parameters<T> {
  const seed = process.env.PROPS_SEED;
  const path = process.env.PROPS_PATH;
  return {
    // fast-check counts fixed examples as runs: add them so RUNS random cases remain.
    numRuns: RUNS + (extra.examples?.length ?? 0),
    includeErrorInReport: true,
    ...(seed === undefined ? {} : { seed: Number(seed) }),
    ...(path === undefined ? {} : { path }),
    ...extra,
  };
}
