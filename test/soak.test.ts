// The short soak run (npm run soak is the long one): memory that used to
// grow without bound (leak patterns of the imperative tape and compileGrad), measured as
// heap plus array-buffer bytes after a full collection, in a child process
// started with --expose-gc. Each pattern runs long enough that the old
// single shared tape grew by more than 15 MB; the bound allows for the one
// partly filled tape a loop may hold at any time.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const root = fileURLToPath(new URL("..", import.meta.url));
const MB = 2 ** 20;

/** Runs `body` (an async module body with `patterns`, `soak` and `liveBytes` in scope) in a child with --expose-gc; returns what it prints as JSON. */
function child<T>(body: string): T {
  const script = `const { patterns, soak, liveBytes } = await import(${JSON.stringify(join(root, "scripts/soak-patterns.ts"))});
const lib = await import(${JSON.stringify(join(root, "lib/index.ts"))});
${body}`;
  const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", "--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop()!) as T;
}

function growth(name: string, steps: number): number {
  const r = child<{ start: number; end: number }>(
    `const p = patterns.find((q) => q.name.startsWith(${JSON.stringify(name)})); console.log(JSON.stringify(soak(p, ${steps})));`);
  return r.end - r.start;
}

for (const [name, steps] of [
  ["forgotten graph", 1500],
  ["skipped backward", 1500],
  ["gradient penalty", 800],
  ["no backward at all", 1500],
  ["compileGrad, a new input shape", 1500],
] as const) {
  test(`a training loop with a ${name} keeps memory flat (${steps} steps grow it by less than 3 MB)`, () => {
    const g = growth(name, steps);
    assert.ok(g < 3 * MB, `grew by ${(g / MB).toFixed(1)} MB`);
  });
}

test("the imperative tape gives back the arrays of a 1.5M-entry graph after its backward", () => {
  const held = child<number>(`
const x = lib.variable(1);
const base = liveBytes();
let y = x;
for (let i = 0; i < 1_500_000; i++) y = lib.mul(y, 1.0000001);
y.backward();
for (let k = 0; k < 3; k++) lib.mul(x, x).backward();
y = null;
console.log(JSON.stringify(liveBytes() - base));`);
  // The graph's arrays alone took 2^21 entries x 26 bytes = 54 MB.
  assert.ok(held < 8 * MB, `still holds ${(held / MB).toFixed(1)} MB`);
});

test.run();
