/**
 * The GradBench tool answers every line, whatever it is, and keeps going:
 * malformed and truncated JSON, messages of the wrong shape, oversized
 * requests (ba with p = 1e9, ode with s = 1e9), non-finite results. The
 * properties run in process through `respondToLine`; one run spawns the
 * real tool on the same lines.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { respondToLine } from "../../bench/gradbench/session.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

type Answer = { id?: unknown; success?: boolean; error?: string; output?: unknown };

const cam = [1, 0.5, 0.2, 1, 2, 3, 1, 0.1, 0.1, 0.01, 0.001];
const BA = (p: number) => ({ n: 1, m: 1, p, cam, x: [1, 2, 3], w: 0.9, feat: [0.1, 0.2] });
const evaluate = (id: number, module: string, fn: string, input: unknown) => JSON.stringify({ id, kind: "evaluate", module, function: fn, input });

const oversized = [
  evaluate(1, "ba", "objective", BA(1e9)),
  evaluate(2, "ba", "jacobian", { ...BA(20), n: 1e9 }),
  evaluate(3, "ode", "gradient", { x: [1, 2], s: 1e9 }),
  evaluate(4, "ode", "primal", { x: [1, 2, 3], s: 1e15 }),
  evaluate(5, "llsq", "gradient", { x: [1, 2], n: 1e12 }),
  evaluate(6, "det", "gradient", { ell: 30, A: new Array(900).fill(1) }),
];

function answer(line: string): Answer {
  const text = respondToLine(line);
  assert.ok(!text.includes("\n"), "one line per answer");
  return JSON.parse(text) as Answer;
}

test("ba with p = 1e9, ode with s = 1e9 and other oversized sizes are answered with an error message at once", () => {
  for (const line of oversized) {
    const t0 = Date.now();
    const a = answer(line);
    assert.is(a.success, false, line.slice(0, 80));
    assert.match(a.error!, /more than this tool accepts/);
    assert.ok(Date.now() - t0 < 1000, "refused before any work");
  }
});

test("a result that is Infinity is a failure with a message, never success: true with output null", () => {
  const a = answer(evaluate(7, "hello", "square", 1e200));
  assert.is(a.success, false);
  assert.match(a.error!, /the result is not finite: output is Infinity; JSON cannot carry it/);
  const b = answer(evaluate(8, "llsq", "primal", { x: [1e300, 1e300], n: 4 }));
  assert.is(b.success, false);
  assert.match(b.error!, /not finite/);
  assert.is(answer(evaluate(9, "hello", "double", 1e200)).success, true);
});

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const size = fc.oneof(fc.integer({ min: -3, max: 12 }), fc.constantFrom(1e9, 1e15, 2.5, -0, 2 ** 53, "3", null));
const numberList = fc.array(fc.oneof(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.constantFrom(1e308, -1e308, "x", null)), { maxLength: 12 });
const modules = fc.constantFrom("hello", "llsq", "lse", "det", "kmeans", "ode", "gmm", "ba", "ht", "lstm", "particle", "saddle", "nope");
const fns = fc.constantFrom("square", "double", "primal", "gradient", "objective", "jacobian", "cost", "dir", "hessian", "ff", "rr", "fr", "rf", "x");
const input = fc.oneof(
  jsonValue,
  fc.record({ x: numberList, n: size, s: size, ell: size, A: numberList, min_runs: fc.constantFrom(1, 2), min_seconds: fc.constant(0) }, { requiredKeys: [] }),
  fc.record({ n: size, m: size, p: size, cam: numberList, x: numberList, w: fc.oneof(fc.double({ noNaN: true, min: -2, max: 2 }), fc.constant("w")), feat: numberList }, { requiredKeys: [] }),
);
const message = fc.oneof(
  fc.record({ id: fc.oneof(fc.integer(), fc.string(), fc.constant(null)), kind: fc.constantFrom("start", "define", "evaluate", "analysis", "end", 7), module: modules, function: fns, input }, { requiredKeys: [] }).map((m) => JSON.stringify(m)),
  jsonValue.map((v) => JSON.stringify(v)),
);
/** A line: a message, a truncated message, or bytes that are not JSON. */
const line = fc.oneof(
  { weight: 4, arbitrary: message },
  { weight: 2, arbitrary: fc.tuple(message, fc.nat()).map(([m, k]) => m.slice(0, 1 + (k % Math.max(1, m.length - 1)))) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, " ")) },
);

test("property: every line gets exactly one JSON answer; a failure has success false and an error string, never output null", () => {
  fc.assert(fc.property(line, (l) => {
    if (l.trim() === "") return;
    const a = answer(l);
    const evaluated = /"kind":"evaluate"/.test(l) && a.success === true;
    if (evaluated) assert.ok(a.output !== null && a.output !== undefined, `output for ${l.slice(0, 120)}`);
    if (a.success === false) assert.type(a.error, "string");
  }), { numRuns: 300, seed: 8 });
});

test("the real tool, spawned, answers every line of a fuzzed stream (oversized included) and keeps going to the last", () => {
  const lines = fc.sample(line, { numRuns: 150, seed: 19 }).filter((l) => l.trim() !== "");
  const all = [...lines, ...oversized, evaluate(99, "hello", "square", 3)];
  const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "bench/gradbench/tool.ts")], {
    cwd: root, input: all.join("\n") + "\n", encoding: "utf8", timeout: 60_000, maxBuffer: 1 << 26,
  });
  assert.is(r.status, 0, r.stderr);
  const answers = r.stdout.trim().split("\n").map((s) => JSON.parse(s) as Answer);
  assert.is(answers.length, all.length);
  assert.equal(answers[answers.length - 1], { ...answers[answers.length - 1], id: 99, success: true, output: 9 });
});

test.run();
