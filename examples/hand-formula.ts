/**
 * Checking autograd against a hand derivative: y = x² eˣ elementwise on a
 * 3×4 standard-normal tensor. By the product rule dy/dx = 2x eˣ + x² eˣ,
 * and since each y_i depends only on x_i, the gradient of sum(y) is that
 * formula evaluated elementwise.
 *
 * Run: npx tsx examples/hand-formula.ts
 */
import { pathToFileURL } from "node:url";
import { variable, randn, mul, exp, sum, type Tensor, type Var } from "../lib/index.ts";

/**
 * The autograd gradient of sum(x² eˣ) and the hand formula, at randn([3, 4], { seed }).
 *
 * @example
 * ```ts
 * const r = handFormula(0); // r.autograd and r.byHand agree to rounding
 * ```
 */
export function handFormula(seed: number): { x: Tensor; autograd: Tensor; byHand: number[] } {
  const x0 = randn([3, 4], { seed });
  const x = variable(x0);
  const y = mul(mul(x, x), exp(x));
  (sum(y) as Var).backward();
  const byHand = Array.from(x0.data, (v) => 2 * v * Math.exp(v) + v * v * Math.exp(v));
  return { x: x0, autograd: x.grad as Tensor, byHand };
}

function main(): void {
  const r = handFormula(0);
  let worst = 0;
  r.byHand.forEach((h, i) => (worst = Math.max(worst, Math.abs(h - r.autograd.data[i]!) / Math.max(1, Math.abs(h)))));
  console.log("y = x^2 exp(x) on x = randn([3, 4], { seed: 0 })");
  console.log(`autograd  x.grad = ${JSON.stringify(r.autograd.toArray())}`);
  console.log(`by hand 2x e^x + x^2 e^x, flat: [${r.byHand.join(", ")}]`);
  console.log(`largest relative difference: ${worst.toExponential(2)}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
