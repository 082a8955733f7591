/**
 * Turns the measurements of bench/modes.ts into markdown tables.
 */
import { estimateCosts, type CostModel } from "../../lib/index.ts";
import { LANES } from "../../lib/source/lanes.ts";
import { markdown, ratio, duration, size, type Table } from "./table.ts";
import type { ModeTimes, ChunkTime, Headline, Cell } from "./sections.ts";
import type { TapeMemory } from "./memory.ts";
import type { ChainMemory } from "./chain-memory.ts";

/** How 'auto' fared on one problem. */
export interface AutoVerdict {
  label: string;
  n: number;
  m: number;
  best: "forward" | "reverse";
  /** The mode 'auto' picked with the constants in costmodel.ts. */
  autoMode: "forward" | "reverse";
  /** Time of the mode 'auto' picked (current constants) / the better mode's, both from the jacfwd and jacrev timings. */
  choice: number;
  /** jacobian 'auto' timed on its own / the better mode's time (includes timing noise between separate runs). */
  measured: number;
  /** The mode the freshly fitted constants would pick, and its time / the better mode's. */
  fittedMode: "forward" | "reverse";
  fitted: number;
}

/**
 * Compares 'auto' with the better mode, both for the current constants (measured) and the fitted ones.
 *
 * @example
 * ```ts
 * verdicts(results, fittedModel);
 * ```
 */
export function verdicts(rows: ModeTimes[], fitted: CostModel): AutoVerdict[] {
  return rows.map((r) => {
    const fwd = r.modes.jacfwd!.ratio;
    const rev = r.modes.jacrev!.ratio;
    const best = fwd <= rev ? "forward" : "reverse";
    const bestRatio = Math.min(fwd, rev);
    const c = estimateCosts(r.n, r.m, fitted);
    const fittedMode = c.forward <= c.reverse ? "forward" : "reverse";
    const chosen = fittedMode === "forward" ? fwd : rev;
    const picked = r.autoMode === "forward" ? fwd : rev;
    return { label: r.label, n: r.n, m: r.m, best, autoMode: r.autoMode, choice: picked / bestRatio, measured: r.modes.auto!.ratio / bestRatio, fittedMode, fitted: chosen / bestRatio };
  });
}

/** Marks cells that were extrapolated rather than run. */
export const ESTIMATED = "~N* = not run: N is extrapolated from the previous size because one call would exceed the time budget.";

function cell(c: Cell | undefined): string {
  if (c === undefined) return "—";
  return c.estimated ? `~${ratio(c.ratio)}*` : ratio(c.ratio);
}

const pick = (mode: string): string => (mode === "forward" ? "fwd" : "rev");

/**
 * The headline table: reverse gradient and one forward direction over the primal.
 *
 * @example
 * ```ts
 * headlineTable([headline(10)]);
 * ```
 */
export function headlineTable(rows: Headline[]): Table {
  return {
    title: "Gradient and one forward direction, as multiples of the plain-JS primal (f: R^n -> R)",
    header: ["n", "primal", "grad / primal", "jvp / primal", "compiled grad / primal", "compiled jvp / primal"],
    rows: rows.map((h) => [size(h.n), duration(h.primal), ratio(h.grad), ratio(h.jvp), ratio(h.compiledGrad), ratio(h.compiledJvp)]),
    note: "grad = reverse mode (record + one sweep); jvp = forward mode, one direction (all-ones tangent); compiled = the same program as plain TypeScript through `compile` (generated code, no tape).",
  };
}

/**
 * The tape memory table.
 *
 * @example
 * ```ts
 * memoryTable(measureTapeMemory(2 ** 20 - 1), 26);
 * ```
 */
export function memoryTable(m: TapeMemory, declared: number): Table {
  return {
    title: "Tape memory per recorded binary op",
    header: ["entries recorded", "measured bytes / op", "of which JS heap", "tape capacity bytes / op", "Tape.bytesPerEntry"],
    rows: [[String(m.entries), m.measuredBytesPerEntry.toFixed(1), m.heapBytesPerEntry.toFixed(2), m.capacityBytesPerEntry.toFixed(1), String(declared)]],
    note: "Measured as heap + array-buffer growth across recording s = s + x0*x1 (after forced GCs), divided by the entries recorded.",
  };
}

/**
 * Peak live memory against the length of a chain of scalar ops, both modes.
 *
 * @example
 * ```ts
 * chainTable(chainMemory(script, [1023, 4095]));
 * ```
 */
export function chainTable(rows: ChainMemory[]): Table {
  const kb = (b: number): string => (b / 1024).toFixed(1);
  return {
    title: "Peak live memory against the length of the computation (chain of scalar ops)",
    header: ["ops", "forward (jvp) KB", "reverse (grad) KB", "reverse bytes / op"],
    rows: rows.map((r) => [String(r.ops), kb(r.forward), kb(r.reverse), (r.reverse / r.ops).toFixed(1)]),
    note: "Growth of heap + array buffers over the start of the differentiated function, after forced GCs, at the end of the chain and (reverse) during the sweep; each length in a fresh process.",
  };
}

/**
 * Mode ratios for one family (f over n, or g over m).
 *
 * @example
 * ```ts
 * familyTable("f", results.f, "n");
 * ```
 */
export function familyTable(title: string, rows: ModeTimes[], by: "n" | "m"): Table {
  const withGrad = rows.some((r) => r.modes.grad !== undefined);
  const anyEstimate = rows.some((r) => Object.values(r.modes).some((c) => c.estimated));
  return {
    title,
    header: [by, "primal", "jacfwd", "jacrev", "auto", "auto picks", "compiled", "compiled picks", ...(withGrad ? ["grad"] : [])],
    rows: rows.map((r) => [
      size(r[by]), duration(r.primal), cell(r.modes.jacfwd), cell(r.modes.jacrev), cell(r.modes.auto), pick(r.autoMode),
      cell(r.modes.compiled), pick(r.compiledMode),
      ...(withGrad ? [cell(r.modes.grad)] : []),
    ]),
    note: `Full Jacobian (or gradient) time as a multiple of one plain-JS evaluation; jacfwd with ${rows[0]?.chunk ?? "?"} lanes per pass; compiled = \`compile(f).jacobian(args)\` with its own 'auto' (forward ${LANES} lanes per pass, or reverse).${anyEstimate ? ` ${ESTIMATED}` : ""}`,
  };
}

/**
 * The n x m grid: both modes, and how 'auto' compares with the better one.
 *
 * @example
 * ```ts
 * gridTable(results.grid, verdicts(results.grid, fitted));
 * ```
 */
export function gridTable(rows: ModeTimes[], v: AutoVerdict[]): Table {
  return {
    title: "F: R^n -> R^m, both modes and 'auto' against the better one",
    header: ["n", "m", "primal", "jacfwd", "jacrev", "auto", "auto picks", "pick / best", "auto / best", "fitted picks", "fitted / best", "compiled", "compiled picks"],
    rows: rows.map((r, i) => [
      size(r.n), size(r.m), duration(r.primal), cell(r.modes.jacfwd), cell(r.modes.jacrev), cell(r.modes.auto),
      pick(r.autoMode), ratio(v[i]!.choice), ratio(v[i]!.measured), pick(v[i]!.fittedMode), ratio(v[i]!.fitted),
      cell(r.modes.compiled), pick(r.compiledMode),
    ]),
    note: "jacfwd, jacrev, auto, compiled: multiples of the primal (compiled = `compile(f).jacobian`, its own 'auto'). pick / best: the time of the mode 'auto' picks (constants in costmodel.ts) over the faster mode's; auto / best: 'auto' timed on its own over the faster mode (adds the noise of a separate timing); fitted: the same for the constants fitted in this run.",
  };
}

/**
 * The chunk sweep.
 *
 * @example
 * ```ts
 * chunkTable(chunkSweep(1000, [1, 8]), 1000);
 * ```
 */
export function chunkTable(rows: ChunkTime[], n: number): Table {
  return {
    title: `jacfwd lanes per pass (f: R^n -> R, n = ${size(n)})`,
    header: ["chunk", "passes", "time", "jacfwd / primal"],
    rows: rows.map((c) => [String(c.chunk), String(c.passes), duration(c.ms), ratio(c.ratio)]),
  };
}

/**
 * Fitted constants beside the ones currently in lib/hybrid/costmodel.ts.
 *
 * @example
 * ```ts
 * costTable(fitted, measuredCosts, 0.2, 0.3);
 * ```
 */
export function costTable(fitted: CostModel, current: CostModel, fwdErr: number, revErr: number): Table {
  const keys: (keyof CostModel)[] = ["forwardPass", "forwardPerLane", "record", "sweep", "chunk"];
  return {
    title: "Cost model (units: one plain-JS evaluation)",
    header: ["constant", "fitted now", "in costmodel.ts"],
    rows: keys.map((k) => [k, String(fitted[k]), String(current[k])]),
    note: `Weighted least squares on relative error; RMS relative error of the fit: forward ${(100 * fwdErr).toFixed(0)}%, reverse ${(100 * revErr).toFixed(0)}%.`,
  };
}

export { markdown };
