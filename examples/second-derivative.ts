/**
 * Second derivative with createGraph: for f(x) = x² − 2x + 1,
 * f'(x) = 2x − 2 and f''(x) = 2, so at x = 0: f' = −2, f'' = 2.
 *
 * With `createGraph` the backward pass is itself recorded, so the gradient
 * is a Var that can be differentiated again (PyTorch's `create_graph=True`).
 *
 * Run: npx tsx examples/second-derivative.ts
 */
import { pathToFileURL } from "node:url";
import { variable, gradients, primal, derivative, type Lifted, type Var } from "../lib/index.ts";

/** f(x) = x² − 2x + 1, for a Var or a Dual. */
function f<T extends Lifted>(x: T): T {
  return x.mul(x).sub(x.mul(2)).add(1) as T;
}

/**
 * f'(x0) and f''(x0) two ways: with `gradients` (like torch.autograd.grad)
 * and with `backward` + `.grad`.
 *
 * @example
 * ```ts
 * secondDerivative(0); // { viaGradients: [-2, 2], viaBackward: [-2, 2], viaDerivative: [-2, 2] }
 * ```
 */
export function secondDerivative(x0: number): Record<"viaGradients" | "viaBackward" | "viaDerivative", [number, number]> {
  const x = variable(x0);
  const [d1] = gradients(f(x), [x], { createGraph: true }); // a Var: 2x − 2, still on the tape
  const [d2] = gradients(d1 as Var, [x]);
  const viaGradients: [number, number] = [primal(d1!) as number, primal(d2!) as number];

  const z = variable(x0);
  f(z).backward(undefined, { createGraph: true });
  const first = z.grad as Var; // the gradient, recorded
  z.zeroGrad();                // so the next backward leaves only f'' in z.grad
  first.backward();
  const viaBackward: [number, number] = [primal(first) as number, z.grad as number];

  // The same numbers by forward mode nested in itself, as a cross-check.
  const df = derivative(f);
  const viaDerivative: [number, number] = [df(x0) as number, derivative((u) => df(u) as Lifted)(x0) as number];
  return { viaGradients, viaBackward, viaDerivative };
}

function main(): void {
  const r = secondDerivative(0);
  console.log("f(x) = x^2 - 2x + 1 at x = 0; expected f'(0) = -2, f''(0) = 2");
  console.log(`gradients(..., { createGraph: true }) twice: f' = ${r.viaGradients[0]}, f'' = ${r.viaGradients[1]}`);
  console.log(`backward({ createGraph: true }), then x.grad.backward(): f' = ${r.viaBackward[0]}, f'' = ${r.viaBackward[1]}`);
  console.log(`derivative(derivative(f)) (forward mode): f' = ${r.viaDerivative[0]}, f'' = ${r.viaDerivative[1]}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
