import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

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

test.run();
