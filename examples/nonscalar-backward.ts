/**
 * Backward from a non-scalar output needs a seed (the vector v in the
 * vector-Jacobian product vᵀJ), exactly as PyTorch's `y.backward(gradient)`.
 *
 * - y = x * x is a Tensor, so `y.backward()` throws and says what to pass;
 *   `y.backward(ones)` equals `sum(y).backward()`: both give 2x.
 * - f(x) = x² − 2x + 1 at x = [[0, 0], [1, 2]] with seed ones gives
 *   f'(x) = 2x − 2 = [[−2, −2], [0, 2]], the same as sum(f(x) * seed).backward().
 *
 * Run: npx tsx examples/nonscalar-backward.ts
 */
import { pathToFileURL } from "node:url";
import { variable, arange, tensor, ones, mul, sub, add, sum, type Tensor, type Var } from "../lib/index.ts";

/** f(x) = x² − 2x + 1, elementwise. */
function f(x: Var): Var {
  return add(sub(mul(x, x), mul(2, x)), 1);
}

/** The gradient that one backward deposits in a fresh leaf `variable(x0)`. */
function gradAfter(x0: Tensor, run: (x: Var) => void): Tensor {
  const x = variable(x0);
  run(x);
  return x.grad as Tensor;
}

/**
 * Runs the example: the error for a missing seed, and the gradients each way.
 *
 * @example
 * ```ts
 * nonscalarBackward().fSeeded.toArray(); // [[-2, -2], [0, 2]]
 * ```
 */
export function nonscalarBackward(): { message: string; seeded: Tensor; summed: Tensor; fSeeded: Tensor; fSummed: Tensor } {
  let message = "";
  try {
    mul(variable(arange(4)), variable(arange(4))).backward();
  } catch (e) {
    message = (e as Error).message;
  }
  const x0 = arange(4);
  const seeded = gradAfter(x0, (x) => mul(x, x).backward(ones([4])));
  const summed = gradAfter(x0, (x) => (sum(mul(x, x)) as Var).backward());

  const p = tensor([[0, 0], [1, 2]]);
  const seed = ones([2, 2]);
  const fSeeded = gradAfter(p, (x) => f(x).backward(seed));
  const fSummed = gradAfter(p, (x) => (sum(mul(f(x), seed)) as Var).backward());
  return { message, seeded, summed, fSeeded, fSummed };
}

function main(): void {
  const r = nonscalarBackward();
  const show = (t: Tensor) => JSON.stringify(t.toArray());
  console.log("y = x * x at x = arange(4); y.backward() without a seed throws:");
  console.log(`  ${r.message}`);
  console.log(`y.backward(ones([4]))  -> x.grad = ${show(r.seeded)}`);
  console.log(`sum(y).backward()      -> x.grad = ${show(r.summed)}   expected 2x = [0, 2, 4, 6]`);
  console.log("f(x) = x^2 - 2x + 1 at x = [[0, 0], [1, 2]], seed = ones:");
  console.log(`f(x).backward(seed)            -> x.grad = ${show(r.fSeeded)}`);
  console.log(`sum(f(x) * seed).backward()    -> x.grad = ${show(r.fSummed)}   expected 2x - 2 = [[-2,-2],[0,2]]`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
