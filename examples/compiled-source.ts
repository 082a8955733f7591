/**
 * Derivatives of plain TypeScript with `compile`: the energy of a chain of
 * points, written with numbers, a loop and Math, no dualtape values. The
 * gradient (reverse mode), a directional derivative (forward mode) and the
 * hand formula agree; the generated code is printed.
 *
 * dE/dx_i collects -d/sqrt(1 + d²) from the segment starting at i, +d/sqrt(1 + d²)
 * from the segment ending at i (d = x_{i+1} - x_i), and sin(x_i) cos(x_i).
 *
 * Run: npx tsx examples/compiled-source.ts
 */
import { pathToFileURL } from "node:url";
import { compile } from "../lib/index.ts";

/** The energy of a chain of points: Σ sqrt(1 + (x_{i+1} - x_i)²) + ½ sin²(x_i). @example `energy(Float64Array.from([0, 1]), 2)` */
export function energy(x: Float64Array, n: number): number {
  let e = 0;
  for (let i = 0; i + 1 < n; i++) {
    const d = x[i + 1]! - x[i]!;
    e += Math.sqrt(1 + d * d) + 0.5 * Math.sin(x[i]!) ** 2;
  }
  return e;
}

/**
 * The compiled gradient, a forward-mode directional derivative along `v`,
 * and the hand gradient, at x.
 *
 * @example
 * ```ts
 * const r = compiledSource(Float64Array.from([0.1, 0.5, -0.3]), Float64Array.from([1, 0, 0]));
 * ```
 */
export function compiledSource(x: Float64Array, v: Float64Array): { grad: Float64Array; tangent: number; byHand: number[]; source: string } {
  const E = compile(energy, { wrt: [0] });
  const n = x.length;
  const grad = E.grad(x, n) as Float64Array;
  const tangent = E.jvp([x, n], [v]).tangent as number;
  const byHand = Array.from(x, () => 0);
  for (let i = 0; i + 1 < n; i++) {
    const d = x[i + 1]! - x[i]!;
    const s = d / Math.sqrt(1 + d * d);
    byHand[i]! += -s + Math.sin(x[i]!) * Math.cos(x[i]!);
    byHand[i + 1]! += s;
  }
  return { grad, tangent, byHand, source: E.source };
}

function main(): void {
  const x = Float64Array.from([0.1, 0.5, -0.3, 1.2]);
  const r = compiledSource(x, Float64Array.from([1, 1, 1, 1]));
  console.log(`grad (reverse mode)       ${Array.from(r.grad).join(", ")}`);
  console.log(`by hand                   ${r.byHand.join(", ")}`);
  console.log(`jvp along [1, 1, 1, 1]    ${r.tangent} (sum of grad ${Array.from(r.grad).reduce((a, b) => a + b)})`);
  console.log("\ngenerated code:\n");
  console.log(r.source);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
