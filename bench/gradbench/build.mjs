#!/usr/bin/env node
// Bundles the GradBench tool into one ES module that plain `node` runs:
//   node bench/gradbench/build.mjs && node bench/gradbench/dist/tool.mjs
import { build } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
await build({
  entryPoints: [join(here, "tool.ts")],
  outfile: join(here, "dist", "tool.mjs"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
});
process.stderr.write(`built ${join(here, "dist", "tool.mjs")}\n`);
