#!/usr/bin/env node
// The browser test: builds the package (ESM modules, as published, under
// package.json's sideEffects) into a temporary directory, bundles
// examples/browser/main.ts against it with esbuild for the browser, opens
// examples/browser/index.html from file:// in headless Chromium (Debian's
// /usr/bin/chromium, or CHROMIUM=path) driven by playwright-core, and checks
// the gradients the page shows against the hand-derived formulas.
// Nothing is served: the page and its classic script load from disk.
//
//   node scripts/browser.mjs        (exit 0 when the page shows the right numbers)
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildBundles } from "./build.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
// Flags that keep a headless Chromium quiet and self-contained in CI containers.
const flags = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync"];

/** The numbers the page must show, from the formulas (not from dualtape). */
function expected() {
  const [x0, x1] = [1, 2];
  const A = [[1, 2], [3, 4]];
  const w = [1, -1];
  const Aw = A.map((row) => row[0] * w[0] + row[1] * w[1]);
  return {
    value: Math.sin(x0) * x1 + Math.exp(x1),
    gradient: [Math.cos(x0) * x1, Math.sin(x0) + Math.exp(x1)],
    "tensor-gradient": [0, 1].map((j) => 2 * (A[0][j] * Aw[0] + A[1][j] * Aw[1])), // 2 Aᵀ(A w)
  };
}

async function bundlePage(work) {
  const pkg = join(work, "package");
  await buildBundles(join(pkg, "dist"));
  const { name, type, sideEffects } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  writeFileSync(join(pkg, "package.json"), JSON.stringify({ name, type, sideEffects }));
  symlinkSync(join(root, "node_modules"), join(pkg, "node_modules"), "dir"); // its dependencies (acorn), as installed
  const page = join(work, "page");
  const out = await build({
    entryPoints: [join(root, "examples/browser/main.ts")],
    bundle: true, format: "iife", platform: "browser", target: "es2022", minify: true, metafile: true,
    alias: { dualtape: join(pkg, "dist/index.js") },
    tsconfigRaw: {}, // resolve "dualtape" to the built package, not to lib/ through tsconfig paths
    outfile: join(page, "main.js"), logLevel: "warning",
  });
  copyFileSync(join(root, "examples/browser/index.html"), join(page, "index.html"));
  return { html: join(page, "index.html"), bytes: Object.values(out.metafile.outputs)[0].bytes };
}

function close(a, b) {
  return Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
}

async function main() {
  if (!existsSync(executablePath)) {
    throw new Error(`browser: no Chromium at ${executablePath}; install it (apt-get install -y chromium) or set CHROMIUM=/path/to/chrome`);
  }
  const work = mkdtempSync(join(tmpdir(), "dualtape-browser-"));
  const t0 = Date.now();
  let browser;
  try {
    const { html, bytes } = await bundlePage(work);
    process.stdout.write(`bundled examples/browser/main.ts: ${(bytes / 1024).toFixed(1)} kB minified\n`);
    browser = await chromium.launch({ executablePath, headless: true, args: flags });
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    await page.goto(pathToFileURL(html).href);
    await page.waitForSelector("#status[data-state]", { timeout: 30_000 });
    const status = await page.textContent("#status");
    const shown = {};
    for (const id of ["value", "gradient", "forward", "tensor-gradient"]) shown[id] = JSON.parse((await page.textContent(`#${id}`)) ?? "null");
    process.stdout.write(`${browser.version()} (${executablePath}) shows: ${JSON.stringify(shown)}; status "${status}"\n`);
    const want = expected();
    const problems = [...errors.map((e) => `page error: ${e}`)];
    if (status !== "done") problems.push(`status is "${status}"`);
    if (!close(shown.value, want.value)) problems.push(`value ${shown.value}, expected ${want.value}`);
    for (const id of ["gradient", "forward", "tensor-gradient"]) {
      const exp = id === "forward" ? want.gradient : want[id];
      const got = shown[id];
      if (!Array.isArray(got) || got.length !== exp.length || !got.every((g, i) => close(g, exp[i]))) {
        problems.push(`${id} ${JSON.stringify(got)}, expected ${JSON.stringify(exp)}`);
      }
    }
    if (problems.length > 0) throw new Error(`browser: the page is wrong:\n  ${problems.join("\n  ")}`);
    process.stdout.write(`browser: the page shows the right gradients (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
  } finally {
    await browser?.close();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
