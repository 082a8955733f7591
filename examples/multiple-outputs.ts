/**
 * Several inputs and outputs: y1 = x1·x2 and y2 = x1 + x2 at (x1, x2) = (1, 2).
 *
 *   ∂y1/∂(x1, x2) = (x2, x1) = (2, 1)
 *   ∂(y1 + y2)/∂(x1, x2) = (x2 + 1, x1 + 1) = (3, 2)
 *
 * `gradients([y1, y2], inputs)` seeds every output with 1, so it returns the
 * gradient of their sum, as `torch.autograd.grad` does; the full Jacobian
 * needs one row per output (`jacrev`).
 *
 * Run: npx tsx examples/multiple-outputs.ts
 */
import { pathToFileURL } from "node:url";
import { variable, gradients, jacrev, mul, add, type Lifted } from "../lib/index.ts";

/** What the example computes, each as plain numbers. */
export interface MultipleOutputs {
  /** Gradient of y1 with respect to (x1, x2). */
  gradY1: number[];
  /** Gradient of y1 + y2 (both outputs seeded with 1). */
  gradBoth: number[];
  /** The same via `backward()` on each output, accumulated in `.grad`. */
  accumulated: number[];
  /** The 2 x 2 Jacobian, rows y1 and y2. */
  jacobian: number[][];
}

/**
 * Runs the example at (x1, x2).
 *
 * @example
 * ```ts
 * multipleOutputs(1, 2).gradBoth; // [3, 2]
 * ```
 */
export function multipleOutputs(a: number, b: number): MultipleOutputs {
  const x1 = variable(a);
  const x2 = variable(b);
  const y1 = mul(x1, x2);
  const y2 = add(x1, x2);
  const gradY1 = gradients(y1, [x1, x2], { retainGraph: true }) as number[];
  const gradBoth = gradients([y1, y2], [x1, x2], { retainGraph: true }) as number[];

  y1.backward(undefined, { retainGraph: true }); // x.grad accumulates across the two calls
  y2.backward();
  const accumulated = [x1.grad as number, x2.grad as number];

  const f = (x: Lifted[]) => [mul(x[0]!, x[1]!), add(x[0]!, x[1]!)];
  const jacobian = jacrev(f)([a, b]) as number[][];
  return { gradY1, gradBoth, accumulated, jacobian };
}

function main(): void {
  const r = multipleOutputs(1, 2);
  console.log("y1 = x1*x2, y2 = x1 + x2 at (1, 2)");
  console.log(`gradients(y1, [x1, x2])        = (${r.gradY1.join(", ")})   expected (x2, x1) = (2, 1)`);
  console.log(`gradients([y1, y2], [x1, x2])  = (${r.gradBoth.join(", ")})   expected (x2 + 1, x1 + 1) = (3, 2)`);
  console.log(`y1.backward(); y2.backward()   -> (x1.grad, x2.grad) = (${r.accumulated.join(", ")})`);
  console.log(`jacrev: [[dy1/dx1, dy1/dx2], [dy2/dx1, dy2/dx2]] = ${JSON.stringify(r.jacobian)}   expected [[2,1],[1,1]]`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
