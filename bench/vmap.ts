/**
 * Batched lanes and vmap (`node scripts/run-bundled.mjs bench/vmap.ts`,
 * never part of npm test): the Jacobian of tanh(W x) for n = 10 inputs and
 * m = 1000 outputs by jacfwd and by jacrev, and vmap of the same function
 * over a batch of 100 inputs against a loop over the batch, each as a ratio
 * to a plain-JS primal (hand-written Float64Array loops) timed in the same
 * run. Prints a table and the 1-minute load average.
 */
import { loadavg } from "node:os";
import { randn, matmul, tanh, jacfwd, jacrev, vmap, index, type Lifted } from "../lib/index.ts";
import { compare, type TimingOptions } from "./lib/timing.ts";

const TIMING: TimingOptions = { minMs: 400, maxMs: 4000 };
const [n, m, batch] = [10, 1000, 100];
const W = randn([m, n], { seed: 1 });
const x = randn([n], { seed: 2 });
const X = randn([batch, n], { seed: 3 });
const f = (v: Lifted) => tanh(matmul(W, v));

/** Plain-JS tanh(W x) for one x. */
function plain(w: Float64Array, xs: Float64Array, out: Float64Array): Float64Array {
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += w[i * n + k]! * xs[k]!;
    out[i] = Math.tanh(s);
  }
  return out;
}

const out = new Float64Array(m);
const primal = () => plain(W.data, x.data, out);
const primalBatch = () => {
  for (let b = 0; b < batch; b++) plain(W.data, X.data.subarray(b * n, (b + 1) * n), out);
  return out;
};

const rows: [string, number, number][] = [];
const time = (name: string, fn: () => unknown, base: () => unknown) => {
  const c = compare(fn, base, TIMING);
  rows.push([name, c.ms, c.ratio]);
};
time(`jacfwd, n=${n} -> m=${m}`, () => jacfwd(f)(x), primal);
time(`jacrev, n=${n} -> m=${m}`, () => jacrev(f)(x), primal);
time(`vmap over ${batch} inputs`, () => vmap(f)(X), primalBatch);
time(`loop over ${batch} inputs`, () => {
  for (let b = 0; b < batch; b++) f(index(X, b) as unknown as Lifted);
}, primalBatch);

console.log(`load average (1 min): ${loadavg()[0]!.toFixed(2)}`);
console.log("| workload | ms | / plain-JS primal |\n|---|---|---|");
for (const [name, ms, ratio] of rows) console.log(`| ${name} | ${ms.toFixed(3)} | ${ratio.toFixed(1)}x |`);
