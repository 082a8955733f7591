/**
 * Gradients accumulate: each backward adds into `.grad` until `zeroGrad()`.
 *
 * For y = sum(x), ∂y/∂x_i = 1, so the gradient is all ones; calling
 * backward three times (on three fresh graphs) leaves 3 in every slot, and
 * after `x.zeroGrad()` one more backward gives ones again.
 *
 * Run: npx tsx examples/accumulate.ts
 */
import { pathToFileURL } from "node:url";
import { variable, arange, sum, type Tensor, type Var } from "../lib/index.ts";

/**
 * `.grad` of x = arange(n) after each of `times` backward calls of sum(x),
 * and after zeroGrad() followed by one more.
 *
 * @example
 * ```ts
 * accumulate(4, 3).afterEach.map((g) => g.toArray()); // [[1,1,1,1], [2,2,2,2], [3,3,3,3]]
 * ```
 */
export function accumulate(n: number, times: number): { afterEach: Tensor[]; afterZero: Tensor } {
  const x = variable(arange(n));
  const afterEach: Tensor[] = [];
  for (let k = 0; k < times; k++) {
    (sum(x) as Var).backward(); // a new graph each time: the previous backward freed the old one
    afterEach.push(x.grad as Tensor); // each backward stores a new Tensor in .grad: keeping the old one is safe
  }
  x.zeroGrad(); // PyTorch: x.grad.zero_()
  (sum(x) as Var).backward();
  return { afterEach, afterZero: x.grad as Tensor };
}

function main(): void {
  const r = accumulate(4, 3);
  console.log("x = arange(4); y = sum(x): the gradient is ones, and it accumulates across backward calls");
  r.afterEach.forEach((g, k) => console.log(`after backward #${k + 1}: x.grad = ${JSON.stringify(g.toArray())}`));
  console.log(`after x.zeroGrad() and one more backward: x.grad = ${JSON.stringify(r.afterZero.toArray())}   expected [1, 1, 1, 1]`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
