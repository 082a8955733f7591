/**
 * particle: steer a charged particle by moving one charge (control w) so
 * that it hits the ground at x = 0; w* = argmin miss(w) by the shared
 * gradient descent. Nested AD: the acceleration inside the simulation is
 * -∇φ by the inner mode, and d miss/dw through the whole simulation loop by
 * the outer mode (first letter of the function name: outer; second: inner;
 * f = forward, r = reverse).
 */
import { add, sub, mul, div, neg, square, sqrt, reciprocal, derivative, grad, jacfwd, primal, type Value } from "../../../lib/index.ts";
import { asObject, asNumber } from "../input.ts";
import { evalFunction, type Module } from "../runs.ts";
import { scalar } from "../output.ts";
import { argmin } from "../gd.ts";

/** A derivative mode: forward or reverse. */
export type Mode = "f" | "r";

const distance = (x: readonly Value[], c: readonly Value[]) => sqrt(add(square(sub(x[0]!, c[0]!)), square(sub(x[1]!, c[1]!))));

/** ∇φ at x, by the inner mode. */
function potentialGradient(phi: (x: Value[]) => Value, x: Value[], inner: Mode): Value[] {
  return (inner === "r" ? grad<number[]>(phi)(x as number[]) : jacfwd(phi)(x as number[])) as Value[];
}

/**
 * The squared ground miss for control w (the simulation loop of the eval).
 *
 * @example
 * ```ts
 * miss(0, "r"); // the miss at w = 0
 * ```
 */
export function miss(w: Value, inner: Mode): Value {
  const charges: Value[][] = [[10, sub(10, w)], [10, 0]];
  const phi = (x: Value[]) => add(reciprocal(distance(x, charges[0]!)), reciprocal(distance(x, charges[1]!)));
  const dt = 0.1;
  let x: Value[] = [0, 8];
  let velocity: Value[] = [0.75, 0];
  for (;;) {
    const accel = potentialGradient(phi, x, inner).map((g) => neg(g));
    x = x.map((xk, k) => add(xk, mul(dt, velocity[k]!)));
    if ((primal(x[1]!) as number) <= 0) {
      const dtf = neg(div(x[1]!, velocity[1]!));
      return square(add(x[0]!, mul(dtf, velocity[0]!)));
    }
    velocity = velocity.map((vk, k) => add(vk, mul(dt, accel[k]!)));
  }
}

function optimise(w0: number, outer: Mode, inner: Mode): number {
  const f = (v: Value[]) => miss(v[0]!, inner);
  const dmiss = outer === "r" ? grad((w) => miss(w as Value, inner)) : derivative((w) => miss(w, inner));
  const gradf = (v: Value[]) => [dmiss(v[0] as number) as Value];
  return scalar(argmin(f, gradf, [w0])[0]!);
}

const parse = (input: unknown) => asNumber(asObject(input, "input").w, "input.w");

/** The particle module: ff, fr, rf, rr. @example `particle.rf.run(0)` */
export const particle: Module = {
  ff: evalFunction(parse, (w) => optimise(w, "f", "f")),
  fr: evalFunction(parse, (w) => optimise(w, "f", "r")),
  rf: evalFunction(parse, (w) => optimise(w, "r", "f")),
  rr: evalFunction(parse, (w) => optimise(w, "r", "r")),
};
