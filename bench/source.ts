/**
 * The source compiler against the plain-JS primal, in one process run:
 * compiled reverse gradient / primal, compiled forward (one direction) /
 * primal, today's Var-tape gradient / primal on the same program written
 * with ops (where it runs in reasonable time), the bytes the reverse sweep
 * saves per executed op, and compile times. Writes bench/results/source.md.
 *
 *   node scripts/run-bundled.mjs bench/source.ts [--quick] [--only=<name prefix>]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compile, grad, type Lifted } from "../lib/index.ts";
import { machineInfo, describeMachine, finishMachine } from "./lib/machine.ts";
import { alternate } from "./lib/timing.ts";
import { llsq, llsqOps, energy, branchy, chain, opCounts, springFlat, springPoints } from "./source/programs.ts";

const quick = process.argv.includes("--quick");
const MIN_MS = quick ? 40 : 400;

const cpuNow = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

/**
 * fn's CPU time over the baseline's, timed in alternating batches (see
 * `alternate` in bench/lib/timing.ts). CPU time, not wall time: this
 * machine is shared (load averages of 10-20 on 2 cores were seen), and
 * wall-clock ratios moved by 2-4x between runs.
 */
function compare(fn: () => unknown, baseline: () => unknown): { ratio: number; baseMs: number } {
  const a = alternate(fn, baseline, { clock: cpuNow, minMs: 2 * MIN_MS, maxMs: 20 * MIN_MS, batchMs: 2, separateMs: Infinity });
  return { ratio: a.ratio, baseMs: a.baseMs };
}

interface Case {
  name: string;
  f: (x: Float64Array, k: number) => number;
  x: Float64Array;
  k: number;
  ops: number;
  /** The same program with ops, for the Var tape (null: too slow to time here). */
  lifted: ((x: Lifted[], k: number) => Lifted | number) | null;
}

const wave = (n: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(0.37 * i + 0.1));
const cases: Case[] = [
  { name: "llsq m=64, n=4096", f: llsq, x: wave(64).map((v) => v * 0.1), k: 4096, ops: opCounts.llsq(64, 4096), lifted: llsqOps },
  { name: "llsq m=128, n=16392", f: llsq, x: wave(128).map((v) => v * 0.1), k: 16392, ops: opCounts.llsq(128, 16392), lifted: quick ? null : llsqOps },
  { name: "energy n=10^4", f: energy, x: wave(10_000), k: 10_000, ops: opCounts.energy(10_000), lifted: null },
  { name: "energy n=10^6", f: energy, x: wave(1_000_000), k: 1_000_000, ops: opCounts.energy(1_000_000), lifted: null },
  { name: "branchy n=10^5", f: branchy, x: wave(100_000), k: 100_000, ops: opCounts.branchy(100_000), lifted: null },
  { name: "chain n=100, steps=1000", f: chain, x: wave(100).map((v) => 0.5 + 0.5 * v), k: 1000, ops: opCounts.chain(100, 1000), lifted: null },
];

interface Row { name: string; rev: number; fwd: number; varTape: number | null; primalMs: number; bytesPerOp: number }

/** A fresh copy of f (own feedback and optimisation state), so no case inherits another's JIT history. */
const fresh = <F>(f: F): F => (0, eval)(`(${String(f)})`) as F;

/**
 * Many calls on a small input before timing, for the primal and the compiled
 * functions alike. A first call that runs a long loop is optimised on-stack
 * before the code after the loop has any type feedback, and V8 (Node 20) may
 * then stay in a slow deoptimise/re-enter cycle for that function; warming on
 * a small input gives every line feedback first. Timings without this vary
 * by 4-20x between runs for the primal as much as for generated code.
 */
function warm(c: Case, f: Case["f"], C: ReturnType<typeof compile>): void {
  const k = Math.min(c.k, 8);
  const x = c.x.length > 8 && c.k === c.x.length ? c.x.subarray(0, 8) : c.x;
  const dx = new Float64Array(x.length);
  for (let i = 0; i < 200; i++) {
    f(x, k);
    C.grad(x, k);
    C.jvp([x, k], [dx]);
  }
}

function run(c: Case): Row {
  const f = fresh(c.f);
  const C = compile(f, { wrt: [0] });
  const dx = wave(c.x.length);
  warm(c, f, C);
  const primal = () => f(c.x, c.k);
  const rev = compare(() => C.grad(c.x, c.k), primal);
  const fwd = compare(() => C.jvp([c.x, c.k], [dx]), primal);
  C.grad(c.x, c.k);
  const bytesPerOp = C.savedBytes / c.ops;
  let varTape: number | null = null;
  if (c.lifted !== null) {
    const lifted = c.lifted;
    const g = grad((v: Lifted[]) => lifted(v, c.k) as Lifted);
    const xs = Array.from(c.x);
    varTape = compare(() => g(xs), primal).ratio;
  }
  return { name: c.name, rev: rev.ratio, fwd: fwd.ratio, varTape, primalMs: rev.baseMs, bytesPerOp };
}

/**
 * A 100-line function: 24 loops of three lines each around a
 * transcendental, an index expression and a running sum (made as text, the
 * way a long user function reaches `compile`: through its source).
 */
function hundredLines(): (x: Float64Array, n: number) => number {
  const body = ["let s = 0;"];
  for (let k = 0; k < 24; k++) {
    body.push("for (let i = 0; i < n; i++) {", `  const t = x[i] * ${k + 1} + s * 0.5;`, `  s = s + Math.sin(t) * x[(i + ${k}) % n];`, "}");
  }
  body.push("return s;");
  return new Function("x", "n", body.join("\n")) as (x: Float64Array, n: number) => number;
}

/** Compile times (ms): the first compile in the process (it warms the parser) and the mean of later ones. */
function compileTimes(f: (x: Float64Array, n: number) => number): { cold: number; warm: number } {
  let t0 = performance.now();
  compile(f, { wrt: [0] });
  const cold = performance.now() - t0;
  t0 = performance.now();
  const reps = quick ? 5 : 50;
  for (let i = 0; i < reps; i++) compile(f, { wrt: [0] });
  return { cold, warm: (performance.now() - t0) / reps };
}

/**
 * One program two ways: the points in two Float64Arrays, and as an array of
 * `{ x, y }` objects, whose fields a call gathers into Float64Arrays and
 * whose gradient comes back as new objects. Each ratio is over its own
 * plain-JS primal.
 */
function objectsCost(n: number): { n: number; flat: { rev: number; fwd: number; primalMs: number }; points: { rev: number; fwd: number; primalMs: number } } {
  const xs = Float64Array.from({ length: n }, (_, i) => 1.1 * i + Math.sin(i));
  const ys = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
  const pts = Array.from(xs, (x, i) => ({ x, y: ys[i]! }));
  const flat = fresh(springFlat);
  const points = fresh(springPoints);
  const F = compile(flat, { wrt: [0, 1] });
  const P = compile(points, { wrt: [0] });
  const small = pts.slice(0, 8);
  for (let i = 0; i < 200; i++) {
    flat(xs.subarray(0, 8), ys.subarray(0, 8)); F.grad(xs.subarray(0, 8), ys.subarray(0, 8));
    points(small); P.grad(small); P.jvp([small], [small]);
  }
  const f1 = () => flat(xs, ys);
  const p1 = () => points(pts);
  const fr = compare(() => F.grad(xs, ys), f1);
  const pr = compare(() => P.grad(pts), p1);
  return {
    n,
    flat: { rev: fr.ratio, fwd: compare(() => F.jvp([xs, ys], [xs, ys]), f1).ratio, primalMs: fr.baseMs },
    points: { rev: pr.ratio, fwd: compare(() => P.jvp([pts], [pts]), p1).ratio, primalMs: pr.baseMs },
  };
}

const machine = machineInfo();
const times = compileTimes(chain);
const long = compileTimes(hundredLines());
const longLines = String(hundredLines()).split("\n").length;
const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7);
const rows = cases.filter((c) => only === undefined || c.name.startsWith(only)).map((c) => {
  const r = run(c);
  console.log(`${r.name}: reverse ${r.rev.toFixed(2)}x, forward ${r.fwd.toFixed(2)}x, Var tape ${r.varTape === null ? "-" : `${r.varTape.toFixed(1)}x`}, ${r.bytesPerOp.toFixed(1)} B/op`);
  return r;
});
const objectRows = only === undefined ? [10_000, 1_000_000].map((n) => {
  const r = objectsCost(n);
  console.log(`springs n=${n}: flat reverse ${r.flat.rev.toFixed(2)}x forward ${r.flat.fwd.toFixed(2)}x; points reverse ${r.points.rev.toFixed(2)}x forward ${r.points.fwd.toFixed(2)}x`);
  return r;
}) : [];
finishMachine(machine);

const fmt = (x: number) => `${x.toFixed(2)}x`;
const lines = [
  "# Source compiler: compiled derivatives / plain-JS primal",
  "",
  `Measured by \`node scripts/run-bundled.mjs bench/source.ts\` on ${describeMachine(machine)}.`,
  "Each ratio is the median, over rounds that time a batch of the primal and then a batch of the derivative, of their CPU-time (user + system) ratio, in one process;",
  "every function is a fresh copy, warmed on a small input first (see `warm` in bench/source.ts).",
  "Reverse = `compile(f).grad` (both sweeps, gradient allocated per call); forward = `compile(f).jvp` with one direction.",
  "Var tape = `grad` of the same program written with dualtape ops. Bytes/op = bytes the forward sweep saves on its stacks / arithmetic ops executed.",
  "",
  "| program | primal | compiled reverse / primal | compiled forward / primal | Var tape / primal | saved B/op |",
  "|---|---|---|---|---|---|",
  ...rows.map((r) => `| ${r.name} | ${r.primalMs < 1 ? `${(r.primalMs * 1000).toFixed(0)} µs` : `${r.primalMs.toFixed(2)} ms`} | ${fmt(r.rev)} | ${fmt(r.fwd)} | ${r.varTape === null ? "-" : `${r.varTape.toFixed(1)}x`} | ${r.bytesPerOp.toFixed(1)} |`),
  "",
  "**Arguments as objects.** The same spring chain with its points in two Float64Arrays (`springFlat`) and as an array of `{ x, y }` objects (`springPoints`);",
  "each ratio over its own plain-JS primal. A call with objects gathers their fields into Float64Arrays, and a gradient of them is new objects.",
  "",
  "| points | primal (arrays / objects) | reverse, arrays | reverse, objects | forward, arrays | forward, objects |",
  "|---|---|---|---|---|---|",
  ...objectRows.map((r) => `| ${r.n} | ${r.flat.primalMs.toFixed(3)} / ${r.points.primalMs.toFixed(3)} ms | ${fmt(r.flat.rev)} | ${fmt(r.points.rev)} | ${fmt(r.flat.fwd)} | ${fmt(r.points.fwd)} |`),
  "",
  `Compile time of \`chain\` (16 lines): first call in the process ${times.cold.toFixed(1)} ms (includes warming the parser), then ${times.warm.toFixed(2)} ms per compile;`,
  `of a ${longLines}-line function with 24 loops: ${long.cold.toFixed(1)} ms the first time, then ${long.warm.toFixed(2)} ms per compile.`,
  "",
];
const text = lines.join("\n");
console.log(`\n${text}`);
if (!quick && only === undefined) {
  const out = join(dirname(fileURLToPath(import.meta.url)), "results", "source.md");
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
}
