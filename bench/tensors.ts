/**
 * Tensor workloads (`npm run bench:tensors`, never part of npm test): the
 * gradient of a 256 x 256 matmul and of a 2-layer MLP's loss, each as a
 * ratio to a plain-JS forward pass of the same computation (hand-written
 * loops over Float64Arrays) timed in the same run, plus the number of tape
 * entries each recording makes per tensor op. Writes
 * bench/results/tensors.md and .json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  variable, randn, matmul, add, sub, mul, relu, mean, square, sum, grad, jvp, ones, Tensor, type Var, type Lifted,
} from "../lib/index.ts";
import { compare, type TimingOptions } from "./lib/timing.ts";
import { machineInfo, describeMachine, finishMachine } from "./lib/machine.ts";
import { markdown, ratio, duration } from "./lib/table.ts";
import { progress } from "./lib/progress.ts";

const TIMING: TimingOptions = { minMs: 400, maxMs: 4000 };

/** Plain-JS C = A B for row-major n x k and k x m (i-k-j order, like the library's kernel). */
function plainMatmul(a: Float64Array, b: Float64Array, n: number, k: number, m: number): Float64Array {
  const c = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p]!;
      for (let j = 0; j < m; j++) c[i * m + j]! += av * b[p * m + j]!;
    }
  }
  return c;
}

interface Row {
  workload: string;
  primalMs: number;
  gradMs: number;
  gradRatio: number;
  jvpRatio: number;
  tensorOps: number;
  entries: number;
}

/** Entries recorded on a fresh imperative graph by `build` (from its first leaf to its output). */
function entriesOf(build: () => { leaves: Var[]; out: Var }): number {
  const { leaves, out } = build();
  const first = Math.min(...leaves.map((l) => l.id));
  const n = out.id - first + 1 - leaves.length;
  out.backward();
  return n;
}

function matmulRow(): Row {
  const n = 256;
  const A = randn([n, n], { seed: 1 });
  const B = randn([n, n], { seed: 2 });
  const f = (a: Lifted) => sum(matmul(a, B));
  const cmp = compare(() => grad(f)(A), () => plainMatmul(A.data, B.data, n, n, n), TIMING);
  const fwd = compare(() => jvp(f, A, ones([n, n])), () => plainMatmul(A.data, B.data, n, n, n), TIMING);
  const entries = entriesOf(() => {
    const a = variable(A);
    return { leaves: [a], out: sum(matmul(a, B)) as Var };
  });
  return { workload: "sum(matmul(A, B)), 256 x 256, d/dA", primalMs: cmp.baseMs, gradMs: cmp.ms, gradRatio: cmp.ratio, jvpRatio: fwd.ratio, tensorOps: 2, entries };
}

function mlpRow(): Row {
  const [batch, inp, hidden, out] = [64, 128, 256, 10];
  const X = randn([batch, inp], { seed: 3 });
  const Y = randn([batch, out], { seed: 4 });
  const W1 = randn([inp, hidden], { seed: 5 });
  const b1 = randn([hidden], { seed: 6 });
  const W2 = randn([hidden, out], { seed: 7 });
  const loss = (w1: Lifted | Tensor, c1: Lifted | Tensor, w2: Lifted | Tensor) =>
    mean(square(sub(matmul(relu(add(matmul(X, w1), c1)), w2), Y)));
  const plain = () => {
    const h = plainMatmul(X.data, W1.data, batch, inp, hidden);
    for (let i = 0; i < h.length; i++) h[i] = Math.max(h[i]! + b1.data[i % hidden]!, 0);
    const o = plainMatmul(h, W2.data, batch, hidden, out);
    let s = 0;
    for (let i = 0; i < o.length; i++) s += (o[i]! - Y.data[i]!) ** 2;
    return s / o.length;
  };
  const imperativeGrad = () => {
    const [w1, c1, w2] = [variable(W1), variable(b1), variable(W2)];
    (loss(w1, c1, w2) as Var).backward();
    return [w1.grad, c1.grad, w2.grad];
  };
  const cmp = compare(imperativeGrad, plain, TIMING);
  const fwd = compare(() => jvp((w: Lifted) => loss(w, b1, W2), W1, ones([inp, hidden])), plain, TIMING);
  const entries = entriesOf(() => {
    const [w1, c1, w2] = [variable(W1), variable(b1), variable(W2)];
    return { leaves: [w1, c1, w2], out: loss(w1, c1, w2) as Var };
  });
  return { workload: "2-layer MLP loss 64x128 -> 256 (relu) -> 10, all weights", primalMs: cmp.baseMs, gradMs: cmp.ms, gradRatio: cmp.ratio, jvpRatio: fwd.ratio, tensorOps: 7, entries };
}

function main(): void {
  const machine = machineInfo();
  const bar = progress(2);
  bar.step("matmul 256 x 256");
  const rows = [matmulRow()];
  bar.step("2-layer MLP");
  rows.push(mlpRow());
  bar.done();
  finishMachine(machine);
  const table = markdown({
    title: "Tensor workloads: gradient and one forward direction against a plain-JS forward pass",
    header: ["workload", "plain-JS primal", "gradient", "gradient / primal", "jvp / primal", "tensor ops", "tape entries"],
    rows: rows.map((r) => [r.workload, duration(r.primalMs), duration(r.gradMs), ratio(r.gradRatio), ratio(r.jvpRatio), String(r.tensorOps), String(r.entries)]),
    note: "Gradient: reverse mode (record + sweep; the MLP through variable/backward for all three weight tensors). Tape entries: entries recorded from the first leaf to the loss, leaves excluded: one per tensor op.",
  });
  const md = `## dualtape tensor workloads\n\nMachine: ${describeMachine(machine)}.\n\n${table}`;
  console.log(md);
  const dir = join(dirname(fileURLToPath(import.meta.url)), "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "tensors.md"), md);
  writeFileSync(join(dir, "tensors.json"), JSON.stringify({ machine, rows }, null, 2));
  console.error(`wrote ${join(dir, "tensors.md")} and tensors.json`);
}

main();
