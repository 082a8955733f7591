/**
 * The gradient-descent routine shared by particle and saddle, step for step
 * as the reference specifies: stop when ‖g‖ ≤ 1e-5 or a step moves less than
 * 1e-5; after 10 accepted steps double η; a step that does not decrease f
 * halves η. Iterates may be traced values (an outer derivative flows through
 * the whole optimisation); the control decisions look at their values only.
 */
import { sub, mul, neg, primal, type Value } from "../../lib/index.ts";

/** A function of a vector and its gradient. */
export type Objective = (x: Value[]) => Value;
export type Gradient = (x: Value[]) => Value[];

const TOLERANCE = 1e-5;

function value(v: Value): number {
  return primal(v) as number;
}

function norm(v: readonly Value[]): number {
  let s = 0;
  for (const e of v) s += value(e) ** 2;
  return Math.sqrt(s);
}

function distance(a: readonly Value[], b: readonly Value[]): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (value(a[k]!) - value(b[k]!)) ** 2;
  return Math.sqrt(s);
}

/**
 * argmin f from x0, with ∇f given.
 *
 * @example
 * ```ts
 * argmin((x) => mul(x[0], x[0]), (x) => [mul(2, x[0])], [1]); // ≈ [0]
 * ```
 */
export function argmin(f: Objective, gradf: Gradient, x0: readonly Value[]): Value[] {
  let x = x0.slice();
  let fx = f(x);
  let g = gradf(x);
  let accepted = 0;
  let eta = 1e-5;
  for (;;) {
    if (norm(g) <= TOLERANCE) return x;
    if (accepted === 10) {
      eta *= 2;
      accepted = 0;
      continue;
    }
    const next = x.map((xk, k) => sub(xk, mul(eta, g[k]!)));
    if (distance(x, next) <= TOLERANCE) return x;
    const fNext = f(next);
    if (value(fNext) < value(fx)) {
      x = next;
      fx = fNext;
      g = gradf(x);
      accepted++;
    } else {
      eta /= 2;
      accepted = 0;
    }
  }
}

/**
 * argmax f from x0: argmin of -f with gradient -∇f.
 *
 * @example
 * ```ts
 * argmax((x) => neg(mul(x[0], x[0])), (x) => [mul(-2, x[0])], [1]); // ≈ [0]
 * ```
 */
export function argmax(f: Objective, gradf: Gradient, x0: readonly Value[]): Value[] {
  return argmin((x) => neg(f(x)), (x) => gradf(x).map((gk) => neg(gk)), x0);
}
