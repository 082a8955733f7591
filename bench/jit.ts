/**
 * Compiled tensor gradients (`node scripts/run-bundled.mjs bench/jit.ts`,
 * never part of npm test): for each workload, the gradient through
 * compileGrad (the fused tensor plan) and through grad (records every call),
 * each as a ratio to a plain-JS primal written with Float64Array loops,
 * timed in one process.
 */
import { compileGrad, grad, randn, log, sum, exp, sub, square, mul, matmul, relu, add, mean, Tensor, type Lifted } from "../lib/index.ts";
import { loadavg } from "node:os";
import { compare, type TimingOptions, type Comparison } from "./lib/timing.ts";

const TIMING: TimingOptions = { minMs: 300, maxMs: 2000 };
const ROUNDS = 3;

/** The comparison with the median ratio. */
function median(xs: Comparison[]): Comparison {
  return xs.slice().sort((a, b) => a.ratio - b.ratio)[xs.length >> 1];
}

interface Workload {
  name: string;
  f: (x: Lifted) => Lifted | number;
  x: unknown;
  primal: () => number;
}

function lse(n: number): Workload {
  const x = randn([n], { seed: 1 });
  const d = x.data;
  return {
    name: `lse gradient, n = ${n}`,
    f: ((v: Lifted) => log(sum(exp(v)))) as unknown as (x: Lifted) => Lifted,
    x,
    primal: () => {
      let s = 0;
      for (let i = 0; i < d.length; i++) s += Math.exp(d[i]);
      return Math.log(s);
    },
  };
}

function llsq(n: number, m: number): Workload {
  const A = new Float64Array(n * m);
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = -1 + (2 * i) / (n - 1);
    s[i] = Math.sign(t);
    let p = 1;
    for (let j = 0; j < m; j++, p *= t) A[i * m + j] = p;
  }
  const At = new Tensor(A, [n, m]);
  const st = new Tensor(s, [n]);
  const x = randn([m], { seed: 2 });
  const xd = x.data;
  return {
    name: `llsq vector form, ${n} x ${m}`,
    f: ((v: Lifted) => mul(0.5, sum(square(sub(st, matmul(At, v)))))) as unknown as (x: Lifted) => Lifted,
    x,
    primal: () => {
      let total = 0;
      for (let i = 0; i < n; i++) {
        let fit = 0;
        for (let j = 0; j < m; j++) fit += A[i * m + j] * xd[j];
        const r = s[i] - fit;
        total += r * r;
      }
      return 0.5 * total;
    },
  };
}

/** Plain-JS C = A B for row-major n x k and k x m. */
function plainMatmul(a: Float64Array, b: Float64Array, n: number, k: number, m: number): Float64Array {
  const c = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p];
      for (let j = 0; j < m; j++) c[i * m + j] += av * b[p * m + j];
    }
  }
  return c;
}

function mlp(batch: number, inp: number, hidden: number, out: number): Workload {
  const X = randn([batch, inp], { seed: 3 });
  const Y = randn([batch, out], { seed: 4 });
  const W1 = randn([inp, hidden], { seed: 5 });
  const b1 = randn([hidden], { seed: 6 });
  const W2 = randn([hidden, out], { seed: 7 });
  return {
    name: `MLP ${batch}x${inp} -> ${hidden} relu -> ${out}, MSE, all weights`,
    f: (([w1, c1, w2]: Lifted[]) => mean(square(sub(matmul(relu(add(matmul(X, w1), c1)), w2), Y)))) as unknown as (x: Lifted) => Lifted,
    x: [W1, b1, W2],
    primal: () => {
      const h = plainMatmul(X.data, W1.data, batch, inp, hidden);
      for (let i = 0; i < h.length; i++) h[i] = Math.max(h[i] + b1.data[i % hidden], 0);
      const o = plainMatmul(h, W2.data, batch, hidden, out);
      let s = 0;
      for (let i = 0; i < o.length; i++) s += (o[i] - Y.data[i]) ** 2;
      return s / o.length;
    },
  };
}

function fmt(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(0)} us` : `${ms.toFixed(2)} ms`;
}

function main(): void {
  console.log(`load average: ${loadavg().map((v) => v.toFixed(2)).join(" ")}`);
  console.log("| workload | plain-JS primal | compiled gradient | compiled / primal | grad (records each call) | grad / primal | fused loops | pool / buffered |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const w of [lse(200_000), lse(1_280_000), llsq(4096, 64), mlp(256, 128, 256, 10)]) {
    const cg = compileGrad(w.f);
    cg(w.x as Lifted);
    cg(w.x as Lifted);
    const plain = grad(w.f);
    // Rounds alternate compiled and uncompiled, each bracketed by the primal; the medians are reported.
    const cs: Comparison[] = [];
    const us: Comparison[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      cs.push(compare(() => cg(w.x as Lifted), w.primal, TIMING));
      us.push(compare(() => plain(w.x as Lifted), w.primal, TIMING));
    }
    const c = median(cs);
    const u = median(us);
    const plan = cg.plan;
    const loops = plan === null ? "replay" : String(plan.steps.filter((s) => s.kind === "group").length);
    const pool = plan === null ? "-" : `${plan.poolSize} / ${plan.buffered}`;
    console.log(`| ${w.name} | ${fmt(c.baseMs)} | ${fmt(c.ms)} | ${c.ratio.toFixed(2)}x | ${fmt(u.ms)} | ${u.ratio.toFixed(2)}x | ${loops} | ${pool} |`);
  }
}

main();
