/**
 * The first autograd example: y = 2·dot(x, x) at x = arange(4) = [0, 1, 2, 3].
 *
 * y = 2 Σ x_i², so ∂y/∂x_i = 4 x_i and the gradient is [0, 4, 8, 12].
 *
 * Run: npx tsx examples/dot-gradient.ts
 */
import { pathToFileURL } from "node:url";
import { variable, arange, dot, mul, grad, type Tensor, type Var } from "../lib/index.ts";

/**
 * y and ∂y/∂x for y = 2 dot(x, x) at x = arange(n), imperatively
 * (`backward`, `.grad`) and as a transform (`grad`).
 *
 * @example
 * ```ts
 * dotGradient(4).imperative.toArray(); // [0, 4, 8, 12]
 * ```
 */
export function dotGradient(n: number): { y: number; imperative: Tensor; transform: Tensor } {
  const x = variable(arange(n)); // torch.arange(4.0, requires_grad=True)
  const y = mul(2, dot(x, x)) as Var; // reductions are typed as returning Lifted: name the Var
  const value = y.value as number;
  y.backward();
  const transform = grad<Tensor>((t) => mul(2, dot(t, t)))(arange(n));
  return { y: value, imperative: x.grad as Tensor, transform };
}

function main(): void {
  const r = dotGradient(4);
  console.log("x = arange(4) = [0, 1, 2, 3], y = 2 dot(x, x)");
  console.log(`y = ${r.y}   expected 2 (0 + 1 + 4 + 9) = 28`);
  console.log(`y.backward(); x.grad = ${JSON.stringify(r.imperative.toArray())}   expected 4x = [0, 4, 8, 12]`);
  console.log(`grad(x => 2 dot(x, x))(x) = ${JSON.stringify(r.transform.toArray())}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
