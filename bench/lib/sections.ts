/**
 * The measurements of bench/modes.ts, one function per table. Every time is
 * a ratio to the plain-JS primal of the same program, sampled alongside it
 * (see `compare`), so the ratios survive load and machine changes better
 * than raw times.
 */
import { jacfwd, jacrev, jacobian, grad, jvp, explainJacobian, type Output } from "../../lib/index.ts";
import { LANES } from "../../lib/source/lanes.ts";
import { measure, compare, type TimingOptions } from "./timing.ts";
import { sumProblem, recurrenceProblem, gridProblem, point, type Problem } from "./problems.ts";

/** The ways a Jacobian is computed in the tables. */
/** `compiled`: `compile(f).jacobian(args)` (its own 'auto' between chunked forward and reverse). */
export type ModeName = "jacfwd" | "jacrev" | "grad" | "auto" | "compiled";

/** One mode on one problem: ms per call and the ratio to the primal. */
export interface Cell {
  ms: number;
  ratio: number;
  /** True when the call was not run: `ms` is an extrapolation from the previous size above the time budget. */
  estimated?: boolean;
}

/** Every mode on one problem; a mode that does not apply (grad of a vector function) is absent. */
export interface ModeTimes {
  label: string;
  n: number;
  m: number;
  /** Median ms of one plain-JS evaluation. */
  primal: number;
  /** Lanes per pass used for jacfwd. */
  chunk: number;
  /** The mode jacobian 'auto' picked. */
  autoMode: "forward" | "reverse";
  /** The mode the compiled function's jacobian picked. */
  compiledMode: "forward" | "reverse";
  modes: Partial<Record<ModeName, Cell>>;
}

/** Sizes, timing and the time budget for a single call (ms). */
export interface SectionOptions {
  timing?: TimingOptions;
  budgetMs: number;
  /** Called before each problem is timed (progress reporting). */
  onStep?: (label: string) => void;
}

type Fn = (x: never) => Output;
type Call = (x: unknown) => unknown;

/** Rough operation counts of each mode on a program of about n + m ops: only their growth is used. */
function work(mode: ModeName, n: number, m: number, chunk: number): number {
  if (mode === "jacfwd") return Math.ceil(n / chunk) * (n + m);
  if (mode === "jacrev") return (n + m) * (1 + m);
  if (mode === "compiled") return Math.min(Math.ceil(n / LANES), m) * (n + m);
  return n + m;
}

function estimate(prev: ModeTimes | undefined, mode: ModeName, p: Problem, chunk: number): number {
  const c = prev?.modes[mode];
  if (prev === undefined || c === undefined || mode === "auto") return 0;
  return (c.ms * work(mode, p.n, p.m, chunk)) / work(mode, prev.n, prev.m, chunk);
}

/**
 * Times jacfwd (with `chunk` lanes), jacrev, grad (scalar output only), jacobian 'auto' and
 * the compiled function's jacobian on p.
 * A mode whose time, extrapolated from `prev` (the previous size of the same family) by its
 * operation count, exceeds the budget is not run; 'auto' is then not run either if it picked it.
 *
 * @example
 * ```ts
 * timeModes(sumProblem(100), 32, { budgetMs: 5000 });
 * ```
 */
export function timeModes(p: Problem, chunk: number, o: SectionOptions, prev?: ModeTimes): ModeTimes {
  o.onStep?.(`timing ${p.label}`);
  const f = p.ad as Fn;
  const calls: Partial<Record<ModeName, Call>> = { jacfwd: jacfwd(f, { chunk }) as Call, jacrev: jacrev(f) as Call };
  if (typeof p.plain() === "number") calls.grad = grad(f as never) as Call;
  calls.auto = jacobian(f) as Call;
  const { fn: C, args } = p.compiled;
  calls.compiled = () => C.jacobian(args);
  const autoMode = explainJacobian(f, p.input as never).mode;
  const compiledMode = C.explain(args).mode;
  const primal = measure(p.plain, o.timing).ms;
  const modes: Partial<Record<ModeName, Cell>> = {};
  for (const [name, call] of Object.entries(calls) as [ModeName, Call][]) {
    const picked = name === "auto" ? modes[autoMode === "forward" ? "jacfwd" : "jacrev"]! : null;
    const est = estimate(prev, name, p, chunk);
    if (picked?.estimated) modes[name] = { ...picked };
    else if (est > o.budgetMs) modes[name] = { ms: est, ratio: est / primal, estimated: true };
    else {
      const c = compare(() => call(p.input), p.plain, o.timing);
      modes[name] = { ms: c.ms, ratio: c.ratio };
    }
  }
  return { label: p.label, n: p.n, m: p.m, primal, chunk, autoMode, compiledMode, modes };
}

/** jacfwd time for one lane count. */
export interface ChunkTime {
  chunk: number;
  passes: number;
  ms: number;
  ratio: number;
}

/**
 * Times jacfwd on f: R^n -> R for each lane count.
 *
 * @example
 * ```ts
 * chunkSweep(256, [1, 8, 32]);
 * ```
 */
export function chunkSweep(n: number, chunks: number[], timing: TimingOptions = {}, onStep: (label: string) => void = () => {}): ChunkTime[] {
  const p = sumProblem(n);
  return chunks.map((chunk) => {
    onStep(`jacfwd with ${chunk} lanes, n = ${n}`);
    const fwd = jacfwd(p.ad as Fn, { chunk }) as Call;
    const c = compare(() => fwd(p.input), p.plain, timing);
    return { chunk, passes: Math.ceil(n / chunk), ms: c.ms, ratio: c.ratio };
  });
}

/** Reverse gradient and one forward direction against the primal. */
export interface Headline {
  n: number;
  /** ms of one plain-JS evaluation. */
  primal: number;
  /** grad time / primal time. */
  grad: number;
  /** jvp time / primal time. */
  jvp: number;
  /** compile(f).grad time / primal time. */
  compiledGrad: number;
  /** compile(f).jvp (one direction) time / primal time. */
  compiledJvp: number;
}

/**
 * grad(f) and jvp(f, x, ones) on f: R^n -> R, as ratios to the primal.
 *
 * @example
 * ```ts
 * headline(1000).grad;
 * ```
 */
export function headline(n: number, timing: TimingOptions = {}): Headline {
  const p = sumProblem(n);
  const x = point(n);
  const v = x.map(() => 1);
  const g = grad(p.ad as never) as Call;
  const f = p.ad as never;
  const { fn: C, args } = p.compiled;
  const dx = new Float64Array(n).fill(1);
  return {
    n,
    primal: measure(p.plain, timing).ms,
    grad: compare(() => g(x), p.plain, timing).ratio,
    jvp: compare(() => jvp(f, x as never, v as never), p.plain, timing).ratio,
    compiledGrad: compare(() => C.grad(...args), p.plain, timing).ratio,
    compiledJvp: compare(() => C.jvp(args, [dx]), p.plain, timing).ratio,
  };
}

function series(problems: Problem[], chunk: number, o: SectionOptions): ModeTimes[] {
  const out: ModeTimes[] = [];
  for (const p of problems) out.push(timeModes(p, chunk, o, out[out.length - 1]));
  return out;
}

/** The three families of problems, timed. */
export interface Families {
  f: ModeTimes[];
  g: ModeTimes[];
  grid: ModeTimes[];
}

/**
 * Every mode on f for each n, on g for each m, and on F over the n x m grid.
 *
 * @example
 * ```ts
 * families([1, 10], [1, 10], [1, 10], 8, { budgetMs: 5000 });
 * ```
 */
export function families(ns: number[], ms: number[], grid: number[], chunk: number, o: SectionOptions): Families {
  const f = series(ns.map(sumProblem), chunk, o);
  const g = series(ms.map(recurrenceProblem), chunk, o);
  const cells = grid.flatMap((n) => series(grid.map((m) => gridProblem(n, m)), chunk, o));
  return { f, g, grid: cells };
}
