#!/usr/bin/env node
// Runs every test stage and ends with one line "N passed, M failed":
//   1. the strict typecheck (counts as one test),
//   2. uvu unit tests (test/) and fast-check properties (props/), run under tsx,
//      then the unit tests of the folders whose code is generated at run time
//      again with DUALTAPE_NO_CODEGEN=1 and DUALTAPE_NO_WASM=1, so every generator's
//      fallback and the JS loops behind the WebAssembly kernels (the paths taken where a
//      Content Security Policy refuses code generation and WebAssembly) run the same tests,
//   3. the GradBench golden cases (bench/gradbench/cases/) through the real protocol
//      (bench/gradbench/golden.mjs); nothing outside the repository is read.
// Each stage prints its wall time.
// Exits non-zero if anything failed.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const only = process.argv.slice(2);
const want = (stage) => only.length === 0 || only.includes(stage);
let passed = 0;
let failed = 0;

function run(label, cmd, args, env = {}) {
  process.stdout.write(`\n=== ${label}\n`);
  const started = performance.now();
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0", ...env }, maxBuffer: 1 << 28 });
  process.stdout.write(r.stdout ?? "");
  process.stderr.write(r.stderr ?? "");
  process.stdout.write(`--- ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return r;
}

function strip(s) {
  return s.replace(/\x1b\[[0-9;]*m/g, "");
}

function uvu(label, dir, pattern = "\\.test\\.ts$", env = {}) {
  if (!existsSync(join(root, dir))) return;
  const r = run(label, process.execPath, ["--import", "tsx", "node_modules/uvu/bin.js", dir, pattern], env);
  const out = strip(r.stdout ?? "");
  const total = Number(/Total:\s+(\d+)/.exec(out)?.[1] ?? NaN);
  const ok = Number(/Passed:\s+(\d+)/.exec(out)?.[1] ?? NaN);
  if (Number.isNaN(total) || Number.isNaN(ok)) {
    failed += 1;
    process.stdout.write(`${label}: could not read uvu's totals (exit ${r.status}); counted as one failure\n`);
    return;
  }
  passed += ok;
  failed += total - ok; // a skipped test is a defect here: it counts as failed
  if (r.status !== 0 && total === ok) failed += 1;
}

if (want("typecheck")) {
  const r = run("typecheck (tsc --noEmit, strict)", process.execPath, ["node_modules/typescript/bin/tsc", "--noEmit", "-p", "tsconfig.json"]);
  if (r.status === 0) passed += 1;
  else failed += 1;
}
if (want("unit")) uvu("unit tests (test/)", "test");
// The folders that generate code (lib/codegen.ts) or run through generated code, and the helper's own
// test; not the op reference check, which spawns its own process and generates nothing.
const generatedPaths = "^(?!registry[/\\\\]op-docs)(codegen\\.test\\.ts|(registry|tensor|ops|compile|forward|reverse)[/\\\\].*\\.test\\.ts)$";
if (want("nocodegen")) {
  uvu("unit tests without code generation or WebAssembly (DUALTAPE_NO_CODEGEN=1 DUALTAPE_NO_WASM=1)", "test", generatedPaths, { DUALTAPE_NO_CODEGEN: "1", DUALTAPE_NO_WASM: "1" });
}
if (want("props")) uvu("property tests (props/)", "props");
if (want("gradbench")) {
  const check = join(root, "bench/gradbench/golden.mjs");
  const tool = join(root, "bench/gradbench/tool.ts");
  // The tool runs as its esbuild bundle, the way `node bench/gradbench/dist/tool.mjs` is used.
  const built = run("gradbench tool bundle", process.execPath, [join(root, "bench/gradbench/build.mjs")]);
  const bundle = join(root, "bench/gradbench/dist/tool.mjs");
  const cmd = built.status === 0 ? [process.execPath, bundle] : [process.execPath, "--import", "tsx", tool];
  const r = run("gradbench golden cases (bench/gradbench/golden.mjs)", process.execPath, [check, "--timeout", "600", "--", ...cmd]);
  const m = /gradbench: (\d+) passed, (\d+) failed/.exec(strip(r.stdout ?? ""));
  if (m) {
    passed += Number(m[1]);
    failed += Number(m[2]);
  } else failed += 1;
}
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
