/**
 * saddle: p1* = argmin_{p1} F(p1, argmax_{p2} F(p1, p2)), then
 * p2* = argmax_{p2} F(p1*, p2), with F(p1, p2) = ‖p1‖² - ‖p2‖² and the
 * shared gradient descent. Nested AD: the outer gradient (first letter of
 * the function name) flows through the whole inner optimisation, whose
 * gradients use the inner mode (second letter); f = forward (`jacfwd`),
 * r = reverse (`grad`).
 */
import { add, sub, square, grad, jacfwd, type Value } from "../../../lib/index.ts";
import { asObject, asVector } from "../input.ts";
import { evalFunction, type Module } from "../runs.ts";
import { numbers } from "../output.ts";
import { argmin, argmax, type Objective, type Gradient } from "../gd.ts";

type Mode = "f" | "r";

/**
 * F(p1, p2) = ‖p1‖² - ‖p2‖².
 *
 * @example
 * ```ts
 * saddleF([1, 2], [1, 1]); // 3
 * ```
 */
export function saddleF(p1: readonly Value[], p2: readonly Value[]): Value {
  return sub(add(square(p1[0]!), square(p1[1]!)), add(square(p2[0]!), square(p2[1]!)));
}

function gradientBy(mode: Mode, f: Objective): Gradient {
  const g = mode === "r" ? grad<number[]>(f) : jacfwd(f);
  return (x) => g(x as number[]) as Value[];
}

function innerArgmax(p1: readonly Value[], start: readonly number[], inner: Mode): Value[] {
  const f = (p2: Value[]) => saddleF(p1, p2);
  return argmax(f, gradientBy(inner, f), start);
}

function solve(start: number[], outer: Mode, inner: Mode): number[] {
  const g = (p1: Value[]) => saddleF(p1, innerArgmax(p1, start, inner));
  const p1 = argmin(g, gradientBy(outer, g), start);
  const p2 = innerArgmax(p1, start, inner);
  return numbers([...p1, ...p2]);
}

const parse = (input: unknown) => asVector(asObject(input, "input").start, "input.start", 2);

/** The saddle module: ff, fr, rf, rr. @example `saddle.rr.run([1, 1])` */
export const saddle: Module = {
  ff: evalFunction(parse, (s) => solve(s, "f", "f")),
  fr: evalFunction(parse, (s) => solve(s, "f", "r")),
  rf: evalFunction(parse, (s) => solve(s, "r", "f")),
  rr: evalFunction(parse, (s) => solve(s, "r", "r")),
};
