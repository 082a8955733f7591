import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { misuses, runMisuse } from "../../scripts/errors/catalogue.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

test("every catalogued misuse throws exactly its class, api and message", () => {
  for (const m of misuses) {
    const got = runMisuse(m);
    assert.equal(got, { kind: m.kind, api: m.api, message: m.message }, m.code);
  }
});

test("every catalogued message reads '<api>: <what is wrong>; <how to fix>'", () => {
  for (const m of misuses) assert.ok(m.message.startsWith(`${m.api}: `) && /^[^;]+: [^;]+; .+$/.test(m.message), m.message);
});

test("the catalogue covers every error class and the issue-8 misuses", () => {
  const kinds = new Set(misuses.map((m) => m.kind));
  for (const k of ["ShapeError", "TypeMismatchError", "GraphError", "PerturbationError", "DomainError"]) assert.ok(kinds.has(k as never), k);
  for (const code of ["zeros([1e12])", "eye(1e5)", "arange(0, 1e10)", "noGrad(5)", "noGrad(async () => 1)", "reshape(zeros([0]), [0, -1])"]) {
    assert.ok(misuses.some((m) => m.code === code), code);
  }
});

test("docs/errors.md is exactly the page generated from the catalogue (run in a fresh process)", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "scripts/errors-doc.ts"), "--check"], { cwd: root, encoding: "utf8" });
  assert.is(r.status, 0, `${r.stdout}${r.stderr}`);
});

test.run();
