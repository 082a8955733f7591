import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { importGraph, importProblems, importsOf, parseLayers, runtimeCycles, tableProblems, type ImportEdge } from "./support/imports.ts";

// The one-registry design, checked on the source: forward and reverse mode
// consume the registry generically, so no registered op name may appear in
// lib/forward or lib/reverse (comments included), and lib/index.ts is a list
// of re-exports only.

const root = fileURLToPath(new URL("..", import.meta.url));

/** The op names registered by importing lib/index.ts alone, in a fresh process (tests here register their own ops). */
function registeredNames(): string[] {
  const script = `const m = await import(${JSON.stringify(join(root, "lib/index.ts"))}); console.log(JSON.stringify(m.allOps().map((o) => o.name)));`;
  const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop()!) as string[];
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return p.endsWith(".ts") ? [p] : [];
  });
}

let cached: string[] | null = null;
/** Computed on first use, so a broken entry point fails a test instead of the whole run. */
const opNames = () => (cached ??= registeredNames());

test("importing lib/index.ts registers the built-in ops", () => {
  for (const n of ["add", "mul", "sin", "exp", "where", "clamp"]) assert.ok(opNames().includes(n), n);
});

test("no registered op name appears as a whole word in lib/forward or lib/reverse, comments included", () => {
  const names = opNames();
  const violations: string[] = [];
  const files = [...tsFiles(join(root, "lib/forward")), ...tsFiles(join(root, "lib/reverse"))];
  assert.ok(files.length >= 10, "found the mode sources");
  for (const file of files) {
    readFileSync(file, "utf8").split("\n").forEach((line, i) => {
      for (const n of names) {
        if (new RegExp(`\\b${n}\\b`).test(line)) violations.push(`${relative(root, file)}:${i + 1}: '${n}' in: ${line.trim()}`);
      }
    });
  }
  assert.equal(violations, [], `\n${violations.join("\n")}\n`);
});

/** lib/index.ts without comments, split into statements. */
function indexStatements(): string[] {
  const src = readFileSync(join(root, "lib/index.ts"), "utf8");
  const bare = src.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return bare.split(";").map((s) => s.trim()).filter((s) => s.length > 0);
}

test("lib/index.ts holds only `export ... from` statements and comments", () => {
  const reexport = /^export\s+(type\s+)?(\{[^}]*\}|\*(\s+as\s+\w+)?)\s+from\s+"[^"]+"$/;
  const statements = indexStatements();
  assert.ok(statements.length > 10);
  const bad = statements.filter((s) => !reexport.test(s));
  assert.equal(bad, []);
});

test("lib/index.ts re-exports named items only (no `export *`)", () => {
  assert.equal(indexStatements().filter((s) => /^export\s+\*/.test(s)), []);
});

const layers = () => parseLayers(readFileSync(join(root, "README.md"), "utf8"));

test("the README's layer table is ordered bottom up: every allowed import is on a lower row", () => {
  assert.ok(layers().length >= 10, "found the table");
  assert.equal(tableProblems(layers()), []);
});

test("every import under lib/ (type-only ones included) is one the layer table allows", () => {
  const problems = importProblems(importGraph(root, "lib"), layers());
  assert.equal(problems, [], `\n${problems.join("\n")}\n`);
});

test("no cycle of run-time imports between files under lib/", () => {
  const cycles = runtimeCycles(importGraph(root, "lib"));
  assert.equal(cycles, [], `\n${cycles.map((c) => c.join(" <-> ")).join("\n")}\n`);
});

test("the import checks catch an upward import, a disordered table and a run-time cycle in a made-up graph", () => {
  const table = parseLayers("<!-- layers\n| `low` | x | — |\n| `high` | y | low |\n<!-- /layers -->");
  assert.equal(tableProblems(table), []);
  assert.equal(tableProblems([{ name: "a", mayImport: ["b"] }, { name: "b", mayImport: [] }]).length, 1);
  const edge = (target: string, typeOnly = false): ImportEdge => ({ target, typeOnly });
  const graph = new Map([["lib/low/a.ts", [edge("lib/high/b.ts", true)]], ["lib/high/b.ts", [edge("lib/low/a.ts")]]]);
  assert.equal(importProblems(graph, table), ["lib/low/a.ts imports lib/high/b.ts: low may not import high"]);
  assert.equal(runtimeCycles(graph), [], "a cycle through a type-only import is not a run-time cycle");
  graph.set("lib/low/a.ts", [edge("lib/low/c.ts")]);
  graph.set("lib/low/c.ts", [edge("lib/low/a.ts")]);
  assert.equal(runtimeCycles(graph), [["lib/low/a.ts", "lib/low/c.ts"]]);
});

test("importsOf reads type-only clauses, re-exports, side-effect imports and module augmentations", () => {
  const src = 'import type { A } from "./a.ts";\nimport { type B, C } from "./b.ts";\nimport { type D } from "../d.ts";\nexport { E } from "./e.ts";\nimport "./f.ts";\ndeclare module "./g.ts" {}';
  assert.equal(importsOf("lib/x/y.ts", src), [
    { target: "lib/x/a.ts", typeOnly: true }, { target: "lib/x/b.ts", typeOnly: false }, { target: "lib/d.ts", typeOnly: true },
    { target: "lib/x/e.ts", typeOnly: false }, { target: "lib/x/f.ts", typeOnly: false }, { target: "lib/x/g.ts", typeOnly: true },
  ]);
});

// test/ mirrors lib/ file for file: a unit test file is named after, and
// placed like, the lib file it tests; test/bench/ mirrors the benchmark
// helpers in bench/lib/ the same way. Whole-project checks (this file, the
// package build, the API docs' examples, the short soak run) are the
// exceptions, listed here; the examples' tests (test/examples/) and the
// GradBench tool's tests (test/gradbench/: the golden cases, the protocol
// fuzzing, the plain loop programs against the ops versions) test a whole
// program each, so they are exempt by folder.
const PROJECT_TESTS = new Set(["test/architecture.test.ts", "test/build.test.ts", "test/docs.test.ts", "test/soak.test.ts"]);
const PROGRAM_TEST_FOLDERS = ["test/examples/", "test/gradbench/"];

/** The source file a test file tests: test/a/b.test.ts tests lib/a/b.ts, test/bench/c.test.ts tests bench/lib/c.ts. */
function testedFile(test: string): string {
  const rest = test.slice("test/".length).replace(/\.test\.ts$/, ".ts");
  return rest.startsWith("bench/") ? join("bench/lib", rest.slice("bench/".length)) : join("lib", rest);
}

test("every test file under test/ is named after and placed like a lib file (test/a/b.test.ts tests lib/a/b.ts)", () => {
  const orphans = tsFiles(join(root, "test"))
    .map((p) => relative(root, p).split("\\").join("/"))
    .filter((f) => f.endsWith(".test.ts") && !PROGRAM_TEST_FOLDERS.some((d) => f.startsWith(d)) && !PROJECT_TESTS.has(f))
    .filter((f) => !existsSync(join(root, testedFile(f))));
  assert.equal(orphans, [], "rename or fold these into the test file of the lib file they test");
});
test.run();
