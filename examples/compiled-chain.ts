/**
 * A chain of springs over points written as everyday TypeScript: the
 * points are objects `{ x, y }` in an array, the loop is `for...of` over
 * the springs, the total a `reduce`, and the rest lengths come in an
 * options object with a default. `compile` differentiates the energy with
 * respect to the points; the gradient comes back as an array of `{ x, y }`
 * objects, and agrees with the forces written by hand.
 *
 * E = k Σ_i (|p_{i+1} - p_i| - rest_i)² + pull Σ_i p_i.y. By hand, with
 * d_i = p_{i+1} - p_i and g_i = 2 k (|d_i| - rest_i) / |d_i|:
 * dE/dp_{i+1} += g_i d_i, dE/dp_i -= g_i d_i, dE/dp_i.y += pull.
 *
 * Run: npx tsx examples/compiled-chain.ts
 */
import { pathToFileURL } from "node:url";
import { compile } from "../lib/index.ts";

/** A point of the chain. */
export interface Point {
  x: number;
  y: number;
}

/** The springs' settings: stiffness, and each spring's rest length. */
export interface Springs {
  k: number;
  rest: number[];
}

/**
 * The chain's energy: springs between neighbours, and a pull along y.
 *
 * @example
 * ```ts
 * energy([{ x: 0, y: 0 }, { x: 2, y: 0 }], { k: 1, rest: [1] }); // 1 + 0
 * ```
 */
export function energy(points: Point[], springs: Springs, pull = 0.1): number {
  const { k, rest } = springs;
  const stretch = rest.map((r, i) => {
    const { x, y } = points[i]!;
    const dx = points[i + 1]!.x - x;
    const dy = points[i + 1]!.y - y;
    return Math.hypot(dx, dy) - r;
  });
  let height = 0;
  for (const p of points) height += p.y;
  return k * stretch.reduce((sum, s) => sum + s * s, 0) + pull * height;
}

/** The gradient by hand (the negated forces), as objects. @example `byHand(points, springs)[0].x` */
export function byHand(points: Point[], springs: Springs, pull = 0.1): Point[] {
  const g = points.map(() => ({ x: 0, y: pull }));
  springs.rest.forEach((r, i) => {
    const dx = points[i + 1]!.x - points[i]!.x;
    const dy = points[i + 1]!.y - points[i]!.y;
    const len = Math.hypot(dx, dy);
    const s = (2 * springs.k * (len - r)) / len;
    g[i + 1]!.x += s * dx;
    g[i + 1]!.y += s * dy;
    g[i]!.x -= s * dx;
    g[i]!.y -= s * dy;
  });
  return g;
}

/**
 * The compiled gradient, and the energy over a few steps of gradient
 * descent with the chain's first point held in place.
 *
 * @example
 * ```ts
 * relax(points, springs).grad[1]; // { x, y }
 * ```
 */
export function relax(points: Point[], springs: Springs): { grad: Point[]; energies: number[] } {
  const E = compile(energy, { wrt: [0] });
  const grad = E.grad(points, springs) as Point[];
  const energies: number[] = [];
  let at = points.map((p) => ({ ...p }));
  for (let step = 0; step < 30; step++) {
    const { value, grad: g } = E.valueAndGrad(at, springs) as { value: number; grad: Point[] };
    energies.push(value);
    at = at.map((p, i) => (i === 0 ? p : { x: p.x - 0.05 * g[i]!.x, y: p.y - 0.05 * g[i]!.y }));
  }
  return { grad, energies };
}

function main(): void {
  const points = [{ x: 0, y: 0 }, { x: 1.4, y: 0.3 }, { x: 2.1, y: 1.2 }, { x: 3.5, y: 1.1 }];
  const springs = { k: 2, rest: [1, 1, 1] };
  const r = relax(points, springs);
  console.log("dE/dp (compiled)", r.grad);
  console.log("dE/dp (by hand) ", byHand(points, springs));
  console.log("energy over 30 steps of gradient descent:", r.energies.map((e) => e.toFixed(4)).join(" "));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
