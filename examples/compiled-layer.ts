/**
 * A small neural network's loss as plain TypeScript with matrices: the
 * weights are `number[][]` read as `w[i][j]`, the samples rows of a
 * matrix, the loop `for...of` and `switch`. `compile` differentiates it
 * with respect to the weights; gradients come back as rows, shaped as the
 * weights, and agree with backpropagation written by hand.
 *
 * Loss = Σ_samples (y - t)², y = Σ_j v_j h_j, h_j = act(Σ_k w_jk x_k + b_j),
 * act = tanh (or the identity). By hand, with g = 2 (y - t) per sample:
 * dL/dv_j = g h_j, dL/db_j = g v_j act'(z_j), dL/dw_jk = g v_j act'(z_j) x_k.
 *
 * Run: npx tsx examples/compiled-layer.ts
 */
import { pathToFileURL } from "node:url";
import { compile } from "../lib/index.ts";

/**
 * The squared error of a one-hidden-layer network over the samples (rows
 * of `xs`, targets `ts`); `kind` 0 is tanh, 1 the identity.
 *
 * @example
 * ```ts
 * loss([[0.1, 0.2]], [0, 0], [1, -1], [[1, 0]], [0.5], 0); // one sample
 * ```
 */
export function loss(w: number[][], b: number[], v: number[], xs: number[][], ts: number[], kind: number): number {
  let total = 0;
  for (let s = 0; s < xs.length; s++) {
    let y = 0;
    for (let j = 0; j < w.length; j++) {
      let z = b[j]!;
      for (let k = 0; k < w[j]!.length; k++) z += w[j]![k]! * xs[s]![k]!;
      let h;
      switch (kind) {
        case 0: h = Math.tanh(z); break;
        default: h = z;
      }
      y += v[j]! * h;
    }
    total += (y - ts[s]!) ** 2;
  }
  return total;
}

/** The gradients by hand (backpropagation), shaped as the weights. @example `byHand(w, b, v, xs, ts, 0).w[0]` */
export function byHand(w: number[][], b: number[], v: number[], xs: number[][], ts: number[], kind: number): { w: number[][]; b: number[]; v: number[] } {
  const gw = w.map((row) => row.map(() => 0));
  const gb = b.map(() => 0);
  const gv = v.map(() => 0);
  xs.forEach((x, s) => {
    const z = w.map((row, j) => row.reduce((acc, wjk, k) => acc + wjk * x[k]!, b[j]!));
    const h = z.map((zj) => (kind === 0 ? Math.tanh(zj) : zj));
    const g = 2 * (h.reduce((acc, hj, j) => acc + v[j]! * hj, 0) - ts[s]!);
    h.forEach((hj, j) => {
      gv[j]! += g * hj;
      const dz = g * v[j]! * (kind === 0 ? 1 - hj * hj : 1);
      gb[j]! += dz;
      x.forEach((xk, k) => (gw[j]![k]! += dz * xk));
    });
  });
  return { w: gw, b: gb, v: gv };
}

/**
 * The compiled gradient with respect to w, b and v, and a few steps of
 * gradient descent on it (the loss after each).
 *
 * @example
 * ```ts
 * compiledLayer(w, b, v, xs, ts, 0).grads.w; // rows, as w
 * ```
 */
export function compiledLayer(w: number[][], b: number[], v: number[], xs: number[][], ts: number[], kind: number): {
  grads: { w: number[][]; b: number[]; v: number[] }; losses: number[];
} {
  const L = compile(loss, { wrt: [0, 1, 2] });
  const [gw, gb, gv] = L.grad(w, b, v, xs, ts, kind) as [number[][], number[], number[]];
  const losses: number[] = [];
  let [cw, cb, cv] = [w.map((r) => r.slice()), b.slice(), v.slice()];
  for (let step = 0; step < 20; step++) {
    const { value, grad } = L.valueAndGrad(cw, cb, cv, xs, ts, kind) as { value: number; grad: [number[][], number[], number[]] };
    losses.push(value);
    cw = cw.map((row, j) => row.map((x, k) => x - 0.05 * grad[0][j]![k]!));
    cb = cb.map((x, j) => x - 0.05 * grad[1][j]!);
    cv = cv.map((x, j) => x - 0.05 * grad[2][j]!);
  }
  return { grads: { w: gw, b: gb, v: gv }, losses };
}

function main(): void {
  const w = [[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]];
  const b = [0.1, -0.2, 0.05];
  const v = [1, -0.5, 0.7];
  const xs = [[0.3, -1.2], [1.1, 0.4], [-0.7, 0.9], [0.2, 0.2]];
  const ts = [0.5, -0.3, 0.8, 0.1];
  const r = compiledLayer(w, b, v, xs, ts, 0);
  const hand = byHand(w, b, v, xs, ts, 0);
  console.log("dL/dw (compiled, rows)", r.grads.w);
  console.log("dL/dw (by hand)       ", hand.w);
  console.log("loss over 20 steps of gradient descent:", r.losses.map((l) => l.toFixed(4)).join(" "));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
