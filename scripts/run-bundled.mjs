#!/usr/bin/env node
// Runs a TypeScript entry point as one esbuild bundle: `node scripts/run-bundled.mjs <entry.ts> [args...]`.
// Benchmarks and the demo run this way because that is how users run the library (bundled or
// built), and timings taken through a per-module TypeScript loader include module-boundary
// overhead that a bundle does not have. Packages stay external and resolve from node_modules.
// The bundle is written beside the entry (as .<name>.bundle.mjs, git-ignored) so that paths the
// entry computes from its own location (e.g. a results folder) stay the same.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error("usage: node scripts/run-bundled.mjs <entry.ts> [args...]");
  process.exit(2);
}
const outfile = join(dirname(resolve(entry)), `.${basename(entry).replace(/\.[^.]+$/, "")}.bundle.mjs`);
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
