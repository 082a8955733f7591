/**
 * Gradients through Python-style control flow: the tape records the ops
 * that actually ran, so loops and branches need nothing special.
 *
 *   b = 2a; while norm(b) < 1000: b = 2b; c = b if sum(b) > 0 else 100 b
 *
 * Whatever path runs, c = k·a for one scalar k (a power of two, times 100
 * on the second branch), so ∂sum(c)/∂a_i = k = c_i / a_i.
 *
 * Run: npx tsx examples/control-flow.ts
 */
import { pathToFileURL } from "node:url";
import { variable, randn, mul, sum, norm, primal, type Tensor, type Var, type Lifted } from "../lib/index.ts";

/**
 * The program, on any Var (or Dual) holding a Tensor.
 *
 * @example
 * ```ts
 * f(variable(tensor([3, 4]))).value; // [768, 1024]: doubled until the norm reaches 1000
 * ```
 */
export function f(a: Lifted): Lifted {
  let b = mul(a, 2);
  while ((primal(norm(b)) as number) < 1000) b = mul(b, 2);
  return (primal(sum(b)) as number) > 0 ? b : mul(b, 100);
}

/**
 * Runs f at a, backpropagates sum(c), and returns c, a.grad and c / a.
 *
 * @example
 * ```ts
 * const r = controlFlow(randn([4], { seed: 1 }));
 * r.grad.toArray(); // equals r.ratio.toArray()
 * ```
 */
export function controlFlow(a0: Tensor): { c: Tensor; grad: Tensor; ratio: number[] } {
  const a = variable(a0);
  const c = f(a) as Var;
  (sum(c) as Var).backward();
  const cv = c.value as Tensor;
  const ratio = Array.from(cv.data, (ci, i) => ci / a0.data[i]!);
  return { c: cv, grad: a.grad as Tensor, ratio };
}

function main(): void {
  for (const seed of [0, 5]) { // sum(a) > 0 for seed 0, < 0 for seed 5
    const a0 = randn([4], { seed });
    const r = controlFlow(a0);
    console.log(`a = randn([4], { seed: ${seed} }) = ${JSON.stringify(a0.toArray())}, sum(a) ${(sum(a0) as number) > 0 ? "> 0" : "<= 0"}`);
    console.log(`  a.grad = ${JSON.stringify(r.grad.toArray())}`);
    console.log(`  c / a  = ${JSON.stringify(r.ratio)}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
