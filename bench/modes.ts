/**
 * `npm run bench`: how forward and reverse mode compare on scalar programs,
 * as multiples of the plain-JS primal measured in the same run; tape memory;
 * how well jacobian 'auto' chooses; the fitted cost-model constants and the
 * best jacfwd lane count; peak memory against the length of a computation.
 * Prints markdown and writes bench/results/modes.md, modes.json and the SVG
 * plots modes-jacobian-n.svg, modes-jacobian-m.svg and modes-memory.svg.
 * `npm run bench -- --quick` runs a small smoke version and writes nothing.
 * Progress goes to stderr when it is a terminal.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Tape, measuredCosts, DEFAULT_CHUNK, estimateCosts, type CostModel } from "../lib/index.ts";
import { machineInfo, describeMachine, finishMachine, type Machine } from "./lib/machine.ts";
import { measureTapeMemory, type TapeMemory } from "./lib/memory.ts";
import { chunkSweep, headline, families, type ModeTimes, type ChunkTime, type Headline, type Families } from "./lib/sections.ts";
import { fitCostModel, rmsRelative, type ForwardObs, type ReverseObs } from "./lib/fit.ts";
import { verdicts, headlineTable, memoryTable, chainTable, familyTable, gridTable, chunkTable, costTable, markdown, type AutoVerdict } from "./lib/report.ts";
import { chainMemory, runProbe, type ChainMemory } from "./lib/chain-memory.ts";
import { jacobianPlot, memoryPlot } from "./lib/plots.ts";
import { svgPlot } from "./lib/svg-plot.ts";
import { progress, progressLine } from "./lib/progress.ts";

const quick = process.argv.includes("--quick");
const SIZES = quick ? [1, 10, 100] : [1, 10, 100, 1000, 10_000];
const GRID = quick ? [1, 10] : [1, 10, 100, 1000];
const HEADLINE = quick ? [10, 100] : [10, 1000, 10_000];
const CHUNKS = [1, 2, 4, 8, 16, 32, 64];
const MODEL_MAX_CHUNK = 8;
const CHUNK_N = quick ? 64 : 256;
const MEMORY_PAIRS = quick ? 2 ** 16 - 1 : 2 ** 20 - 1;
/** Chain lengths for peak memory: 2^k - 1 ops plus the input leaf fill a doubling tape exactly. */
const CHAINS = (quick ? [10, 12] : [14, 15, 16, 17, 18, 19, 20]).map((k) => 2 ** k - 1);
const TIMING = quick ? { minMs: 40, warmupMs: 10 } : {};
/** A single call predicted to take longer than this is not run (see sections.ts). */
const BUDGET_MS = quick ? 500 : 6000;

function forwardObs(rows: ModeTimes[], sweep: ChunkTime[]): ForwardObs[] {
  const fromRows = rows.filter((r) => !r.modes.jacfwd!.estimated)
    .map((r) => ({ passes: Math.ceil(r.n / r.chunk), lanes: Math.min(r.n, r.chunk), ratio: r.modes.jacfwd!.ratio }));
  const fromSweep = sweep.map((c) => ({ passes: c.passes, lanes: Math.min(CHUNK_N, c.chunk), ratio: c.ratio }));
  return [...fromRows, ...fromSweep];
}

function reverseObs(rows: ModeTimes[]): ReverseObs[] {
  return rows.filter((r) => !r.modes.jacrev!.estimated).map((r) => ({ m: r.m, ratio: r.modes.jacrev!.ratio }));
}

function fitErrors(model: CostModel, fwd: ForwardObs[], rev: ReverseObs[]): [number, number] {
  const fp = fwd.map((o) => o.passes * (model.forwardPass + model.forwardPerLane * o.lanes));
  const rp = rev.map((o) => estimateCosts(1, o.m, model).reverse);
  return [rmsRelative(fp, fwd.map((o) => o.ratio)), rmsRelative(rp, rev.map((o) => o.ratio))];
}

function worst(v: AutoVerdict[], key: "choice" | "measured" | "fitted"): AutoVerdict {
  return v.reduce((a, b) => (b[key] > a[key] ? b : a));
}

function medianOf(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function summary(v: AutoVerdict[]): string {
  const wc = worst(v, "choice");
  const wm = worst(v, "measured");
  const wf = worst(v, "fitted");
  const misses = (key: "autoMode" | "fittedMode") => v.filter((x) => x[key] !== x.best).length;
  return [
    "### jacobian 'auto' against the better mode (all problems above)",
    "",
    `- constants in costmodel.ts: the picked mode takes at worst ${wc.choice.toFixed(2)}x the better mode's time (${wc.label}); it picks the slower mode on ${misses("autoMode")} of ${v.length} problems. Target <= 1.25, goal <= 1.10.`,
    `- 'auto' timed on its own: median ${medianOf(v.map((x) => x.measured)).toFixed(2)}x the better mode, worst ${wm.measured.toFixed(2)}x (${wm.label}); separate timings of the same computation differ by this much on this machine.`,
    `- constants fitted in this run: worst ${wf.fitted.toFixed(2)}x (${wf.label}); slower mode picked on ${misses("fittedMode")} of ${v.length} problems.`,
    "",
  ].join("\n");
}

/** Everything one run measures. */
interface Measured {
  machine: Machine;
  memory: TapeMemory;
  sweep: ChunkTime[];
  chunk: number;
  heads: Headline[];
  fam: Families;
  chains: ChainMemory[];
}

function measureAll(): Measured {
  const machine = machineInfo();
  progressLine(`dualtape mode benchmark${quick ? " (quick)" : ""} on ${describeMachine(machine)}`);
  const steps = 1 + CHUNKS.length + HEADLINE.length + 2 * SIZES.length + GRID.length ** 2 + CHAINS.length;
  const bar = progress(steps);
  bar.step("tape memory per op");
  const memory = measureTapeMemory(MEMORY_PAIRS);
  const sweep = chunkSweep(CHUNK_N, CHUNKS, TIMING, bar.step);
  // The model's lane count: the fastest of the sweep among chunks of at most 8 lanes. Up to 8
  // lanes (64 bytes) a lane array is allocated on V8's heap; wider ones go off-heap, where each
  // allocation costs ~10x more, so the cost per lane stops being the linear term the model assumes.
  const chunk = sweep.filter((c) => c.chunk <= MODEL_MAX_CHUNK).reduce((a, b) => (b.ms < a.ms ? b : a)).chunk;
  const heads = HEADLINE.map((n) => { bar.step(`grad and jvp, n = ${n}`); return headline(n, TIMING); });
  const fam = families(SIZES, SIZES, GRID, chunk, { timing: TIMING, budgetMs: BUDGET_MS, onStep: bar.step });
  const chains = chainMemory(process.argv[1]!, CHAINS, bar.step);
  bar.done();
  finishMachine(machine);
  return { machine, memory, sweep, chunk, heads, fam, chains };
}

/** The cost-model fit and the verdicts on 'auto'. */
interface Analysis {
  fitted: CostModel;
  fwdErr: number;
  revErr: number;
  verdicts: AutoVerdict[];
}

function analyse(r: Measured): Analysis {
  const all = [...r.fam.f, ...r.fam.g, ...r.fam.grid];
  const fwd = forwardObs(all, r.sweep);
  const rev = reverseObs(all);
  const fitted = fitCostModel(fwd, rev, r.chunk);
  const [fwdErr, revErr] = fitErrors(fitted, fwd, rev);
  return { fitted, fwdErr, revErr, verdicts: verdicts(all, fitted) };
}

function render(r: Measured, a: Analysis): string {
  const { fam } = r;
  return [
    `## dualtape modes benchmark\n\nMachine: ${describeMachine(r.machine)}.\nAll figures are ratios to one plain-JS evaluation of the same program, timed just before and after it in the same run (medians of repeated timings after warm-up). Programs: bench/lib/problems.ts.\n`,
    markdown(headlineTable(r.heads)),
    markdown(memoryTable(r.memory, Tape.bytesPerEntry)),
    markdown(chainTable(r.chains)),
    markdown(familyTable("f: R^n -> R (coupled sum)", fam.f, "n")),
    markdown(familyTable("g: R -> R^m (scalar recurrence)", fam.g, "m")),
    markdown(gridTable(fam.grid, a.verdicts.slice(fam.f.length + fam.g.length))),
    summary(a.verdicts),
    markdown(chunkTable(r.sweep, CHUNK_N)),
    `Lane count for the model (fastest with at most ${MODEL_MAX_CHUNK} lanes): ${r.chunk} (DEFAULT_CHUNK in lib/forward/jacfwd.ts is ${DEFAULT_CHUNK}).\n`,
    markdown(costTable(a.fitted, measuredCosts, a.fwdErr, a.revErr)),
    "```ts\nexport const measuredCosts: CostModel = " + JSON.stringify(a.fitted, null, 2).replace(/"(\w+)":/g, "$1:") + ";\n```\n",
  ].join("\n");
}

function save(r: Measured, a: Analysis, md: string): void {
  const dir = join(dirname(fileURLToPath(import.meta.url)), "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "modes.md"), md);
  const json = {
    machine: r.machine, memory: { ...r.memory, declaredBytesPerEntry: Tape.bytesPerEntry }, headline: r.heads,
    chunkSweep: r.sweep, bestChunk: r.chunk, ...r.fam, budgetMs: BUDGET_MS,
    fitted: a.fitted, fitError: { forward: a.fwdErr, reverse: a.revErr }, currentCosts: measuredCosts, auto: a.verdicts,
    chainMemory: r.chains,
  };
  writeFileSync(join(dir, "modes.json"), JSON.stringify(json, null, 2) + "\n");
  writeFileSync(join(dir, "modes-jacobian-n.svg"), svgPlot(jacobianPlot(r.fam.f, "n", "f: R^n -> R")));
  writeFileSync(join(dir, "modes-jacobian-m.svg"), svgPlot(jacobianPlot(r.fam.g, "m", "g: R -> R^m")));
  writeFileSync(join(dir, "modes-memory.svg"), svgPlot(memoryPlot(r.chains)));
  console.error(`wrote ${join(dir, "modes.md")}, modes.json and the plots modes-jacobian-n.svg, modes-jacobian-m.svg, modes-memory.svg`);
}

function main(): void {
  const measured = measureAll();
  const analysis = analyse(measured);
  const report = render(measured, analysis);
  console.log(report);
  if (!quick) save(measured, analysis, report);
}

// The chain-memory probes run this same script in fresh processes (see lib/chain-memory.ts).
if (!runProbe(process.argv)) main();
