/**
 * `npm run soak`: runs each memory pattern of scripts/soak-patterns.ts for
 * many steps and prints heap plus array-buffer memory after warm-up and at
 * the end. A pattern passes when memory grows by less than 1 MB per 1000
 * steps. `--steps N` sets the step count (default 10000; the scalar pattern
 * runs 100x as many), `--json` prints the rows as JSON instead of a table.
 */
import { patterns, soak } from "./soak-patterns.ts";

const args = process.argv.slice(2);
const at = args.indexOf("--steps");
const steps = at >= 0 ? Number(args[at + 1]) : 10_000;
const json = args.includes("--json");
const only = args.indexOf("--only");
const chosen = only >= 0 ? patterns.filter((p) => p.name.startsWith(args[only + 1]!)) : patterns;

const mb = (b: number) => (b / 2 ** 20).toFixed(2);
const rows = chosen.map((p) => {
  const n = p.name === "scalar steps" ? steps * 100 : steps;
  const t0 = performance.now();
  const { start, end } = soak(p, n);
  const perThousand = ((end - start) / (n * 0.9)) * 1000;
  return { name: p.name, steps: n, start, end, perThousand, ok: perThousand < 2 ** 20, seconds: (performance.now() - t0) / 1000 };
});
if (json) console.log(JSON.stringify(rows));
else {
  console.log("| pattern | steps | MB after warm-up | MB at end | growth per 1000 steps | ok |");
  console.log("|---|---|---|---|---|---|");
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.steps} | ${mb(r.start)} | ${mb(r.end)} | ${(r.perThousand / 1024).toFixed(1)} KB | ${r.ok ? "yes" : "NO"} |`);
  }
}
process.exit(rows.every((r) => r.ok) ? 0 : 1);
