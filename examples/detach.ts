/**
 * Detaching: u = (x * x).detach() has the value x² but no history, so in
 * z = u * x the factor u is a constant and ∂sum(z)/∂x = u (not 3x²).
 * The undetached y = x * x still differentiates to 2x.
 *
 * A backward without `retainGraph` frees only the graph it went through, as
 * in PyTorch: the first backward below goes through z = u * x, not through
 * y (u is detached from it), so y can still be differentiated afterwards.
 *
 * Run: npx tsx examples/detach.ts
 */
import { pathToFileURL } from "node:url";
import { variable, arange, mul, sum, type Tensor } from "../lib/index.ts";

/**
 * Gradients with and without detach at x = arange(n).
 *
 * @example
 * ```ts
 * detachExample(4).gradThroughDetached.toArray(); // u = x² = [0, 1, 4, 9]
 * ```
 */
export function detachExample(n: number): { u: Tensor; uRequiresGrad: boolean; gradThroughDetached: Tensor; gradOfY: Tensor } {
  const x = variable(arange(n));
  const y = mul(x, x);
  const u = y.detach();
  const z = mul(u, x);
  sum(z).backward();
  const gradThroughDetached = x.grad as Tensor;
  x.zeroGrad();
  sum(y).backward();
  return { u: u.value as Tensor, uRequiresGrad: u.requiresGrad, gradThroughDetached, gradOfY: x.grad as Tensor };
}

function main(): void {
  const r = detachExample(4);
  const show = (t: Tensor) => JSON.stringify(t.toArray());
  console.log("x = arange(4); y = x * x; u = y.detach(); z = u * x");
  console.log(`u = ${show(r.u)}, u.requiresGrad = ${r.uRequiresGrad}`);
  console.log(`sum(z).backward(): x.grad = ${show(r.gradThroughDetached)}   expected u = [0, 1, 4, 9]`);
  console.log(`sum(y).backward(): x.grad = ${show(r.gradOfY)}   expected 2x = [0, 2, 4, 6]`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
