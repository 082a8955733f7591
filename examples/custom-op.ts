/**
 * A custom op with hand-written partials (PyTorch's autograd.Function):
 * affine(w, x, b) = w·x + b with ∂/∂w = x, ∂/∂x = w, ∂/∂b = 1, where x
 * is marked non-differentiable (`nondiff`: it is data), so no gradient is
 * computed for it.
 *
 * The op joins the same registry as the built-ins, so it works in reverse
 * mode (`backward`, `grad`), forward mode (`derivative`) and on Tensors.
 *
 * Run: npx tsx examples/custom-op.ts
 */
import { pathToFileURL } from "node:url";
import { defineOp, variable, grad, derivative, type Var } from "../lib/index.ts";

/**
 * affine(w, x, b) = w·x + b; x is data (non-differentiable).
 *
 * @example
 * ```ts
 * affine(2, 3, 1); // 7
 * ```
 */
export const affine = defineOp({
  name: "affineExample",
  arity: 3,
  value: (w, x, b) => w * x + b,
  partials: (_A, [w, x]) => [x!, w!, 1],
  nondiff: [1],
  notes: "example op from examples/custom-op.ts: w*x + b, x treated as data",
});

/** What the example computes. */
export interface CustomOpResult {
  value: number;
  /** `.grad` of w, x and b after `y.backward()` (x stays null: non-differentiable). */
  grads: { w: number | null; x: number | null; b: number | null };
  /** d affine / dw by `grad` (reverse) and by `derivative` (forward). */
  dwReverse: number;
  dwForward: number;
}

/**
 * Evaluates affine(w, x, b) and its derivatives.
 *
 * @example
 * ```ts
 * customOp(2, 3, 1).grads; // { w: 3, x: null, b: 1 }
 * ```
 */
export function customOp(w0: number, x0: number, b0: number): CustomOpResult {
  const w = variable(w0);
  const x = variable(x0);
  const b = variable(b0);
  const y = affine(w, x, b) as Var;
  const value = y.value as number;
  y.backward();
  const grads = { w: w.grad as number | null, x: x.grad as number | null, b: b.grad as number | null };
  const dwReverse = grad<number>((v) => affine(v, x0, b0))(w0);
  const dwForward = derivative((v) => affine(v, x0, b0))(w0) as number;
  return { value, grads, dwReverse, dwForward };
}

function main(): void {
  const r = customOp(2, 3, 1);
  console.log("affine(w, x, b) = w*x + b at w = 2, x = 3, b = 1 (x marked nondiff)");
  console.log(`value = ${r.value}   expected 7`);
  console.log(`after y.backward(): w.grad = ${r.grads.w} (expected x = 3), b.grad = ${r.grads.b} (expected 1), x.grad = ${r.grads.x} (non-differentiable: null)`);
  console.log(`d/dw by grad (reverse) = ${r.dwReverse}, by derivative (forward) = ${r.dwForward}   expected 3`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
