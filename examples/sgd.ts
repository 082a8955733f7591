/**
 * Minimising f(x) = x² − 2x + 1 = (x − 1)² with SGD (lr 0.01) from x = 0.
 *
 * The gradient is 2x − 2, so one step is x ← x − 0.01·(2x − 2), i.e.
 * 1 − x_{k+1} = 0.98·(1 − x_k): the closed form is x_k = 1 − 0.98^k, and
 * after 500 steps x ≈ 1 − 4.1e-5.
 *
 * This is the PyTorch training loop: zero the gradients, compute the loss,
 * backward, step.
 *
 * Run: npx tsx examples/sgd.ts
 */
import { pathToFileURL } from "node:url";
import { variable, SGD, add, sub, mul } from "../lib/index.ts";

/**
 * Runs `steps` SGD steps and returns x after each step (x_1 ... x_steps).
 *
 * @example
 * ```ts
 * const xs = minimise(500, 0.01);
 * xs[499]; // ≈ 1 − 0.98^500
 * ```
 */
export function minimise(steps: number, lr: number): number[] {
  const x = variable(0);
  const opt = new SGD([x], { lr });
  const xs: number[] = [];
  for (let k = 0; k < steps; k++) {
    opt.zeroGrad();
    const loss = add(sub(mul(x, x), mul(x, 2)), 1); // x² − 2x + 1
    loss.backward();
    opt.step();
    xs.push(x.value as number);
  }
  return xs;
}

function main(): void {
  const xs = minimise(500, 0.01);
  console.log("SGD(lr = 0.01) on f(x) = x^2 - 2x + 1 from x = 0; closed form x_k = 1 - 0.98^k");
  for (const k of [1, 2, 10, 100, 500]) {
    console.log(`k = ${String(k).padStart(3)}: x = ${xs[k - 1]!.toFixed(10)}   closed form ${(1 - 0.98 ** k).toFixed(10)}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
