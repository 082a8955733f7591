/**
 * The plain-TypeScript programs bench/source.ts compiles, with the same
 * programs written with dualtape ops for the Var-tape comparison. Each
 * states how many arithmetic ops one call executes, for bytes per op.
 */
import { add, sub, mul, sign, type Lifted } from "../../lib/index.ts";
import { llsqSource } from "../gradbench/modules/llsq.ts";

/** ½ Σ_i (sign(t_i) - Σ_j x_j t_i^j)², t_i evenly spaced in [-1, 1]: the GradBench tool's llsq program. */
export const llsq: (x: Float64Array, n: number) => number = llsqSource;

/** llsq with dualtape ops, for grad(). */
export function llsqOps(x: Lifted[], n: number): Lifted | number {
  let total: Lifted | number = 0;
  for (let i = 0; i < n; i++) {
    const t = -1 + (i * 2) / (n - 1);
    let fit: Lifted | number = 0;
    let power = 1;
    for (let j = 0; j < x.length; j++) {
      fit = add(fit, mul(x[j]!, power));
      power *= t;
    }
    const r = sub(sign(t), fit);
    total = add(total, mul(r, r));
  }
  return mul(0.5, total);
}

/** Σ sqrt(1 + (x_{i+1} - x_i)²) + ½ sin²(x_i): the program of examples/compiled-source.ts (one copy). */
export { energy } from "../../examples/compiled-source.ts";

/** A loop with a data-dependent branch on every element. */
export function branchy(x: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i + 1 < n; i++) {
    if (x[i]! > 0) s += x[i]! * x[i + 1]!;
    else s -= Math.exp(x[i]!) * 0.5;
  }
  return s;
}

/** Explicit Euler steps of a chain y_i' = x_i y_{i-1} - y_i, overwriting a local state array. */
export function chain(x: Float64Array, steps: number): number {
  const n = x.length;
  const y = new Float64Array(n);
  y[0] = 1;
  const h = 1 / steps;
  for (let s = 0; s < steps; s++) {
    for (let i = n - 1; i >= 1; i--) y[i] = y[i]! + h * (x[i]! * y[i - 1]! - y[i]!);
    y[0] = y[0]! + h * x[0]! * y[0]!;
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += y[i]! * y[i]!;
  return total;
}

/** Arithmetic ops one call executes (index arithmetic not counted). */
export const opCounts = {
  llsq: (m: number, n: number) => n * (3 * m + 6),
  energy: (n: number) => (n - 1) * 9,
  branchy: (n: number) => (n - 1) * 2,
  chain: (n: number, steps: number) => steps * ((n - 1) * 5 + 3) + 2 * n,
};

/** A point of `springPoints`. */
export interface Point {
  x: number;
  y: number;
}

/**
 * A chain of unit springs between consecutive points, the points' x and y
 * in two arrays.
 *
 * @example
 * ```ts
 * springFlat(Float64Array.of(0, 2), Float64Array.of(0, 0)); // 1
 * ```
 */
export function springFlat(xs: Float64Array, ys: Float64Array): number {
  let e = 0;
  for (let i = 0; i + 1 < xs.length; i++) {
    const dx = xs[i + 1]! - xs[i]!;
    const dy = ys[i + 1]! - ys[i]!;
    e += (Math.sqrt(dx * dx + dy * dy) - 1) ** 2;
  }
  return e;
}

/**
 * The same chain with the points as an array of `{ x, y }` objects.
 *
 * @example
 * ```ts
 * springPoints([{ x: 0, y: 0 }, { x: 2, y: 0 }]); // 1
 * ```
 */
export function springPoints(pts: Point[]): number {
  let e = 0;
  for (let i = 0; i + 1 < pts.length; i++) {
    const p = pts[i]!;
    const q = pts[i + 1]!;
    const dx = q.x - p.x;
    const dy = q.y - p.y;
    e += (Math.sqrt(dx * dx + dy * dy) - 1) ** 2;
  }
  return e;
}
