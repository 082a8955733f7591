#!/usr/bin/env node
// The packed package as TypeScript users get it: `npm pack` (which runs the
// `prepare` build), then one scratch consumer project per TypeScript version
// under a temporary directory, each installing the tarball and that
// TypeScript from the registry, and `tsc` run strict with skipLibCheck off
// for every resolution and module kind. The consumer code is then run with
// node (ESM and CommonJS) from the installed package. Prints a matrix and
// exits non-zero if any cell fails.
//
//   node scripts/consumers.mjs [--ts 5.0,5.4,5.7,6,latest] [--keep]
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const tsAt = args.indexOf("--ts");
const versions = (tsAt >= 0 ? args[tsAt + 1] : "5.0,5.4,5.7,6,latest").split(",");
const keep = args.includes("--keep");

// Each column: a folder of the consumer project (its package.json "type"
// decides ESM or CommonJS under node16/nodenext) and the compiler options.
const kinds = [
  { name: "node16 esm", dir: "esm", file: "use.ts", options: { module: "node16", moduleResolution: "node16" } },
  { name: "node16 cjs", dir: "cjs", file: "use.ts", options: { module: "node16", moduleResolution: "node16" } },
  { name: "nodenext esm", dir: "esm", file: "use.ts", options: { module: "nodenext", moduleResolution: "nodenext" } },
  { name: "nodenext cjs", dir: "cjs", file: "use.ts", options: { module: "nodenext", moduleResolution: "nodenext" } },
  { name: "bundler esm", dir: "esm", file: "use.ts", options: { module: "esnext", moduleResolution: "bundler" }, since: 5000 },
];

/** "5.4.5" -> 5004, for comparing with a kind's `since`. */
function minor(version) {
  const [major, min] = version.split(".").map(Number);
  return major * 1000 + min;
}

// Uses values, classes, types and generics from the public entry, so a
// declaration that does not resolve or typecheck fails here (an `any` would
// not: noImplicitAny reports nothing for it, hence the explicit type checks).
const consumer = (importLine) => `${importLine}

const f = (x: Lifted[]): Value => add(mul(sin(x[0]!), x[1]!), exp(x[1]!));
const g: number[] = grad(f)([1, 2]) as number[];
const t: Tensor = tensor([[1, 2], [3, 4]]);
const m: Tensor = matmul(t, t) as Tensor;
const v: Var = variable(2);
const y = mul(v, sin(v)) as Var;
y.backward();
const d: Dual = dual(1, 1);
// Op methods reach Tensor, Dual and Var by module augmentation in the declarations.
const e: Tensor = t.exp();
const vm: Var = v.mul(2);
const name: string | null = y.gradFn;
let caught = "";
try { add(zeros([2, 3]), zeros([4])); } catch (e) { if (e instanceof ShapeError) caught = e.api; }
const opt = new SGD([v], { lr: 0.1 });
opt.zeroGrad();
// @ts-expect-error a string is not a Value: the declarations are typed, not any
const refused = () => add("a", 1);
console.log(JSON.stringify({ g, m: m.toArray(), e: e.size, vm: vm.value, grad: v.grad, d: d.value, name, caught, refused: typeof refused }));
`;

function sh(cmd, argv, cwd) {
  const r = spawnSync(cmd, argv, { cwd, encoding: "utf8", maxBuffer: 1 << 26 });
  return { ok: r.status === 0, out: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}

function writeJson(path, value) {
  writeFileSync(path, JSON.stringify(value, null, 2));
}

function pack(work) {
  const r = sh("npm", ["pack", "--silent", "--pack-destination", work], root);
  if (!r.ok) throw new Error(`consumers: npm pack failed:\n${r.out}`);
  const tgz = readdirSync(work).find((f) => f.endsWith(".tgz"));
  if (tgz === undefined) throw new Error("consumers: npm pack wrote no tarball");
  return join(work, tgz);
}

const imports = "add, mul, sin, exp, grad, tensor, matmul, variable, dual, zeros, ShapeError, SGD, Tensor, Var, Dual, type Lifted, type Value";

function project(work, version, tarball) {
  const dir = join(work, `ts-${version}`);
  mkdirSync(dir);
  writeJson(join(dir, "package.json"), { name: `consumer-ts-${version.replace(/\W/g, "")}`, private: true, version: "1.0.0" });
  const r = sh("npm", ["install", "--no-audit", "--no-fund", "--silent", tarball, `typescript@${version}`, "@types/node@20"], dir);
  if (!r.ok) throw new Error(`consumers: npm install in ${dir} failed:\n${r.out}`);
  for (const [sub, type, line] of [
    ["esm", "module", `import { ${imports} } from "dualtape";`],
    ["cjs", "commonjs", `import { ${imports} } from "dualtape";`],
  ]) {
    mkdirSync(join(dir, sub));
    writeJson(join(dir, sub, "package.json"), { type });
    writeFileSync(join(dir, sub, "use.ts"), consumer(line));
  }
  return dir;
}

function typecheck(dir, kind) {
  const config = `tsconfig.${kind.name.replace(/ /g, "-")}.json`;
  writeJson(join(dir, kind.dir, config), {
    compilerOptions: { ...kind.options, target: "es2022", strict: true, skipLibCheck: false, types: ["node"], outDir: `out-${kind.name.replace(/ /g, "-")}`, rootDir: "." },
    files: [kind.file],
  });
  const tsc = sh(process.execPath, [join(dir, "node_modules/typescript/bin/tsc"), "-p", config], join(dir, kind.dir));
  if (!tsc.ok) return { ok: false, detail: tsc.out };
  // Bundler resolution emits ESM for a bundler; node runs it too (package "type": "module").
  const out = join(dir, kind.dir, `out-${kind.name.replace(/ /g, "-")}`, "use.js");
  const run = sh(process.execPath, [out], join(dir, kind.dir));
  if (!run.ok || !run.out.includes('"caught":"add"')) return { ok: false, detail: `tsc passed, running ${out} failed:\n${run.out}` };
  return { ok: true, detail: "" };
}

function tscVersion(dir) {
  return sh(process.execPath, [join(dir, "node_modules/typescript/bin/tsc"), "--version"], dir).out.trim().replace("Version ", "");
}

const work = mkdtempSync(join(tmpdir(), "dualtape-consumers-"));
let failures = 0;
try {
  const t0 = Date.now();
  const tarball = pack(work);
  process.stdout.write(`packed ${tarball} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  const rows = [];
  for (const version of versions) {
    const t1 = Date.now();
    const dir = project(work, version, tarball);
    const installed = tscVersion(dir);
    // A resolution mode the compiler does not have yet is not applicable, not a failure.
    const cells = kinds.map((kind) => (kind.since !== undefined && minor(installed) < kind.since ? { ok: true, na: true, detail: "" } : typecheck(dir, kind)));
    rows.push({ version: installed, cells });
    for (const [i, c] of cells.entries()) {
      if (!c.ok) {
        failures += 1;
        process.stdout.write(`\n--- TypeScript ${version}, ${kinds[i].name}: FAIL\n${c.detail}\n`);
      }
    }
    process.stdout.write(`TypeScript ${installed}: ${cells.filter((c) => c.ok && !c.na).length}/${cells.filter((c) => !c.na).length} in ${((Date.now() - t1) / 1000).toFixed(1)} s\n`);
  }
  const header = ["TypeScript", ...kinds.map((k) => k.name)];
  const lines = [header, header.map(() => "---"), ...rows.map((r) => [r.version, ...r.cells.map((c) => (c.na ? "n/a" : c.ok ? "ok" : "FAIL"))])];
  process.stdout.write(`\ntsc (strict, skipLibCheck: false) then node, on the packed tarball:\n\n${lines.map((l) => `| ${l.join(" | ")} |`).join("\n")}\n`);
} finally {
  if (keep) process.stdout.write(`kept ${work}\n`);
  else rmSync(work, { recursive: true, force: true });
}
process.stdout.write(`\nconsumers: ${failures === 0 ? "all passed" : `${failures} failed`}\n`);
process.exit(failures === 0 ? 0 : 1);
