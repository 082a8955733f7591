/**
 * Gradients at leaves and at an intermediate value, for
 *
 *   y = w * x + b (elementwise),  z = sum(y)
 *
 * ∂z/∂w = x, ∂z/∂x = w, ∂z/∂b = ones, and ∂z/∂y = ones. Only leaves get a
 * `.grad`; the gradient at y comes from `gradients(z, [y])` (PyTorch's
 * `torch.autograd.grad`) or from a hook on y. A removed hook no longer fires.
 *
 * Run: npx tsx examples/intermediate-grad.ts
 */
import { pathToFileURL } from "node:url";
import { variable, tensor, add, mul, sum, gradients, primal, type Tensor, type Var, type Value } from "../lib/index.ts";

const asArray = (v: Value | null) => (v === null ? null : Array.from((primal(v) as Tensor).data));

/** What the example observes. */
export interface IntermediateResult {
  dw: number[] | null;
  dx: number[] | null;
  db: number[] | null;
  /** ∂z/∂y by gradients(). */
  dyByGradients: number[] | null;
  /** ∂z/∂y as seen by a hook on y. */
  dyByHook: number[] | null;
  /** How often the hook fired over two backward passes; it was removed after the first. */
  hookCalls: number;
}

/**
 * Runs the example at given w, x, b (1-d, same length).
 *
 * @example
 * ```ts
 * intermediateGrad([1, 2], [3, 4], [5, 6]).dw; // x = [3, 4]
 * ```
 */
export function intermediateGrad(w0: number[], x0: number[], b0: number[]): IntermediateResult {
  const w = variable(tensor(w0));
  const x = variable(tensor(x0));
  const b = variable(tensor(b0));
  const y = add(mul(w, x), b);
  const z = sum(y) as Var;

  const [dy] = gradients(z, [y], { retainGraph: true }); // .grad untouched

  let dyByHook: number[] | null = null;
  let hookCalls = 0;
  const hook = y.registerHook((g) => {
    hookCalls++;
    dyByHook = asArray(g);
  });
  z.backward(undefined, { retainGraph: true }); // the hook fires; w, x, b get .grad
  const grads = { dw: asArray(w.grad), dx: asArray(x.grad), db: asArray(b.grad) };
  hook.remove();
  z.backward(); // the hook does not fire again
  return { ...grads, dyByGradients: asArray(dy!), dyByHook, hookCalls };
}

function main(): void {
  const w = [1, 2, 3], x = [4, 5, 6], b = [7, 8, 9];
  const r = intermediateGrad(w, x, b);
  console.log(`w = ${JSON.stringify(w)}, x = ${JSON.stringify(x)}, b = ${JSON.stringify(b)}; y = w * x + b; z = sum(y)`);
  console.log(`w.grad = ${JSON.stringify(r.dw)}   expected x`);
  console.log(`x.grad = ${JSON.stringify(r.dx)}   expected w`);
  console.log(`b.grad = ${JSON.stringify(r.db)}   expected ones`);
  console.log(`gradients(z, [y])  = ${JSON.stringify(r.dyByGradients)}   expected ones`);
  console.log(`hook on y saw      = ${JSON.stringify(r.dyByHook)}`);
  console.log(`hook calls over two backward passes (removed after the first): ${r.hookCalls}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
