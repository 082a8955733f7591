#!/usr/bin/env node
// `npm run build` (also run by `npm pack` and by git installs, through the
// `prepare` script): writes dist/ with
//   - dist/**/*.js: ESM, one module per lib/ file (esbuild, no bundling), so
//     that bundlers drop the modules an import does not reach; package.json's
//     `sideEffects` names the modules that must run when imported (the op
//     table registers its ops, registry/methods.js installs the Tensor methods);
//   - dist/index.cjs: one CommonJS bundle for require();
//   - dist/**/*.d.ts (tsc, tsconfig.build.json) with `.js` import paths, and
//     .d.cts twins with `.cjs` paths for CommonJS consumers.
// Platform neutral, ES2022, unminified (consumers minify).
//
//   node scripts/build.mjs [--outdir DIR] [--no-types]
//
// test/build.test.ts builds into a temporary directory with --no-types.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Relative module specifiers ending in .ts (how lib/ spells them) in emitted
 * code or declarations: imports, re-exports, `import()` types and the names
 * of augmented modules (`declare module "../tensor/tensor.ts"`).
 */
const tsSpecifier = /((?:from|import|declare module)\s*\(?\s*["'])(\.{1,2}\/[^"']+?)\.ts(["'])/g;

function libFiles(dir = join(root, "lib")) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? libFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []);
}

/**
 * Writes the ESM module tree (index.js and one .js per lib/ file, esbuild.js
 * among them: the build-time plugin, dualtape/esbuild) and the CommonJS
 * bundle index.cjs into outdir.
 *
 * @example
 * await buildBundles("/tmp/dualtape-dist");
 */
export async function buildBundles(outdir) {
  const common = { platform: "neutral", target: "es2022", logLevel: "warning", charset: "utf8" };
  const esm = await build({
    ...common, entryPoints: libFiles(), outbase: join(root, "lib"), outdir, format: "esm", bundle: false, write: false,
  });
  for (const file of esm.outputFiles) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.text.replace(tsSpecifier, "$1$2.js$3"));
  }
  // Dependencies (acorn) stay external: installed beside the package, not copied into it.
  await build({ ...common, entryPoints: [join(root, "lib/index.ts")], bundle: true, packages: "external", format: "cjs", outfile: join(outdir, "index.cjs") });
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
 * Rewrites the relative import paths of every .d.ts in outdir from `.ts`
 * (how lib/ spells them; tsc keeps them in declarations) to `.js`, and writes
 * a CommonJS twin (.d.cts) of each with paths ending in `.cjs`, so that
 * consumers on any TypeScript >= 5.0, with node16, nodenext or bundler
 * resolution and with or without allowImportingTsExtensions, resolve them.
 *
 * @example
 * buildCjsTypes("dist"); // dist/index.d.cts beside dist/index.d.ts
 */
export function buildCjsTypes(outdir) {
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith(".d.ts")) {
        const text = readFileSync(path, "utf8");
        writeFileSync(path, text.replace(tsSpecifier, "$1$2.js$3"));
        writeFileSync(path.replace(/\.d\.ts$/, ".d.cts"), text.replace(tsSpecifier, "$1$2.cjs$3"));
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
  console.log(`built ${outdir}: ESM modules (index.js, esbuild.js), index.cjs (CJS)${argv.includes("--no-types") ? "" : ", *.d.ts"} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
