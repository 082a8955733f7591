/**
 * The golden-case replayer must be able to fail: a tool that answers the
 * hello eval with the wrong number, or with no timings on llsq, is judged
 * failed case by case, and the replayer exits non-zero.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const golden = fileURLToPath(new URL("../../bench/gradbench/golden.mjs", import.meta.url));

/** A protocol-speaking fake tool whose evaluate answers come from `answer(message)` (JS source). */
function fakeTool(answer: string): string[] {
  const script = `
    const rl = require("node:readline").createInterface({ input: process.stdin });
    rl.on("line", (l) => {
      const m = JSON.parse(l);
      const r = m.kind === "evaluate" ? { id: m.id, success: true, ...(${answer})(m) } : { id: m.id, success: true };
      process.stdout.write(JSON.stringify(r) + "\\n");
    });`;
  return [process.execPath, "-e", script];
}

function replay(evals: string, tool: string[]) {
  const r = spawnSync(process.execPath, [golden, "--evals", evals, "--timeout", "30", "--", ...tool], { encoding: "utf8" });
  const m = /gradbench: (\d+) passed, (\d+) failed/.exec(r.stdout);
  return { status: r.status, passed: Number(m?.[1]), failed: Number(m?.[2]), out: r.stdout };
}

test("golden.mjs passes a hello tool that squares and doubles correctly", () => {
  const r = replay("hello", fakeTool("(m) => ({ output: m.function === 'square' ? m.input * m.input : 2 * m.input })"));
  assert.equal([r.status, r.passed, r.failed], [0, 8, 0], r.out);
});

test("golden.mjs fails every hello case of a tool that is off by 1e-3", () => {
  const r = replay("hello", fakeTool("(m) => ({ output: (m.function === 'square' ? m.input * m.input : 2 * m.input) * 1.001 + 1e-3 })"));
  assert.equal([r.status, r.passed, r.failed], [1, 0, 8], r.out);
});

test("golden.mjs fails llsq cases answered without 'evaluate' timings or with the wrong structure", () => {
  const r = replay("llsq", fakeTool("(m) => ({ output: [0] })"));
  assert.is(r.status, 1);
  assert.is(r.passed, 0, r.out);
  assert.ok(r.failed > 0, r.out);
});

test.run();
