// The side-by-side tensor benchmark's yardsticks: each workload's hand-written
// gradient against central differences of its own plain-JS primal, and the
// MLP primal's blocked products against the textbook triple loop.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { workloads, type Workload } from "../../bench/lib/tensor-workloads.ts";

/** The arrays a workload's gradient is taken with respect to, in the hand gradient's order. */
function wrt(w: Workload): Float64Array[] {
  const i = w.input;
  if (i.kind === "lse") return [i.x];
  if (i.kind === "llsq") return [i.x];
  if (i.kind === "mlp") return [i.W1, i.b1, i.W2];
  return [];
}

/** Central difference of the primal along entry k of `a` (restored afterwards). */
function central(w: Workload, a: Float64Array, k: number, h: number): number {
  const x = a[k]!;
  a[k] = x + h;
  const up = w.primal();
  a[k] = x - h;
  const down = w.primal();
  a[k] = x;
  return (up - down) / (2 * h);
}

const all = workloads();

for (const w of all.filter((x) => x.input.kind !== "jac")) {
  test(`${w.name}: the hand-written gradient equals central differences of the plain-JS primal at sampled entries`, () => {
    const hand = w.hand();
    let offset = 0;
    for (const a of wrt(w)) {
      for (const k of [0, 1, (a.length >> 1) + 3, a.length - 1]) {
        const fd = central(w, a, k, 1e-5);
        const g = hand[offset + k]!;
        assert.ok(Math.abs(fd - g) <= 1e-6 * Math.max(1, Math.abs(g)), `${w.name}, entry ${offset + k}: hand ${g}, differences ${fd}`);
      }
      offset += a.length;
    }
    assert.is(offset, hand.length);
  });
}

test("the MLP primal (four-row blocked i-k-j products) equals the textbook triple loop to the bit", () => {
  const w = all.find((x) => x.input.kind === "mlp")!;
  const i = w.input as Extract<Workload["input"], { kind: "mlp" }>;
  const mm = (a: Float64Array, b: Float64Array, n: number, k: number, m: number) => {
    const c = new Float64Array(n * m);
    for (let r = 0; r < n; r++) for (let col = 0; col < m; col++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[r * k + p]! * b[p * m + col]!;
      c[r * m + col] = s;
    }
    return c;
  };
  const h = mm(i.X, i.W1, i.batch, i.inp, i.hidden).map((v, k) => Math.max(v + i.b1[k % i.hidden]!, 0));
  const o = mm(h, i.W2, i.batch, i.hidden, i.out);
  let s = 0;
  for (let k = 0; k < o.length; k++) s += (o[k]! - i.Y[k]!) ** 2;
  assert.is(w.primal(), s / o.length);
});

test("the Jacobian workload's hand Jacobian equals central differences of tanh(W x) by column", () => {
  const w = all.find((x) => x.input.kind === "jac")!;
  const i = w.input as Extract<Workload["input"], { kind: "jac" }>;
  const J = w.hand();
  const f = (x: Float64Array, row: number) => {
    let s = 0;
    for (let j = 0; j < i.n; j++) s += i.W[row * i.n + j]! * x[j]!;
    return Math.tanh(s);
  };
  for (const row of [0, 17, i.m - 1]) {
    for (let j = 0; j < i.n; j++) {
      const up = i.x.slice(); up[j]! += 1e-6;
      const down = i.x.slice(); down[j]! -= 1e-6;
      const fd = (f(up, row) - f(down, row)) / 2e-6;
      assert.ok(Math.abs(fd - J[row * i.n + j]!) < 1e-8, `row ${row}, column ${j}`);
    }
  }
});

test.run();
