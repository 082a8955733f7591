/**
 * The side-by-side tensor benchmark (`npm run bench:tensors`, never part of
 * npm test; the README's tensor table): for each workload, the gradient time of
 * dualtape (plain `grad`, and compiled: `jitValueAndGrad`), jax-js
 * (`jit(grad)`, WebAssembly, float64) and TF.js (CPU,
 * float32) as a ratio to a plain-JS primal over Float64Arrays, all in one
 * process. Rounds interleave the peers (round r times every workload on every
 * peer before round r + 1 starts), so a change of load on the shared machine
 * hits all of them; the table shows medians over rounds. Also the float64
 * relative error of each peer's gradient against a hand-written one. Writes
 * bench/results/tensors.md, .json and .svg (a grouped bar chart of the ratios).
 *
 * Options: `--rounds N` (default 5), `--only TEXT` (workloads whose name contains TEXT).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compare, type TimingOptions } from "./lib/timing.ts";
import { machineInfo, describeMachine, finishMachine } from "./lib/machine.ts";
import { markdown, ratio, duration } from "./lib/table.ts";
import { progress } from "./lib/progress.ts";
import { svgBars } from "./lib/svg-bars.ts";
import { ratioChart } from "./lib/tensor-chart.ts";
import { workloads, relativeError, type Workload } from "./lib/tensor-workloads.ts";
import type { Peer, PreparedGrad } from "./lib/peer.ts";
import { dualtapePeer } from "./lib/peer-dualtape.ts";
import { dualtapeJitPeer } from "./lib/peer-dualtape-jit.ts";
import { jaxjsPeer } from "./lib/peer-jaxjs.ts";
import { tfjsPeer } from "./lib/peer-tfjs.ts";

const TIMING: TimingOptions = { minMs: 150, maxMs: 1500, warmupMs: 100 };

/** Figures of one peer on one workload. */
interface Cell {
  ratios: number[];
  ms: number[];
  error: number | null;
}

interface Row {
  workload: string;
  primalMs: number;
  cells: Record<string, { ratio: number | null; ms: number | null; ratios: number[]; error: number | null }>;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = xs.slice().sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function prepareAll(peers: Peer[], work: Workload[]): (PreparedGrad | null)[][] {
  return work.map((w) => peers.map((p) => p.prepare(w.input)));
}

function errorsOf(work: Workload[], prepared: (PreparedGrad | null)[][]): (number | null)[][] {
  return work.map((w, i) => {
    const truth = w.hand();
    return prepared[i]!.map((p) => (p === null ? null : relativeError(p.flat(p.run()), truth)));
  });
}

async function main(): Promise<void> {
  const rounds = Number(argument("--rounds") ?? 5);
  const only = argument("--only");
  const machine = machineInfo();
  const peers = [dualtapePeer, dualtapeJitPeer, await jaxjsPeer(), await tfjsPeer()];
  const work = workloads().filter((w) => only === undefined || w.name.includes(only));
  const prepared = prepareAll(peers, work);
  const errors = errorsOf(work, prepared);
  const cells: Cell[][] = work.map((_, i) => peers.map((_, j) => ({ ratios: [], ms: [], error: errors[i]![j]! })));
  const primalMs: number[][] = work.map(() => []);
  const bar = progress(rounds * work.length * peers.length);
  for (let r = 0; r < rounds; r++) {
    work.forEach((w, i) => {
      peers.forEach((peer, j) => {
        bar.step(`round ${r + 1}/${rounds}: ${w.name}, ${peer.name}`);
        const p = prepared[i]![j];
        if (!p) return;
        const c = compare(p.run, w.primal, TIMING);
        cells[i]![j]!.ratios.push(c.ratio);
        cells[i]![j]!.ms.push(c.ms);
        primalMs[i]!.push(c.baseMs);
      });
    });
  }
  bar.done();
  finishMachine(machine);
  const rows: Row[] = work.map((w, i) => ({
    workload: w.name,
    primalMs: median(primalMs[i]!) ?? NaN,
    cells: Object.fromEntries(peers.map((p, j) => {
      const c = cells[i]![j]!;
      return [p.name, { ratio: median(c.ratios), ms: median(c.ms), ratios: c.ratios, error: c.error }];
    })),
  }));
  const sci = (e: number | null) => (e === null ? "—" : e === 0 ? "0" : e.toExponential(1));
  const table = markdown({
    title: "Gradient time / plain-JS primal (medians over rounds)",
    header: ["workload", "plain-JS primal", ...peers.map((p) => p.name)],
    rows: rows.map((r) => [r.workload, duration(r.primalMs), ...peers.map((p) => { const c = r.cells[p.name]!.ratio; return c === null ? "—" : `${ratio(c)}x`; })]),
    note: `${rounds} interleaved rounds; each cell is the median of its rounds' ratios (each ratio: median gradient time over the mean of the primal's medians just before and after). Peers: ${peers.map((p) => p.describe).join("; ")}. — : not available (TF.js has no Jacobian transform).`,
  });
  const errTable = markdown({
    title: "Relative error of the gradient against a hand-written float64 gradient (max |g - h| / max |h|)",
    header: ["workload", ...peers.map((p) => p.name)],
    rows: rows.map((r) => [r.workload, ...peers.map((p) => sci(r.cells[p.name]!.error))]),
    note: "TF.js computes in float32, so its error is float32 rounding.",
  });
  const md = `## Tensor gradients side by side: dualtape, jax-js, TF.js\n\nMachine: ${describeMachine(machine)}.\n\n${table}\n${errTable}`;
  console.log(md);
  const dir = join(dirname(fileURLToPath(import.meta.url)), "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "tensors.md"), md);
  writeFileSync(join(dir, "tensors.svg"), svgBars(ratioChart(rows, peers.map((p) => p.name), `Machine: ${describeMachine(machine)}`)));
  writeFileSync(join(dir, "tensors.json"), JSON.stringify({ machine, rounds, peers: peers.map((p) => ({ name: p.name, describe: p.describe })), rows }, null, 2));
  console.error(`wrote ${join(dir, "tensors.md")} and tensors.json`);
}

await main();
