/**
 * The published code: scripts/build.mjs (esbuild) builds into a temporary
 * directory, and the ESM module tree and the CommonJS bundle each load and
 * differentiate; a consumer's bundle of a `grad`-only import, tree-shaken
 * under package.json's `sideEffects`, drops the modules it does not need and
 * still works; the plugin module (dualtape/esbuild) precompiles a module.
 * Declarations (tsc) are not emitted here: they take several
 * seconds and are checked on the packed tarball by scripts/consumers.mjs.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { build } from "esbuild";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { inspect } from "node:util";

import type { Lifted } from "../lib/index.ts";

type Api = typeof import("../lib/index.ts");

const pkg = mkdtempSync(join(tmpdir(), "dualtape-build-"));
const dir = join(pkg, "dist");
let built: SpawnSyncReturns<string>;

test.before(() => {
  built = spawnSync(process.execPath, ["scripts/build.mjs", "--outdir", dir, "--no-types"], { encoding: "utf8" });
  // The package as consumers' bundlers see it: dist/ under a package.json with the real `sideEffects`.
  const { name, type, sideEffects } = JSON.parse(readFileSync("package.json", "utf8")) as Record<string, unknown>;
  writeFileSync(join(pkg, "package.json"), JSON.stringify({ name, type, sideEffects }));
  // The package's dependencies (acorn), as an install puts them beside it.
  symlinkSync(join(process.cwd(), "node_modules"), join(pkg, "node_modules"), "dir");
});
test.after(() => rmSync(pkg, { recursive: true, force: true }));

function tsFiles(d: string): string[] {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(d, e.name)) : e.name.endsWith(".ts") ? [join(d, e.name)] : []);
}

function jsFiles(d: string): string[] {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? jsFiles(join(d, e.name)) : /\.c?js$/.test(e.name) ? [join(d, e.name)] : []);
}

test("node scripts/build.mjs --no-types writes index.js and index.cjs", () => {
  assert.is(built.status, 0, built.stderr);
  for (const file of ["index.js", "index.cjs"]) assert.ok(readFileSync(join(dir, file), "utf8").length > 1000, file);
});

test("the declarations build without Node's types (tsc -p tsconfig.build.json, as npm pack's prepare runs it)", () => {
  const r = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json", "--outDir", join(pkg, "types")], { encoding: "utf8" });
  assert.is(r.status, 0, `${r.stdout}${r.stderr}`);
});

test("the built code imports nothing from Node (platform neutral) and no .ts path", () => {
  const files = jsFiles(dir);
  assert.ok(files.length > 40, `${files.length} files`);
  for (const file of files) {
    const code = readFileSync(file, "utf8");
    assert.not.match(code, /(from|require\()\s*["']node:/, file);
    assert.not.match(code, /(from|import\()\s*["'][^"']+\.ts["']/, file);
  }
});

test("a grad-only import, bundled under sideEffects, leaves out forward mode and still differentiates pow(x, 3).sin()", async () => {
  const entry = join(pkg, "entry.mjs");
  writeFileSync(entry, `import { grad, pow } from "./dist/index.js";\nexport const g = grad((x) => pow(x, 3).sin())(2);\n`);
  const out = await build({ entryPoints: [entry], bundle: true, format: "esm", write: false, logLevel: "silent" });
  const code = out.outputFiles[0]!.text;
  for (const dropped of ["dist/forward/", "dist/hybrid/", "dist/compile/", "dist/optim/", "dist/check/", "dist/source/", "node_modules/acorn"]) {
    assert.not.ok(code.includes(dropped), `${dropped} should be tree-shaken`);
  }
  // The whole op table stays: rules call other ops by name (pow's partials use log and where) and every op is a method.
  for (const kept of ["dist/ops/exponential.js", "dist/ops/piecewise.js", "dist/ops/trig.js", "dist/registry/methods.js"]) {
    assert.ok(code.includes(kept), `${kept} must be kept`);
  }
  writeFileSync(join(pkg, "shaken.mjs"), code);
  const m = (await import(pathToFileURL(join(pkg, "shaken.mjs")).href)) as { g: number };
  // d/dx sin(x^3) = 3x^2 cos(x^3)
  assert.ok(Math.abs(m.g - 12 * Math.cos(8)) < 1e-12, String(m.g));
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
  const entry = join(dir, "app.mjs");
  writeFileSync(entry, `import { compile } from ${JSON.stringify(join(dir, "index.js"))};\nconst K = 3;\nconsole.log(JSON.stringify(compile((x) => K * x * x, { wrt: [0] }).grad(2)));\n`);
  const out = await build({ entryPoints: [entry], bundle: true, write: false, format: "esm", platform: "node", logLevel: "silent", plugins: [dualtape({ library: (s: string) => s.endsWith("index.js") })] });
  const file = join(dir, "app-bundle.mjs");
  writeFileSync(file, out.outputFiles[0]!.text);
  const run = spawnSync(process.execPath, ["--disallow-code-generation-from-strings", file], { encoding: "utf8" });
  assert.is(run.status, 0, run.stderr);
  assert.is(run.stdout.trim(), "12"); // d/dx 3x^2 = 6x at 2
});

test("a tensors-only import, bundled under sideEffects, leaves out forward mode and the transforms and keeps the Tensor methods", async () => {
  const entry = join(pkg, "tensors.mjs");
  writeFileSync(entry, `import { tensor } from "./dist/index.js";\nexport const s = tensor([0, 1]).exp().sum();\n`);
  const out = await build({ entryPoints: [entry], bundle: true, format: "esm", write: false, logLevel: "silent" });
  const code = out.outputFiles[0]!.text;
  // reverse/backward.js stays (it installs Var.backward when it loads), and with it the sweep it runs.
  for (const dropped of ["dist/forward/", "dist/hybrid/", "dist/compile/", "dist/optim/", "dist/reverse/grad.js"]) {
    assert.not.ok(code.includes(dropped), `${dropped} should be tree-shaken`);
  }
  writeFileSync(join(pkg, "tensors-shaken.mjs"), code);
  const m = (await import(pathToFileURL(join(pkg, "tensors-shaken.mjs")).href)) as { s: number };
  assert.ok(Math.abs(m.s - (1 + Math.E)) < 1e-12, String(m.s));
});

test("an imperative-only import (variable, mul, backward), bundled under sideEffects, keeps what backward() needs", async () => {
  const entry = join(pkg, "imperative.mjs");
  writeFileSync(entry, `import { variable, mul } from "./dist/index.js";\nconst x = variable(3);\nmul(x, x).backward();\nexport const g = x.grad;\n`);
  const out = await build({ entryPoints: [entry], bundle: true, format: "esm", write: false, logLevel: "silent" });
  writeFileSync(join(pkg, "imperative-shaken.mjs"), out.outputFiles[0]!.text);
  const m = (await import(pathToFileURL(join(pkg, "imperative-shaken.mjs")).href)) as { g: number };
  assert.is(m.g, 6); // d(x²)/dx at 3
});

test("every lib module imported for its side effects alone (import \"./m.ts\") is listed in sideEffects", () => {
  const patterns = (JSON.parse(readFileSync("package.json", "utf8")) as { sideEffects: string[] }).sideEffects
    .filter((p) => p.startsWith("./lib/"))
    .map((p) => new RegExp(`^${p.slice(2).replace(/[.]/g, "\\.").replace(/\*/g, "[^/]*")}$`));
  const bare = /^import\s+["'](\.{1,2}\/[^"']+)["'];/gm;
  const unlisted: string[] = [];
  for (const file of tsFiles("lib")) {
    for (const m of readFileSync(file, "utf8").matchAll(bare)) {
      const target = relative(".", join(dirname(file), m[1]!)).split("\\").join("/");
      if (!patterns.some((re) => re.test(target))) unlisted.push(`${file} imports ${target}`);
    }
  }
  assert.equal(unlisted, []);
});

test("the CommonJS bundle shows the public class names in logs and messages (esbuild renames self-referencing classes)", () => {
  const m = createRequire(import.meta.url)(join(dir, "index.cjs")) as Api;
  assert.is(m.ShapeError.name, "ShapeError");
  assert.is(inspect(m.tensor([1, 2])), "Tensor[2] [1,2]");
  assert.is(inspect(m.dual(2)), "Dual(2, 1)");
  assert.is(inspect(m.mul(m.variable(m.tensor([1, 2])), 2)), "Var(Tensor[2] [2,4], gradFn=mul)");
  try {
    m.add(m.zeros([2, 3]), m.zeros([4]));
    assert.unreachable("add should throw");
  } catch (e) {
    assert.is((e as Error).name, "ShapeError");
  }
});

test.run();
