/**
 * dualtape/esbuild: a module with compile calls is bundled with the plugin,
 * and the bundle runs in a child process where code generation from strings
 * is disallowed (so `new Function` would throw); the gradients it prints
 * are checked against hand-derived formulas.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dualtape } from "../../../lib/esbuild.ts";
import { precompileModule } from "../../../lib/source/plugin/precompile.ts";
import * as lib from "../../../lib/index.ts";

const dir = mkdtempSync(join(tmpdir(), "dualtape-plugin-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const LIB = new URL("../../../lib/index.ts", import.meta.url).pathname;

/** The module bundled (written to a file so esbuild reads TypeScript from disk). */
const APP = `import { compile, defineOp, sin, scatter } from ${JSON.stringify(LIB)};

const SCALE = 0.5;
const K = SCALE * 4; // 2, folded at build time

function softsq(v: number): number {
  return v * v + SCALE;
}

function energy(x: Float64Array, n: number): number {
  let e = 0;
  for (let i = 0; i + 1 < n; i++) {
    const d = x[i + 1] - x[i];
    e += Math.sqrt(1 + d * d) + SCALE * sin(x[i]) ** 2;
  }
  return e;
}

const WEIGHTS = [0.5, -0.25, K]; // an array constant: only indexed here, so its values are fixed at build time

const softsign = defineOp({
  name: "softsign", arity: 1,
  value: (v) => v / (1 + Math.abs(v)),
  partials: (A, [v]) => [A.div(SCALE * 2, A.square(A.add(1, A.abs(v!))))],
});

function weighted(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < WEIGHTS.length; i++) s += WEIGHTS[i] * softsign(x[i]);
  return s;
}

const E = compile(energy, { wrt: [0], helpers: { sin } });
const S = compile(weighted, { wrt: [0], helpers: { softsign } });
const Q = compile((a: number, b: number) => K * softsq(a) * Math.exp(b), { wrt: [0, 1], helpers: { softsq } });

const P = compile((x: Float64Array, k: number) => [k * x[0] * x[1], Math.sin(x[1]) + k], { wrt: [0, 1] });

// Independent trips: its pullbacks take one fused pass; scattered, the bundle adds each gradient in afterwards.
function pairs(x: Float64Array, n: number): Float64Array {
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    out[2 * i] = x[i] * x[i];
    out[2 * i + 1] = Math.sin(x[i]);
  }
  return out;
}
const R = compile(pairs, { wrt: [0] });

const x = Float64Array.from([0.3, -1.2, 0.7, 2.0]);
const px = Float64Array.from([2, 3]);
const vals = new Float64Array(8);
R.pullbacks([x, 4], [[1, 0, 1, 0, 1, 0, 1, 0], [0, 1, 0, 1, 0, 1, 0, 1]], [scatter(vals, [0, 2, 4, 6]), scatter(vals, [1, 3, 5, 7])]);
const out = {
  grad: Array.from(E.grad(x, x.length) as Float64Array),
  q: Q.grad(0.7, -0.4),
  jvp: Q.jvp([0.7, -0.4], [1, 0]).tangent,
  weighted: Array.from(S.grad(x) as Float64Array),
  pulls: (P.vjp([px, 0.5]).pullbacks([[1, 0], [0, 1], [1, 1]]) as [Float64Array, number][]).map(([gx, gk]) => [...gx, gk]),
  jacobian: Array.from(P.jacobian([px, 0.5], { mode: "reverse", flat: true }) as Float64Array),
  sparse: Array.from(P.jacobian([px, 0.5], { mode: "forward", sparse: true, flat: true }) as Float64Array),
  pattern: Array.from(P.sparsity([px, 0.5]).colIndex),
  scattered: Array.from(vals),
  rows: Array.from(R.pullback([x, 4], [1, 1, 1, 1, 1, 1, 1, 1]) as Float64Array),
};
console.log(JSON.stringify(out));
`;

function appFile(): string {
  const file = join(dir, "app.ts");
  writeFileSync(file, APP);
  return file;
}

const isLib = (s: string) => s.endsWith("lib/index.ts");

async function bundle(entry: string): Promise<string> {
  const r = await build({ entryPoints: [entry], bundle: true, write: false, format: "esm", platform: "node", logLevel: "silent", plugins: [dualtape({ library: isLib })] });
  const file = join(dir, "app.mjs");
  writeFileSync(file, r.outputFiles[0].text);
  return file;
}

test("a bundled module runs with code generation disallowed and its gradients match hand formulas", async () => {
  const file = await bundle(appFile());
  const run = spawnSync(process.execPath, ["--disallow-code-generation-from-strings", file], { encoding: "utf8" });
  assert.is(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout) as { grad: number[]; q: number[]; jvp: number; weighted: number[]; pulls: number[][]; jacobian: number[]; sparse: number[]; pattern: number[]; scattered: number[]; rows: number[] };
  // energy: e = sum_{i<n-1} sqrt(1 + d_i^2) + 0.5 sin(x_i)^2 with d_i = x_{i+1} - x_i.
  const x = [0.3, -1.2, 0.7, 2.0];
  const n = x.length;
  const s = (d: number) => d / Math.sqrt(1 + d * d);
  const expected = x.map((xj, j) => (j >= 1 ? s(x[j] - x[j - 1]) : 0) - (j < n - 1 ? s(x[j + 1] - x[j]) : 0) + (j < n - 1 ? Math.sin(xj) * Math.cos(xj) : 0));
  out.grad.forEach((g, j) => assert.ok(Math.abs(g - expected[j]) < 1e-12, `d/dx${j}: ${g} vs ${expected[j]}`));
  // Q(a, b) = K (a^2 + SCALE) e^b with module constants K = 2, SCALE = 0.5.
  const [a, b] = [0.7, -0.4];
  assert.ok(Math.abs(out.q[0] - 4 * a * Math.exp(b)) < 1e-12);
  assert.ok(Math.abs(out.q[1] - 2 * (a * a + 0.5) * Math.exp(b)) < 1e-12);
  assert.ok(Math.abs(out.jvp - 4 * a * Math.exp(b)) < 1e-12);
  // weighted: sum_i W_i softsign(x_i) over W = [0.5, -0.25, 2], with softsign'(v) = 1 / (1 + |v|)^2.
  const W = [0.5, -0.25, 2];
  assert.is(out.weighted.length, 4);
  out.weighted.forEach((g, j) => {
    const want = j < 3 ? W[j] / (1 + Math.abs(x[j])) ** 2 : 0;
    assert.ok(Math.abs(g - want) < 1e-12, `d weighted/dx${j}: ${g} vs ${want}`);
  });
  // P(x, k) = [k x0 x1, sin x1 + k] at x = (2, 3), k = 0.5: rows [k x1, k x0 | x0 x1] and [0, cos x1 | 1],
  // pulled back in the bundle's adjoint lanes, and as the reverse-mode Jacobian.
  const rows = [[1.5, 1, 6], [0, Math.cos(3), 1]];
  const want = [rows[0]!, rows[1]!, rows[0]!.map((v, j) => v + rows[1]![j]!)];
  out.pulls.forEach((got, r) => got.forEach((g, j) => assert.ok(Math.abs(g - want[r]![j]!) < 1e-12, `pullback ${r}, entry ${j}: ${g}`)));
  out.jacobian.forEach((g, k) => assert.ok(Math.abs(g - rows[Math.floor(k / 3)]![k % 3]!) < 1e-12, `J flat[${k}]: ${g}`));
  // The bundle's sparsity pass: row 0 depends on x0, x1, k; row 1 on x1 and k.
  assert.equal(out.pattern, [0, 1, 2, 1, 2]);
  assert.is(out.sparse.length, 6);
  out.sparse.forEach((g, k) => assert.ok(Math.abs(g - rows[Math.floor(k / 3)]![k % 3]!) < 1e-12, `sparse J flat[${k}]: ${g}`));
  // pairs: d(x_j^2)/dx_j = 2 x_j at 2j, d(sin x_j)/dx_j = cos x_j at 2j + 1; their sum for the cotangent of ones.
  x.forEach((xj, j) => {
    assert.ok(Math.abs(out.scattered[2 * j]! - 2 * xj) < 1e-12, `scattered[${2 * j}]: ${out.scattered[2 * j]}`);
    assert.ok(Math.abs(out.scattered[2 * j + 1]! - Math.cos(xj)) < 1e-12, `scattered[${2 * j + 1}]: ${out.scattered[2 * j + 1]}`);
    assert.ok(Math.abs(out.rows[j]! - (2 * xj + Math.cos(xj))) < 1e-12, `pullback of ones [${j}]: ${out.rows[j]}`);
  });
});

test("without the plugin a bundle fails under the same flag (the test can tell)", async () => {
  const entry = join(dir, "square.ts");
  writeFileSync(entry, `import { compile } from ${JSON.stringify(LIB)};\nconsole.log(compile((x: number) => x * x, { wrt: [0] }).grad(3));\n`);
  const r = await build({ entryPoints: [entry], bundle: true, write: false, format: "esm", platform: "node", logLevel: "silent" });
  const file = join(dir, "plain.mjs");
  writeFileSync(file, r.outputFiles[0].text);
  const run = spawnSync(process.execPath, ["--disallow-code-generation-from-strings", file], { encoding: "utf8" });
  assert.is.not(run.status, 0);
  assert.match(run.stderr, /generated code cannot be loaded/);
});

test("precompiled code agrees with run-time compile on a function with a mask (abs) and a branch", () => {
  const src = `import { compile } from "x/lib/index.ts";
const C = 3;
export const F = compile((x, y) => { let r = Math.abs(x - C) * y; if (x > 0) { r = r + Math.max(x, y); } return r; }, { wrt: [0, 1] });`;
  const out = precompileModule(src, "m.js", isLib, lib as unknown as Record<string, unknown>)!;
  assert.not.match(out, /\bcompile\(/);
  const body = out.replace(/^import .*$/gm, "").replace("export const F =", "return");
  // Test-side loading of the rewritten module text (the child-process test above covers the no-eval run).
  const F = new Function("__dualtape_precompiled", body)(lib.precompiled) as lib.CompiledFunction;
  const G = lib.compile((x: number, y: number) => { let r = Math.abs(x - 3) * y; if (x > 0) { r = r + Math.max(x, y); } return r; }, { wrt: [0, 1] });
  for (const [x, y] of [[1, 2], [5, -1], [-2, 0.5], [3, 1]]) assert.equal(F.grad(x, y), G.grad(x, y));
  // By hand at (5, -1): d/dx = sign(2) * -1 + 1 (max picks x), d/dy = |2|.
  assert.equal(F.grad(5, -1), [0, 2]);
});

test("precompiled code takes matrix arguments (w[i][j]) as run-time compile does, gradients as rows", () => {
  const src = `import { compile } from "x/lib/index.ts";
export const F = compile((w, x) => { let s = 0; for (let i = 0; i < w.length; i++) for (let j = 0; j < w[i].length; j++) s += w[i][j] * x[j] * x[i]; return s; }, { wrt: [0, 1] });`;
  const out = precompileModule(src, "m.js", isLib, lib as unknown as Record<string, unknown>)!;
  const body = out.replace(/^import .*$/gm, "").replace("export const F =", "return");
  const F = new Function("__dualtape_precompiled", body)(lib.precompiled) as lib.CompiledFunction;
  // s = sum_ij w_ij x_j x_i: d/dw_ij = x_j x_i, d/dx_k = sum_j w_kj x_j + sum_i w_ik x_i (by hand).
  const w = [[1, 2], [3, 4]];
  const x = [0.5, -2];
  const [gw, gx] = F.grad(w, x) as [number[][], number[]];
  assert.equal(gw, [[0.25, -1], [-1, 4]]);
  assert.equal(gx, [1 * 0.5 + 2 * -2 + 1 * 0.5 + 3 * -2, 3 * 0.5 + 4 * -2 + 2 * 0.5 + 4 * -2]);
});

test("precompiled code takes object arguments (p.w, destructured) as run-time compile does, gradients as objects", () => {
  const src = `import { compile } from "x/lib/index.ts";
export const F = compile((p, x) => { const { w } = p; let s = p.b; for (let i = 0; i < x.length; i++) s += w[i] * x[i]; return s * p.b; }, { wrt: [0] });`;
  const out = precompileModule(src, "m.js", isLib, lib as unknown as Record<string, unknown>)!;
  const body = out.replace(/^import .*$/gm, "").replace("export const F =", "return");
  const F = new Function("__dualtape_precompiled", body)(lib.precompiled) as lib.CompiledFunction;
  // f = (b + w.x) b: d/dw_i = x_i b, d/db = (b + w.x) + b (by hand).
  const g = F.grad({ w: [1, 2], b: 3 }, [0.5, -1]) as { w: number[]; b: number };
  assert.equal(g, { b: 3 + (0.5 - 2) + 3, w: [1.5, -3] });
});

test("precompiled code takes arrays of objects, map, reduce, entries(), a local object, a spread and a default as run-time compile does", () => {
  const text = `function energy(points, springs, pull = 0.1) {
  const { k, rest } = springs;
  const stretch = rest.map((r, i) => {
    const { x, y } = points[i];
    return Math.hypot(points[i + 1].x - x, points[i + 1].y - y) - r;
  });
  let height = 0;
  for (const p of points) height += p.y;
  const o = { s: 0 };
  for (const [i, v] of stretch.entries()) o.s += v * v * (i + 1);
  return k * stretch.reduce((sum, s) => sum + s * s, 0) + pull * height + Math.max(...stretch) + o.s;
}`;
  const src = `import { compile } from "x/lib/index.ts";\n${text}\nexport const F = compile(energy, { wrt: [0] });`;
  const out = precompileModule(src, "m.js", isLib, lib as unknown as Record<string, unknown>)!;
  const body = out.replace(/^import .*$/gm, "").replace("export const F =", "return");
  const F = new Function("__dualtape_precompiled", body)(lib.precompiled) as lib.CompiledFunction;
  const G = lib.compile((0, eval)(`(${text})`), { wrt: [0] });
  const points = [{ x: 0, y: 0 }, { x: 1.4, y: 0.3 }, { x: 2.1, y: 1.2 }];
  const springs = { k: 2, rest: [1, 1] };
  assert.equal(F.valueAndGrad(points, springs), G.valueAndGrad(points, springs));
  assert.is((F.valueAndGrad(points, springs) as { value: number }).value, (0, eval)(`(${text})`)(points, springs));
});

test("a module constant shadowed by a local of f is left to the local", () => {
  const src = `import { compile } from "x/lib/index.ts";
const C = 3;
export const F = compile((x) => { const C = 2; return C * x * x; }, { wrt: [0] });
export const G = compile((x) => C * x * x, { wrt: [0] });`;
  const out = precompileModule(src, "m.js", isLib, lib as unknown as Record<string, unknown>)!;
  const body = out.replace(/^import .*$/gm, "").replace(/export const (\w) =/g, "const $1 =") + "\nreturn [F, G];";
  const [F, G] = new Function("__dualtape_precompiled", body)(lib.precompiled) as lib.CompiledFunction[];
  assert.is(F!.grad(5), 20); // d/dx 2x^2
  assert.is(G!.grad(5), 30); // d/dx 3x^2
});

test("errors name the file and line and say what to write", () => {
  const bad = (code: string, re: RegExp) => assert.throws(() => precompileModule(`import { compile } from "a/lib/index.ts";\n${code}`, "m.js", isLib, lib as unknown as Record<string, unknown>), re);
  bad("const o = { wrt: [0] };\ncompile((x) => x, o);", /dualtape\/esbuild \(m\.js:3\): the options of compile are not an object literal; write/);
  bad("compile(g, { wrt: [0] });", /the function passed to compile is not a function literal or a module-level function; declare/);
  bad("const h = 2 + Date.now();\ncompile((x) => x, { wrt: [0], helpers: { h } });", /the helper h is neither a dualtape import, a module-level function nor a module-level defineOp; import ops/);
});

test("array constants: only a module-private array that is only indexed is written in, else the build says why", () => {
  const run = (code: string) => precompileModule(`import { compile } from "a/lib/index.ts";
${code}`, "m.js", isLib, lib as unknown as Record<string, unknown>);
  const ok = run("const N = 2;\nconst W = new Float64Array([1.5, -N, 1 / 0]);\nexport const F = compile((x) => W[0] * x * x + W[1] * x + W.length, { wrt: [0] });")!;
  const F = new Function("__dualtape_precompiled", ok.replace(/^import .*$/gm, "").replace("export const F =", "return"))(lib.precompiled) as lib.CompiledFunction;
  assert.is(F.grad(3), 1.5 * 2 * 3 - 2); // d/dx (1.5 x^2 - 2 x + 3)
  const bad = (code: string, re: RegExp) => assert.throws(() => run(code), re);
  const use = "\ncompile((x) => W[0] * x, { wrt: [0] });";
  bad(`const W = [1, 2];\nW[0] = 5;${use}`, /dualtape\/esbuild \(m\.js:4\): the module array 'W' read by a compiled function has its elements written by the module; keep it/);
  bad(`const W = [1, 2];\nW[1]++;${use}`, /'W' read by a compiled function has its elements written by the module/);
  bad(`export const W = [1, 2];${use}`, /the module array 'W' read by a compiled function is exported, so another module could change its elements/);
  bad(`const W = [1, 2];\nexport { W };${use}`, /is exported/);
  bad(`const W = [1, 2];\nfoo(W);${use}`, /is used other than by reading its elements or length/);
  bad(`const W = [1, 2];\nW.fill(0);${use}`, /has its method or property 'fill' used/);
  // An array the compiled function does not read is no concern of the build.
  assert.ok(run(`const W = [1, 2];\nW[0] = 5;\ncompile((x) => x * x, { wrt: [0] });`) !== null);
});

test("a module's own defineOp op: made at build time from its spec, refused when the spec reads module values", () => {
  const run = (code: string) => precompileModule(`import { compile, defineOp } from "a/lib/index.ts";
${code}`, "m.js", isLib, lib as unknown as Record<string, unknown>);
  const out = run(`const C = 3;
const cubeish = defineOp({ name: "cubeishPlugin", arity: 1, value: (v) => C * v * v * v, partials: (A, [v]) => [A.mul(3 * C, A.square(v))] });
export const F = compile((x) => cubeish(x) + x, { wrt: [0], helpers: { cubeish } });`)!;
  assert.match(out, /rt\.op\("cubeishPlugin"\)/);
  assert.not.ok(lib.findOp("cubeishPlugin"), "the build registers nothing");
  // The bundle defines the op itself before the precompiled call looks it up.
  lib.defineOp({ name: "cubeishPlugin", arity: 1, value: (v) => 3 * v * v * v, partials: (A, [v]) => [A.mul(9, A.square(v!))] });
  const F = new Function("__dualtape_precompiled", out.replace(/^import .*$/gm, "").replace(/^const cubeish = .*$/m, "").replace("export const F =", "return"))(lib.precompiled) as lib.CompiledFunction;
  assert.is(F.grad(2), 9 * 4 + 1); // d/dx (3 x^3 + x)
  const bad = (code: string, re: RegExp) => assert.throws(() => run(code), re);
  bad(`const k = Date.now();\nconst f = defineOp({ name: "f1", arity: 1, value: (v) => k * v, partials: () => [k] });\ncompile((x) => f(x), { wrt: [0], helpers: { f } });`,
    /the defineOp spec of helper 'f' reads 'k', which the plugin cannot know at build time; write value and partials with their arguments/);
});

test("precompiled refuses anything but the record the plugin writes", () => {
  for (const bad of [undefined, {}, { make: () => ({}) }, 3]) {
    assert.throws(() => lib.precompiled(bad as never), /^precompiled: got .*, not the record dualtape\/esbuild writes; call compile\(f, options\)/);
  }
});

test("a module without dualtape's compile is left alone", () => {
  assert.is(precompileModule(`import { compile } from "other";\ncompile(() => 1);`, "m.js", isLib, {}), null);
});

test.run();
