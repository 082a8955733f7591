/**
 * What a GradBench function is to the tool, and the repeat-and-time loop of
 * the protocol: run until both `min_runs` and `min_seconds` are met, one
 * `evaluate` timing per run. One-time per-shape work (parsing and checking
 * the JSON input into arrays) happens in `prepare`, reported once as a
 * timing named "prepare"; everything that depends on the input's values
 * runs inside the timed `run`.
 */
import { asObject } from "./input.ts";

/** One protocol timing. */
export interface Timing {
  name: string;
  nanoseconds: number;
}

/** A function of an eval module: `prepare` parses the input once, `run` is timed. */
export interface EvalFunction<S = unknown> {
  prepare: (input: unknown) => S;
  run: (state: S) => unknown;
}

/** An eval module: function name to function. */
export type Module = Readonly<Record<string, EvalFunction>>;

/**
 * Pairs a parser with a timed body (keeps the state type between them).
 *
 * @example
 * ```ts
 * const square = evalFunction((x) => asNumber(x, "input"), (x) => x * x);
 * ```
 */
export function evalFunction<S>(prepare: (input: unknown) => S, run: (state: S) => unknown): EvalFunction {
  return { prepare, run } as EvalFunction;
}

/**
 * The repetition request of an input (absent for hello's bare numbers: one run).
 *
 * @example
 * ```ts
 * runsOf({ min_runs: 3, min_seconds: 0.5 }); // { minRuns: 3, minSeconds: 0.5 }
 * ```
 */
export function runsOf(input: unknown): { minRuns: number; minSeconds: number } {
  if (input === null || typeof input !== "object" || Array.isArray(input)) return { minRuns: 1, minSeconds: 0 };
  const o = asObject(input, "input");
  const minRuns = typeof o.min_runs === "number" && o.min_runs >= 1 ? Math.floor(o.min_runs) : 1;
  const minSeconds = typeof o.min_seconds === "number" && o.min_seconds > 0 ? o.min_seconds : 0;
  return { minRuns, minSeconds };
}

/**
 * Prepares once, then runs until both limits are met; returns the last
 * output with a "prepare" timing and one "evaluate" timing per run.
 *
 * @example
 * ```ts
 * execute(square, { min_runs: 3, min_seconds: 0 }).timings.length; // 4
 * ```
 */
export function execute(fn: EvalFunction, input: unknown): { output: unknown; timings: Timing[] } {
  const { minRuns, minSeconds } = runsOf(input);
  const p0 = process.hrtime.bigint();
  const state = fn.prepare(input);
  const timings: Timing[] = [{ name: "prepare", nanoseconds: Number(process.hrtime.bigint() - p0) }];
  const budget = BigInt(Math.ceil(minSeconds * 1e9));
  let total = 0n;
  let output: unknown;
  for (let runs = 0; runs < minRuns || total < budget; runs++) {
    const t0 = process.hrtime.bigint();
    output = fn.run(state);
    const dt = process.hrtime.bigint() - t0;
    total += dt;
    timings.push({ name: "evaluate", nanoseconds: Number(dt) });
  }
  return { output, timings };
}
