#!/usr/bin/env node
// Runs a TypeScript entry point as one esbuild bundle: `node scripts/run-bundled.mjs <entry.ts> [args...]`.
// Benchmarks and the demo run this way because that is how users run the library (bundled or
// built), and timings taken through a per-module TypeScript loader include module-boundary
// overhead that a bundle does not have. Packages stay external and resolve from node_modules.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error("usage: node scripts/run-bundled.mjs <entry.ts> [args...]");
  process.exit(2);
}
const outDir = join(root, "node_modules", ".cache", "dualtape-run");
mkdirSync(outDir, { recursive: true });
const outfile = join(outDir, `${basename(entry).replace(/\.[^.]+$/, "")}-${process.pid}.mjs`);
await build({
  entryPoints: [resolve(entry)],
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: "inline",
  outfile,
  logLevel: "warning",
});
const r = spawnSync(process.execPath, [outfile, ...args], { stdio: "inherit" });
process.exit(r.status ?? 1);
