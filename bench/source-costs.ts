/**
 * The cost model of jacobian 'auto' for compiled functions (COMPILED_COST in
 * lib/source/jacobian.ts): the time of one forward pass of LANES directions,
 * of the forward sweep of reverse mode and of one adjoint sweep (one row),
 * as multiples of the plain-JS primal, on the programs of
 * bench/lib/problems.ts. A reverse Jacobian sweeps forward once and then
 * runs one adjoint sweep per row, so its time is sweep + m * row: the row
 * cost comes from the programs with many outputs, the sweep from those
 * with one. Prints a markdown table, then checks the constants on an n x m
 * grid of F: the mode 'auto' picks against the faster of the two.
 *
 *   node scripts/run-bundled.mjs bench/source-costs.ts
 */
import { compare } from "./lib/timing.ts";
import { sumProblem, recurrenceProblem, gridProblem, type Problem } from "./lib/problems.ts";
import { LANES } from "../lib/source/lanes.ts";
import { COMPILED_COST } from "../lib/source/jacobian.ts";

const problems: Problem[] = [sumProblem(256), sumProblem(4096), recurrenceProblem(256), recurrenceProblem(4096), gridProblem(64, 64), gridProblem(256, 256)];

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

const rows = problems.map((p) => {
  const { fn, args } = p.compiled;
  const fwd = compare(() => fn.jacobian(args, { mode: "forward" }), p.plain).ratio / Math.ceil(p.n / LANES);
  const rev = compare(() => fn.jacobian(args, { mode: "reverse" }), p.plain).ratio;
  return { label: p.label, m: p.m, fwd, rev };
});
console.log(`| program | outputs | forward pass of ${LANES} lanes / primal | reverse Jacobian / primal |\n|---|---|---|---|`);
for (const r of rows) console.log(`| ${r.label} | ${r.m} | ${r.fwd.toFixed(2)} | ${r.rev.toFixed(2)} |`);
const row = median(rows.filter((r) => r.m > 1).map((r) => r.rev / r.m));
const sweep = median(rows.filter((r) => r.m === 1).map((r) => r.rev - row));
console.log(`\nmedians: forward ${median(rows.map((r) => r.fwd)).toFixed(2)}, sweep ${sweep.toFixed(2)}, row ${row.toFixed(2)} (COMPILED_COST now ${JSON.stringify(COMPILED_COST)})`);

// 'auto' against the faster mode on a grid (each mode timed, then compared).
console.log(`\n| F n x m | forward / primal | reverse / primal | 'auto' picks | pick / best |\n|---|---|---|---|---|`);
const picks: number[] = [];
for (const n of [2, 8, 32, 128]) {
  for (const m of [2, 8, 32, 128]) {
    const p = gridProblem(n, m);
    const { fn, args } = p.compiled;
    const f = compare(() => fn.jacobian(args, { mode: "forward" }), p.plain).ratio;
    const r = compare(() => fn.jacobian(args, { mode: "reverse" }), p.plain).ratio;
    const pick = fn.explain(args).mode;
    const ratio = (pick === "forward" ? f : r) / Math.min(f, r);
    picks.push(ratio);
    console.log(`| ${n} x ${m} | ${f.toFixed(1)} | ${r.toFixed(1)} | ${pick} | ${ratio.toFixed(2)} |`);
  }
}
console.log(`\n'auto' pick / best: median ${median(picks).toFixed(2)}, worst ${Math.max(...picks).toFixed(2)}`);
