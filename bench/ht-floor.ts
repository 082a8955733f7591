/**
 * A lower bound for ht's Jacobian by any method that writes it densely:
 * the time to assemble its 3N x 28 rows from the model's vertex derivatives
 * when those are given for free (random numbers stand in for them), over
 * the plain-JS primal, on the eval's big model with N synthetic
 * correspondences. Row 3i + j of the complicated variant is
 * -(u0 dV_a + u1 dV_b + u2 dV_e)[j] in the 26 theta columns and
 * V_e - V_a, V_e - V_b in the two us columns, for correspondence i's
 * triangle (a, b, e) at barycentric (u0, u1): three multiply-adds per
 * entry, where the primal does three per row.
 *
 *   node scripts/run-bundled.mjs bench/ht-floor.ts [N ...]
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Random, htInput } from "./gradbench/generate.ts";
import { parseHt, htArgs } from "./gradbench/modules/ht-input.ts";
import { htPlain } from "./gradbench/plain/ht.ts";
import { compare } from "./lib/timing.ts";

const here = dirname(fileURLToPath(import.meta.url));
const golden = readFileSync(join(here, "gradbench", "cases", "ht.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const big = golden.find((c) => c.function === "objective" && String(c.description).startsWith("complicated_big"));

/** The row assembly of the Jacobian from given vertex derivatives (dV: vertices x 3 x 26), into J. */
function assemble(args: unknown[], posed: Float64Array, dV: Float64Array, J: Float64Array): void {
  const triangles = args[11] as ArrayLike<number>, corr = args[12] as ArrayLike<number>, us = args[14] as ArrayLike<number>, n = args[15] as number;
  for (let i = 0; i < n; i++) {
    const c = corr[i]!;
    const a = triangles[3 * c]!, b = triangles[3 * c + 1]!, e = triangles[3 * c + 2]!;
    const u0 = us[2 * i]!, u1 = us[2 * i + 1]!, u2 = 1 - u0 - u1;
    for (let j = 0; j < 3; j++) {
      const row = (3 * i + j) * 28;
      J[row] = posed[3 * e + j]! - posed[3 * a + j]!;
      J[row + 1] = posed[3 * e + j]! - posed[3 * b + j]!;
      const da = (3 * a + j) * 26, db = (3 * b + j) * 26, de = (3 * e + j) * 26;
      for (let t = 0; t < 26; t++) J[row + 2 + t] = -(u0 * dV[da + t]! + u1 * dV[db + t]! + u2 * dV[de + t]!);
    }
  }
}

console.log("| correspondences | plain-JS primal | assembling J from free vertex derivatives / primal |\n|---|---|---|");
for (const count of process.argv.slice(2).map(Number).filter((k) => k > 0).concat(process.argv.length > 2 ? [] : [1000, 10000])) {
  const inp = parseHt(htInput(new Random(31337), big.input, count, true));
  const args = htArgs(inp, 0, 0);
  const vertices = args[9] as number;
  const dV = Float64Array.from({ length: vertices * 3 * 26 }, (_, i) => Math.sin(i));
  const posed = Float64Array.from({ length: vertices * 3 }, (_, i) => Math.cos(i));
  const J = new Float64Array(3 * count * 28);
  const r = compare(() => assemble(args, posed, dV, J), () => htPlain(inp));
  console.log(`| ${count} | ${r.baseMs.toFixed(3)} ms | ${r.ratio.toFixed(2)}x |`);
}
