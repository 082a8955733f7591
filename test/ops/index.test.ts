import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { allOps } from "../../lib/index.ts";
import * as table from "../../lib/ops/index.ts";
import { G } from "../../lib/registry/op.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

test("every export of the op table is a registered op under its own name, and G holds that function", () => {
  const names = new Set(allOps().map((o) => o.name));
  for (const [name, fn] of Object.entries(table)) {
    assert.ok(names.has(name), `${name} is not registered`);
    assert.is(G.op(name), fn, name);
  }
});

test("lib/index.ts takes the ops from lib/ops/index.ts, whose declaration merging types the rule algebra for consumers", () => {
  // The published declarations carry OpTable only if the public entry reaches lib/ops/index.ts.
  const src = readFileSync(`${root}/lib/index.ts`, "utf8");
  assert.ok(src.includes('from "./ops/index.ts"'));
  const table = readFileSync(`${root}/lib/ops/index.ts`, "utf8");
  const sections = [...table.matchAll(/export \* from "\.\/(\w+)\.ts"/g)].map((m) => m[1]);
  assert.ok(sections.length >= 5, "found the op sections");
  for (const s of sections) assert.not.ok(src.includes(`from "./ops/${s}.ts"`), `section ${s} re-exported directly`);
  assert.ok(table.includes('declare module "../registry/types.ts"'));
});

test.run();
