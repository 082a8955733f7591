#!/usr/bin/env node
// `npm run build`: bundles lib/index.ts with esbuild into dist/index.js (ESM)
// and dist/index.cjs (CommonJS), platform neutral, ES2022, and emits the type
// declarations dist/**/*.d.ts with tsc (tsconfig.build.json), plus .d.cts
// twins for CommonJS consumers.
//
//   node scripts/build.mjs [--outdir DIR] [--no-types]
//
// The exported `buildBundles` is used by test/build.test.ts to build into a
// temporary directory.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Writes index.js (ESM) and index.cjs (CJS) bundles of lib/index.ts, and
 * esbuild.js (the build-time plugin, ESM for Node) into outdir.
 *
 * @example
 * await buildBundles("/tmp/dualtape-dist");
 */
export async function buildBundles(outdir) {
  const common = {
    entryPoints: [join(root, "lib/index.ts")],
    bundle: true,
    platform: "neutral",
    target: "es2022",
    sourcemap: true,
    logLevel: "warning",
  };
  await build({ ...common, format: "esm", outfile: join(outdir, "index.js") });
  await build({ ...common, format: "cjs", outfile: join(outdir, "index.cjs") });
  // dualtape/esbuild, the build-time plugin: it runs in Node inside esbuild.
  await build({ ...common, entryPoints: [join(root, "lib/esbuild.ts")], platform: "node", format: "esm", outfile: join(outdir, "esbuild.js"), external: ["esbuild"] });
}

/**
 * Emits the .d.ts files into outdir with tsc; throws if tsc reports errors.
 *
 * @example
 * buildTypes("dist");
 */
export function buildTypes(outdir) {
  const tsc = join(root, "node_modules/typescript/bin/tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json"), "--outDir", outdir], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`build: tsc could not emit the declarations:\n${r.stdout}${r.stderr}`);
}

/**
 * Writes a CommonJS twin (.d.cts) of every .d.ts in outdir, with relative
 * imports pointing at the twins, so TypeScript projects that compile to
 * CommonJS (node16/nodenext resolution) get types for dist/index.cjs.
 *
 * @example
 * buildCjsTypes("dist"); // dist/index.d.cts beside dist/index.d.ts
 */
export function buildCjsTypes(outdir) {
  const relative = /((?:from|import)\s*\(?\s*["'])(\.{1,2}\/[^"']+?)\.(?:ts|js)(["'])/g;
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith(".d.ts")) {
        writeFileSync(path.replace(/\.d\.ts$/, ".d.cts"), readFileSync(path, "utf8").replace(relative, "$1$2.cjs$3"));
      }
    }
  };
  visit(outdir);
}

async function main(argv) {
  const at = argv.indexOf("--outdir");
  const outdir = resolve(root, at >= 0 ? argv[at + 1] : "dist");
  rmSync(outdir, { recursive: true, force: true });
  const t0 = Date.now();
  await buildBundles(outdir);
  if (!argv.includes("--no-types")) {
    buildTypes(outdir);
    buildCjsTypes(outdir);
  }
  console.log(`built ${outdir}: index.js (ESM), index.cjs (CJS), esbuild.js (plugin)${argv.includes("--no-types") ? "" : ", *.d.ts"} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
