/**
 * ode: s classical Runge–Kutta steps of y' = F(y) on [0, 2] with y(0) = 0,
 * F(y)_0 = x_0 and F(y)_i = x_i y_{i-1}. The gradient of the last component
 * with respect to x is the source compiler's reverse code for the plain
 * loop version `odeSource` (`compile`, once per process); the ops version on
 * traced values stays as `gradient_tape` (compileGrad, recorded once per
 * shape in `prepare`), for comparison.
 */
import { add, mul, compile, type Value } from "../../../lib/index.ts";
import { compiledGradient } from "../compiled.ts";
import { asObject, asInt, asVector, checkWork, InputError } from "../input.ts";
import { evalFunction, type Module } from "../runs.ts";
import { numbers, list } from "../output.ts";

function rhs(x: readonly Value[], y: readonly Value[]): Value[] {
  const out = new Array<Value>(x.length);
  out[0] = x[0]!;
  for (let i = 1; i < x.length; i++) out[i] = mul(x[i]!, y[i - 1]!);
  return out;
}

/** y + c k, elementwise. */
function axpy(y: readonly Value[], c: number, k: readonly Value[]): Value[] {
  return y.map((yi, i) => add(yi, mul(c, k[i]!)));
}

/**
 * The state after `s` RK4 steps of size 2/s.
 *
 * @example
 * ```ts
 * solveOde([1], 1); // [2]: y_0 = 2 x_0 exactly
 * ```
 */
export function solveOde(x: readonly Value[], s: number): Value[] {
  const h = 2 / s;
  let y: Value[] = x.map(() => 0);
  for (let step = 0; step < s; step++) {
    const k1 = rhs(x, y);
    const k2 = rhs(x, axpy(y, h / 2, k1));
    const k3 = rhs(x, axpy(y, h / 2, k2));
    const k4 = rhs(x, axpy(y, h, k3));
    y = y.map((yi, i) => add(yi, mul(h / 6, add(add(k1[i]!, mul(2, k2[i]!)), add(mul(2, k3[i]!), k4[i]!)))));
  }
  return y;
}

/**
 * The last component of the state after `s` RK4 steps, as plain loops on
 * local arrays (the same arithmetic order as `solveOde`), for the source compiler.
 *
 * @example
 * ```ts
 * odeSource([1], 1); // 2
 * ```
 */
export function odeSource(x: number[], s: number): number {
  const n = x.length;
  const h = 2 / s;
  const y = new Float64Array(n);
  const k1 = new Float64Array(n);
  const k2 = new Float64Array(n);
  const k3 = new Float64Array(n);
  const k4 = new Float64Array(n);
  const tmp = new Float64Array(n);
  for (let step = 0; step < s; step++) {
    k1[0] = x[0]!;
    for (let i = 1; i < n; i++) k1[i] = x[i]! * y[i - 1]!;
    for (let i = 0; i < n; i++) tmp[i] = y[i]! + (h / 2) * k1[i]!;
    k2[0] = x[0]!;
    for (let i = 1; i < n; i++) k2[i] = x[i]! * tmp[i - 1]!;
    for (let i = 0; i < n; i++) tmp[i] = y[i]! + (h / 2) * k2[i]!;
    k3[0] = x[0]!;
    for (let i = 1; i < n; i++) k3[i] = x[i]! * tmp[i - 1]!;
    for (let i = 0; i < n; i++) tmp[i] = y[i]! + h * k3[i]!;
    k4[0] = x[0]!;
    for (let i = 1; i < n; i++) k4[i] = x[i]! * tmp[i - 1]!;
    for (let i = 0; i < n; i++) y[i] = y[i]! + (h / 6) * (k1[i]! + 2 * k2[i]! + (2 * k3[i]! + k4[i]!));
  }
  return y[n - 1]!;
}

/** Compiled once, on first use (compiling reads the source; nothing depends on the input). */
let compiled: ReturnType<typeof compile> | null = null;
const odeCompiled = () => (compiled ??= compile(odeSource, { wrt: [0] }));

/** Parsed ode input. */
export interface OdeInput {
  x: number[];
  s: number;
}

/**
 * Checks an ode input.
 *
 * @example
 * ```ts
 * parseOde({ x: [1, 2], s: 10 });
 * ```
 */
export function parseOde(input: unknown): OdeInput {
  const o = asObject(input, "input");
  const x = asVector(o.x, "input.x");
  if (x.length === 0) throw new InputError("input.x must not be empty");
  const s = asInt(o.s, "input.s", 1);
  // The gradient records about 20 tape entries per element per step.
  checkWork("input.s × the length of input.x", s * x.length, 2_000_000);
  return { x, s };
}

/** The ode module. @example `ode.gradient.run(parseOde(input))` */
export const ode: Module = {
  primal: evalFunction(parseOde, ({ x, s }) => numbers(solveOde(x, s))),
  gradient: evalFunction(
    (input) => { const p = parseOde(input); return { ...p, g: odeCompiled(), out: new Float64Array(p.x.length) }; },
    // The gradient goes into a buffer made once, in prepare, as a tool in any language reuses its output.
    ({ x, s, g, out }) => list(g.valueAndGradInto(out, x, s).grad as Float64Array),
  ),
  gradient_tape: compiledGradient(parseOde, (p) => p.x, (p) => (v) => solveOde(v, p.s)[v.length - 1]!),
};
