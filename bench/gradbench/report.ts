/**
 * Writing the benchmark results: a JSON file with every measurement and a
 * Markdown file with one table per eval, both naming the machine.
 */
import { writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import os from "node:os";

/** One measured size of one eval. */
export interface Row {
  eval: string;
  size: string;
  primal_ms: number | null;
  plain_ms: number | null;
  /** Largest mixed relative difference between the plain-JS and dualtape primal outputs. */
  plain_difference: number | null;
  derivatives: Record<string, number>;
  /** Per derivative: the median over alternating rounds of its time over the plain-JS primal's (see measurePair). */
  plain_ratios: Record<string, number>;
  tfjs: { primal_ms: number; gradient_ms: number; gradient_difference: number | null } | null;
}

/** A size that was not measured, and why. */
export interface Skip {
  eval: string;
  size: string;
  reason: string;
}

/** Everything a report holds. */
export interface Results {
  rows: Row[];
  skips: Skip[];
  peer: string;
  seconds: number;
  bundled: boolean;
}

/**
 * The machine this runs on.
 *
 * @example
 * ```ts
 * machine().cpus; // 2
 * ```
 */
export function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? "unknown",
    cpus: cpus.length,
    memory_gb: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    load_average_1min: Number(os.loadavg()[0]!.toFixed(2)),
  };
}

const fmt = (v: number | null | undefined, digits = 3) => (v === null || v === undefined ? "–" : v < 0.01 ? v.toExponential(2) : v.toFixed(digits));
const ratio = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null || b === 0 ? "–" : `${(a / b).toFixed(1)}x`);

function table(rows: Row[]): string[] {
  const peer = rows.some((r) => r.tfjs !== null);
  const head = ["size", "primal ms", "plain-JS ms", "derivative", "derivative ms", "/ dualtape primal", "/ plain-JS primal"];
  if (peer) head.push("TF.js gradient ms", "dualtape gradient speed-up", "TF.js primal ms", "dualtape primal speed-up");
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  for (const r of rows) {
    for (const [name, ms] of Object.entries(r.derivatives)) {
      const paired = r.plain_ratios?.[name];
      const cells = [r.size, fmt(r.primal_ms, 4), fmt(r.plain_ms, 4), name, fmt(ms), ratio(ms, r.primal_ms), paired === undefined ? ratio(ms, r.plain_ms) : `${paired.toFixed(1)}x`];
      if (peer) cells.push(fmt(r.tfjs?.gradient_ms), ratio(r.tfjs?.gradient_ms, ms), fmt(r.tfjs?.primal_ms, 4), ratio(r.tfjs?.primal_ms, r.primal_ms));
      lines.push(`| ${cells.join(" | ")} |`);
    }
  }
  return lines;
}

function markdown(res: Results, m: Record<string, unknown>, date: string): string {
  const out = [
    "# dualtape on the GradBench evals",
    "",
    `Measured ${date} on ${m.cpu} (${m.cpus} cores, ${m.memory_gb} GB, ${m.platform}), node ${m.node}; load average ${m.load_average_1min} at the end (a shared machine: timings are noisy).`,
    `Code measured: ${res.bundled ? "the esbuild bundle of the tool's modules (what `node bench/gradbench/dist/tool.mjs` runs)" : "the TypeScript sources under tsx"}. Total run ${res.seconds.toFixed(0)} s. Peer: ${res.peer}.`,
    "",
    "Medians per call. *primal* = the module's own dualtape code on plain numbers/Tensors; *plain-JS* = bench/gradbench/plain/ (numbers only);",
    "ratios are derivative time over those; the one over plain-JS is the median of per-round ratios with the two timed in alternation. Inputs are made as each eval's generator describes (seeded, not NumPy's stream); ba and ht use the golden-case inputs",
    "(their data files are not available here), ht adds synthetic correspondences on the big model, lstm uses the golden c=1024 text and random text for c=4096.",
    "",
  ];
  for (const name of [...new Set(res.rows.map((r) => r.eval))]) {
    out.push(`## ${name}`, "", ...table(res.rows.filter((r) => r.eval === name)), "");
  }
  if (res.skips.length > 0) {
    out.push("## Not measured", "", "| eval | size | reason |", "|---|---|---|", ...res.skips.map((s) => `| ${s.eval} | ${s.size} | ${s.reason} |`), "");
  }
  return out.join("\n");
}

/**
 * Writes `<base>.json` and `<base>.md`.
 *
 * @example
 * ```ts
 * writeReport("bench/results/gradbench", results);
 * ```
 */
export function writeReport(base: string, res: Results): void {
  const m = machine();
  const date = new Date().toISOString();
  mkdirSync(dirname(base), { recursive: true });
  writeFileSync(`${base}.json`, JSON.stringify({ date, machine: m, ...res }, null, 1) + "\n");
  writeFileSync(`${base}.md`, markdown(res, m, date));
  process.stderr.write(`wrote ${base}.json and ${base}.md\n`);
}
