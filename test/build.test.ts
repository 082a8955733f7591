/**
 * The published bundles: scripts/build.mjs (esbuild) builds into a temporary
 * directory, and the ESM and CommonJS bundles each load and differentiate;
 * the plugin bundle (dualtape/esbuild) precompiles a module.
 * Declarations (tsc) are not emitted here: they take several seconds and
 * are checked by `npm run build`.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

import type { Lifted } from "../lib/index.ts";

type Api = typeof import("../lib/index.ts");

const dir = mkdtempSync(join(tmpdir(), "dualtape-build-"));
let built: SpawnSyncReturns<string>;

test.before(() => {
  built = spawnSync(process.execPath, ["scripts/build.mjs", "--outdir", dir, "--no-types"], { encoding: "utf8" });
});
test.after(() => rmSync(dir, { recursive: true, force: true }));

test("node scripts/build.mjs --no-types writes index.js and index.cjs", () => {
  assert.is(built.status, 0, built.stderr);
  for (const file of ["index.js", "index.cjs"]) assert.ok(readFileSync(join(dir, file), "utf8").length > 1000, file);
});

test("the bundles import nothing from Node (platform neutral)", () => {
  for (const file of ["index.js", "index.cjs"]) {
    const code = readFileSync(join(dir, file), "utf8");
    assert.not.match(code, /(from|require\()\s*["']node:/, file);
  }
});

test("import(dist/index.js): derivative(sin)(0) is 1 and grad(x0 x1)([2, 3]) is [3, 2]", async () => {
  const m = (await import(pathToFileURL(join(dir, "index.js")).href)) as Api;
  assert.is(m.derivative((x) => m.sin(x))(0), 1);
  assert.equal(m.grad((x: Lifted[]) => m.mul(x[0]!, x[1]!))([2, 3]), [3, 2]);
});

test("require(dist/index.cjs): jacobian of [x0 x1, x0] at [2, 3] is [[3, 2], [1, 0]]", () => {
  const m = createRequire(import.meta.url)(join(dir, "index.cjs")) as Api;
  assert.equal(m.jacobian((x: Lifted[]) => [m.mul(x[0]!, x[1]!), x[0]!])([2, 3]), [[3, 2], [1, 0]]);
  assert.instance(m.tensor([1, 2]), m.Tensor);
});

test("dist/esbuild.js (dualtape/esbuild) precompiles a module that imports the built dist/index.js", async () => {
  const { dualtape } = (await import(pathToFileURL(join(dir, "esbuild.js")).href)) as typeof import("../lib/esbuild.ts");
  const { build } = await import("esbuild");
  const entry = join(dir, "app.mjs");
  writeFileSync(entry, `import { compile } from ${JSON.stringify(join(dir, "index.js"))};\nconst K = 3;\nconsole.log(JSON.stringify(compile((x) => K * x * x, { wrt: [0] }).grad(2)));\n`);
  const out = await build({ entryPoints: [entry], bundle: true, write: false, format: "esm", platform: "node", logLevel: "silent", plugins: [dualtape({ library: (s: string) => s.endsWith("index.js") })] });
  const file = join(dir, "app-bundle.mjs");
  writeFileSync(file, out.outputFiles[0]!.text);
  const run = spawnSync(process.execPath, ["--disallow-code-generation-from-strings", file], { encoding: "utf8" });
  assert.is(run.status, 0, run.stderr);
  assert.is(run.stdout.trim(), "12"); // d/dx 3x^2 = 6x at 2
});

test.run();
