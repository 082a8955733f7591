/**
 * The code-generation helper. scripts/test.mjs runs the unit tests a second
 * time with DUALTAPE_NO_CODEGEN=1, so each test here (and every generator's
 * tests) sees both branches: the compiled template and the fallback.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { canGenerate, generated } from "../lib/codegen.ts";

const switchedOff = process.env["DUALTAPE_NO_CODEGEN"] === "1";
const codegen = fileURLToPath(new URL("../lib/codegen.ts", import.meta.url));

test("canGenerate() is false exactly when DUALTAPE_NO_CODEGEN=1 is set (Node allows code generation otherwise)", () => {
  assert.is(canGenerate(), !switchedOff);
});

test("generated(template, deps, fallback) compiles the template with deps as named parameters, or returns the fallback when switched off", () => {
  let fallbacks = 0;
  const f = generated<(x: number) => number>("return function twice(x) { return g(x) * k; };", { g: Math.sin, k: 2 }, () => {
    fallbacks++;
    return (x) => Math.sin(x) * 2;
  });
  assert.is(f(1), 2 * Math.sin(1));
  assert.is(fallbacks, switchedOff ? 1 : 0);
  if (!switchedOff) assert.is(f.name, "twice");
});

test("an error in a template is thrown rather than hidden behind the fallback", () => {
  if (switchedOff) return assert.is(generated("return (", {}, () => 7), 7);
  assert.throws(() => generated("return (", {}, () => 7), (e: unknown) => e instanceof SyntaxError);
});

test("with code generation refused by the engine (--disallow-code-generation-from-strings), canGenerate() is false and the fallback is used", () => {
  const script = `const m = await import(${JSON.stringify(codegen)}); process.stdout.write(m.canGenerate() + " " + m.generated("return 1;", {}, () => 2));`;
  const r = spawnSync(process.execPath, ["--disallow-code-generation-from-strings", "--import", "tsx", "--input-type=module", "-e", script], {
    encoding: "utf8", env: { ...process.env, DUALTAPE_NO_CODEGEN: "" },
  });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, "false 2");
});

test.run();
