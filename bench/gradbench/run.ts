/**
 * `npm run bench:gradbench`: bundles the benchmark with esbuild and runs the
 * bundle in a child node process, so the library is measured as shipped
 * code rather than through tsx's per-file transform (which slows class
 * construction, and so every Dual and Var, several-fold).
 *
 *   npm run bench:gradbench -- [--only llsq,lse] [--budget 1] [--tsx]
 *
 * `--budget` scales every eval's time budget (default 1: about 5 minutes in
 * all); `--tsx` runs in this process from the sources instead.
 */
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const options = {
  casesDir: resolve(root, "bench/gradbench/cases"),
  outBase: join(root, "bench/results/gradbench"),
  only: opt("--only")?.split(",") ?? null,
  budgetScale: Number(opt("--budget") ?? 1),
};

if (args.includes("--tsx") || process.env.GRADBENCH_CHILD === "1") {
  const { runBenchmark } = await import("./bench-main.ts");
  const child = process.env.GRADBENCH_CHILD === "1";
  await runBenchmark({ ...options, bundled: child, ...(child ? JSON.parse(process.env.GRADBENCH_OPTIONS!) : {}) });
} else {
  const outfile = join(here, "dist", "bench.mjs");
  await build({
    entryPoints: [join(here, "run.ts")], outfile, bundle: true, platform: "node", format: "esm", target: "node20",
    // TF.js is bundled too, from its ES modules, so that its gradient registrations load.
    external: ["esbuild"], mainFields: ["module", "main"], logLevel: "warning",
    // TF.js's node platform calls require("util"): give the ES module bundle a require.
    banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  });
  const r = spawnSync(process.execPath, [outfile], {
    stdio: "inherit",
    env: { ...process.env, GRADBENCH_CHILD: "1", GRADBENCH_OPTIONS: JSON.stringify(options) },
  });
  process.exit(r.status ?? 1);
}
