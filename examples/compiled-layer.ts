/**
 * A small neural network's loss as plain TypeScript with an object of
 * parameters and matrices: the parameters come as `{ w, b, v }`
 * (destructured at the top), the weights `w` are `number[][]` read as
 * `w[i][j]`, the samples rows of a matrix, and the activation a `switch`.
 * `compile` differentiates it with respect to the parameters; the gradient
 * comes back as an object `{ b, v, w }` shaped as the parameters (w's as
 * rows) and agrees with backpropagation written by hand.
 *
 * Loss = Σ_samples (y - t)², y = Σ_j v_j h_j, h_j = act(Σ_k w_jk x_k + b_j),
 * act = tanh (or the identity). By hand, with g = 2 (y - t) per sample:
 * dL/dv_j = g h_j, dL/db_j = g v_j act'(z_j), dL/dw_jk = g v_j act'(z_j) x_k.
 *
 * Run: npx tsx examples/compiled-layer.ts
 */
import { pathToFileURL } from "node:url";
import { compile } from "../lib/index.ts";

/** The parameters of the network: hidden weights (rows), hidden biases, output weights. */
export interface Layer {
  w: number[][];
  b: number[];
  v: number[];
}

/**
 * The squared error of a one-hidden-layer network over the samples (rows
 * of `xs`, targets `ts`); `kind` 0 is tanh, 1 the identity.
 *
 * @example
 * ```ts
 * loss({ w: [[1, 0]], b: [0.5], v: [2] }, [[0.1, 0.2]], [0], 0); // one sample
 * ```
 */
export function loss(p: Layer, xs: number[][], ts: number[], kind: number): number {
  const { w, b, v } = p;
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

/** The gradients by hand (backpropagation), shaped as the parameters. @example `byHand(p, xs, ts, 0).w[0]` */
export function byHand({ w, b, v }: Layer, xs: number[][], ts: number[], kind: number): Layer {
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
 * The compiled gradient with respect to the parameters, and a few steps
 * of gradient descent on it (the loss after each).
 *
 * @example
 * ```ts
 * compiledLayer(p, xs, ts, 0).grads.w; // rows, as p.w
 * ```
 */
export function compiledLayer(p: Layer, xs: number[][], ts: number[], kind: number): { grads: Layer; losses: number[] } {
  const L = compile(loss, { wrt: [0] });
  const grads = L.grad(p, xs, ts, kind) as Layer;
  const losses: number[] = [];
  let at: Layer = { w: p.w.map((r) => r.slice()), b: p.b.slice(), v: p.v.slice() };
  for (let step = 0; step < 20; step++) {
    const { value, grad } = L.valueAndGrad(at, xs, ts, kind) as { value: number; grad: Layer };
    losses.push(value);
    at = {
      w: at.w.map((row, j) => row.map((x, k) => x - 0.05 * grad.w[j]![k]!)),
      b: at.b.map((x, j) => x - 0.05 * grad.b[j]!),
      v: at.v.map((x, j) => x - 0.05 * grad.v[j]!),
    };
  }
  return { grads, losses };
}

function main(): void {
  const p: Layer = { w: [[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]], b: [0.1, -0.2, 0.05], v: [1, -0.5, 0.7] };
  const xs = [[0.3, -1.2], [1.1, 0.4], [-0.7, 0.9], [0.2, 0.2]];
  const ts = [0.5, -0.3, 0.8, 0.1];
  const r = compiledLayer(p, xs, ts, 0);
  const hand = byHand(p, xs, ts, 0);
  console.log("dL/dw (compiled, rows)", r.grads.w);
  console.log("dL/dw (by hand)       ", hand.w);
  console.log("loss over 20 steps of gradient descent:", r.losses.map((l) => l.toFixed(4)).join(" "));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
