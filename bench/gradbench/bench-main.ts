/**
 * The GradBench benchmark: every eval at the evals' default sizes (within
 * a time budget per eval), timing the dualtape primal (the module's own
 * code on plain numbers/Tensors), each derivative function, the plain-JS
 * primal, and for llsq and lse TensorFlow.js on the same inputs.
 */
import { modules } from "./modules/index.ts";
import type { EvalFunction } from "./runs.ts";
import { measure, measurePair } from "./measure.ts";
import { evalSpecs, type EvalSpec, type BenchCase } from "./specs.ts";
import { initTfjs, tfLlsq, tfLse } from "./tfjs.ts";
import { writeReport, type Row, type Skip } from "./report.ts";
import { progressLine } from "../lib/progress.ts";

/** Options of one benchmark run. */
export interface BenchOptions {
  casesDir: string;
  outBase: string;
  only: string[] | null;
  /** Multiplies every eval's time budget. */
  budgetScale: number;
  bundled: boolean;
}

function flatten(v: unknown, out: number[] = []): number[] {
  if (typeof v === "number") out.push(v);
  else if (ArrayBuffer.isView(v)) for (const e of v as Float64Array) out.push(e);
  else if (Array.isArray(v)) v.forEach((e) => flatten(e, out));
  else if (v !== null && typeof v === "object") Object.values(v).forEach((e) => flatten(e, out));
  return out;
}

/** Largest mixed relative difference |a - b| / max(1, |a| + |b|), or null when the shapes differ. */
function difference(a: number[], b: number[]): number | null {
  if (a.length !== b.length || a.length === 0) return null;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(a[i]!) + Math.abs(b[i]!)));
  return worst;
}

function timeFunction(fn: EvalFunction, input: unknown): { ms: number; result: unknown } {
  const state = fn.prepare(input);
  return measure(() => fn.run(state));
}

function peerTimes(spec: EvalSpec, input: Record<string, unknown>, gradient: unknown): Row["tfjs"] {
  const x = input.x as number[];
  const peer = spec.peer === "llsq" ? tfLlsq(x, input.n as number) : tfLse(x);
  const p = measure(peer.primal);
  const g = measure(peer.gradient);
  return { primal_ms: p.ms, gradient_ms: g.ms, gradient_difference: difference(flatten(g.result), flatten(gradient)) };
}

function measureCase(spec: EvalSpec, c: BenchCase): Row {
  const mod = modules[spec.name]!;
  const row: Row = { eval: spec.name, size: c.label, primal_ms: null, plain_ms: null, plain_difference: null, derivatives: {}, plain_ratios: {}, tfjs: null };
  // Every route parses its own copy of the input, as each protocol message arrives as JSON:
  // shared arrays let one route change their hidden class for all (the llsq plain primal
  // measured 2x slower after TF.js had handled its x; V8 deoptimised it on a "wrong map").
  const input = () => JSON.parse(JSON.stringify(c.input)) as typeof c.input;
  // The plain-JS primal runs on the state the dualtape primal's prepare makes.
  const plainState = spec.plain !== null && spec.primal !== null ? (mod[spec.primal]!.prepare(input()) as never) : null;
  const plain = plainState === null ? null : () => spec.plain!(plainState);
  // Derivatives first: the primal is then timed with its code already shared with
  // traced values (as in a program that also differentiates it), at every size alike.
  // Each derivative is timed in alternation with the plain-JS primal (see measurePair).
  let firstDerivative: unknown = null;
  for (const name of spec.derivatives) {
    const fn = mod[name]!;
    const state = fn.prepare(input());
    const run = () => fn.run(state);
    if (plain === null) {
      const d = measure(run);
      row.derivatives[name] = d.ms;
      firstDerivative ??= d.result;
      continue;
    }
    const d = measurePair(plain, run);
    row.derivatives[name] = d.ms;
    row.plain_ratios[name] = d.ratio;
    row.plain_ms ??= d.baseMs;
    firstDerivative ??= d.result;
  }
  let primalOut: unknown = null;
  if (spec.primal !== null) {
    const p = timeFunction(mod[spec.primal]!, input());
    row.primal_ms = p.ms;
    primalOut = p.result;
  }
  if (plain !== null) {
    const plainOut = plain();
    row.plain_difference = difference(flatten(spec.name === "ba" ? baHead(plainOut) : plainOut), flatten(primalOut));
  }
  if (spec.peer !== undefined) {
    try {
      row.tfjs = peerTimes(spec, input() as Record<string, unknown>, firstDerivative);
    } catch (e) {
      process.stderr.write(`${spec.name} ${c.label}: TensorFlow.js failed: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
  return row;
}

/** The plain ba residuals in the module output's compressed form. */
function baHead(r: unknown): unknown {
  const { reproj, werr } = r as { reproj: Float64Array; werr: Float64Array };
  return { reproj_error: { elements: [reproj[0], reproj[1]], repeated: werr.length }, w_err: { element: werr[0], repeated: werr.length } };
}

function describeRow(r: Row): string {
  const d = Object.entries(r.derivatives).map(([k, v]) => `${k} ${v.toFixed(3)} ms`).join(", ");
  const p = r.primal_ms === null ? "" : `primal ${r.primal_ms.toFixed(3)} ms, plain ${r.plain_ms?.toFixed(4)} ms, `;
  const t = r.tfjs ? `, tfjs gradient ${r.tfjs.gradient_ms.toFixed(3)} ms` : "";
  return `${r.eval} ${r.size}: ${p}${d}${t}`;
}

function runEval(spec: EvalSpec, budget: number, rows: Row[], skips: Skip[]): void {
  const started = process.hrtime.bigint();
  let last: { work: number; seconds: number } | null = null;
  for (const c of spec.cases()) {
    const spent = Number(process.hrtime.bigint() - started) / 1e9;
    const predicted = last === null ? 0 : last.seconds * (c.work / last.work);
    if (spent + predicted > budget) {
      skips.push({ eval: spec.name, size: c.label, reason: `time budget (${budget.toFixed(0)} s; predicted ${predicted.toFixed(1)} s more)` });
      continue;
    }
    const t0 = process.hrtime.bigint();
    try {
      const row = measureCase(spec, c);
      rows.push(row);
      progressLine(describeRow(row));
    } catch (e) {
      skips.push({ eval: spec.name, size: c.label, reason: `error: ${e instanceof Error ? e.message : String(e)}` });
    }
    last = { work: c.work, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
  }
}

/**
 * Runs the benchmark and writes `<outBase>.json` and `<outBase>.md`.
 *
 * @example
 * ```ts
 * await runBenchmark({ casesDir, outBase: "bench/results/gradbench", only: null, budgetScale: 1, bundled: true });
 * ```
 */
export async function runBenchmark(o: BenchOptions): Promise<void> {
  const peer = await initTfjs();
  const rows: Row[] = [];
  const skips: Skip[] = [];
  const t0 = process.hrtime.bigint();
  for (const spec of evalSpecs(o.casesDir)) {
    if (o.only !== null && !o.only.includes(spec.name)) continue;
    runEval(spec, spec.budgetSeconds * o.budgetScale, rows, skips);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  writeReport(o.outBase, { rows, skips, peer, seconds, bundled: o.bundled });
}
