#!/usr/bin/env node
// Runs a TypeScript entry point as one esbuild bundle: `node scripts/run-bundled.mjs <entry.ts> [args...]`.
// Benchmarks and the demo run this way because that is how users run the library (bundled or
// built), and timings taken through a per-module TypeScript loader include module-boundary
// overhead that a bundle does not have. Packages stay external and resolve from node_modules.
// The bundle is written beside the entry (as .<name>.bundle.mjs, git-ignored) so that paths the
// entry computes from its own location (e.g. a results folder) stay the same.
// `--bundle PREFIX` (repeatable, before the entry) bundles the packages whose names start with
// PREFIX instead, from their ES module builds: TF.js's ESM files import each other without file
// extensions, which only a bundler resolves, and its gradient registration exists only there.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const argv = process.argv.slice(2);
const bundled = [];
while (argv[0] === "--bundle" && argv[1]) bundled.push(argv[1]), argv.splice(0, 2);
const [entry, ...args] = argv;
if (!entry) {
  console.error("usage: node scripts/run-bundled.mjs <entry.ts> [args...]");
  process.exit(2);
}
const outfile = join(dirname(resolve(entry)), `.${basename(entry).replace(/\.[^.]+$/, "")}.bundle.mjs`);
/** Keeps every package import external except those whose names start with one of `bundled`. */
function externalExcept(bundled) {
  return {
    name: "external-except",
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (a) =>
        a.kind === "entry-point" || bundled.some((p) => a.path.startsWith(p)) ? undefined : { path: a.path, external: true });
    },
  };
}

await build({
  entryPoints: [resolve(entry)],
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  ...(bundled.length === 0
    ? { packages: "external" }
    : {
        plugins: [externalExcept(bundled)],
        mainFields: ["module", "main"],
        // Bundled CommonJS code may still require Node's built-ins.
        banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
      }),
  sourcemap: "inline",
  outfile,
  logLevel: "warning",
});
const r = spawnSync(process.execPath, [outfile, ...args], { stdio: "inherit" });
process.exit(r.status ?? 1);
