import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { allOps } from "../../lib/index.ts";
import { opReference } from "../../lib/registry/op-docs.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

test("docs/ops.md is exactly the reference generated from the registry (run in a fresh process, built-in ops only)", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "scripts/ops-doc.ts"), "--check"], { cwd: root, encoding: "utf8" });
  assert.is(r.status, 0, `${r.stdout}${r.stderr}`);
});

test("opReference() has one row per registered op, each with documented conventions", () => {
  const text = opReference();
  for (const op of allOps()) assert.ok(text.includes(`| \`${op.name}\` |`), `row for ${op.name}`);
  const builtin = ["sqrt", "pow", "abs", "maximum", "sum", "matmul", "slice"];
  for (const name of builtin) {
    const row = text.split("\n").find((l) => l.startsWith(`| \`${name}\` |`))!;
    assert.ok(row.split("|")[5]!.trim().length > 0, `${name} documents its conventions`);
  }
});

test.run();
