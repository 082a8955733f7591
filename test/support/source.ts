/**
 * Checks a compiled function against independent truths: the same program
 * written with dualtape ops and differentiated by Var (grad) and Dual
 * (jacfwd), and central differences of the plain function itself.
 */
import { compile, grad, jacfwd, type Lifted } from "../../lib/index.ts";
import { closeAll } from "./close.ts";

/** Central differences of a number-valued f along each entry of x (the other arguments fixed). */
export function centralGradient(f: (x: Float64Array, ...rest: number[]) => number, x: Float64Array, rest: number[], h = 1e-6): number[] {
  return Array.from(x, (_, i) => {
    const up = x.slice();
    const dn = x.slice();
    up[i]! += h;
    dn[i]! -= h;
    return (f(up, ...rest) - f(dn, ...rest)) / (2 * h);
  });
}

/**
 * Asserts compiled grad == compiled forward (jacobian by columns, and jvp
 * one direction at a time) == Var grad == Dual jacfwd (to 1e-12) and ==
 * central differences (to `fdRel`).
 *
 * @example
 * ```ts
 * agreeOnGradient(plain, (x) => ops version, Float64Array.from([1, 2]), [2]);
 * ```
 */
export function agreeOnGradient(
  plain: (x: Float64Array, ...rest: number[]) => number,
  lifted: (x: Lifted[], ...rest: number[]) => Lifted | number,
  x: Float64Array,
  rest: number[] = [],
  fdRel = 1e-6,
): Float64Array {
  const C = compile(plain, { wrt: [0] });
  const { value, grad: g } = C.valueAndGrad(x, ...rest) as { value: number; grad: Float64Array };
  closeAll([value], [plain(x, ...rest)], 1e-14);
  const byForward = (C.jacobian([x, ...rest], { mode: "forward" }) as number[][])[0]!;
  const byVar = grad((v: Lifted[]) => lifted(v, ...rest) as Lifted)(Array.from(x)) as number[];
  const byDual = jacfwd((v: Lifted[]) => lifted(v, ...rest) as Lifted)(Array.from(x)) as number[];
  // One direction at a time (jvp), besides the four-lane passes of jacobian.
  const byJvp = Array.from(x, (_, i) => {
    const e = new Float64Array(x.length);
    e[i] = 1;
    return C.jvp([x, ...rest], [e]).tangent as number;
  });
  closeAll(g, byForward, 1e-12);
  closeAll(g, byJvp, 1e-12);
  closeAll(g, byVar, 1e-12);
  closeAll(g, byDual, 1e-12);
  closeAll(g, centralGradient(plain, x, rest), fdRel);
  return g;
}

/** One generated function's text from `compile(f, { wrt: [0] }).source`, from `start` to `end` (or to the fused pass, or the end). */
function part(f: (...a: never[]) => unknown, start: string, end: string | null): string {
  const s = compile(f, { wrt: [0] }).source;
  const fused = s.indexOf("function fused(");
  const stop = end !== null ? s.indexOf(end) : fused >= 0 ? fused : undefined;
  return s.slice(s.indexOf(start), stop);
}

/**
 * The forward sweep of reverse mode (the part that saves), as text.
 *
 * @example
 * ```ts
 * assert.not.match(sweepOf(f), /\$is\[\$ip\+\+\]/); // saves no integer
 * ```
 */
export const sweepOf = (f: (...a: never[]) => unknown): string => part(f, "function sweep", "function reverse");

/**
 * The one-direction forward-mode function, as text.
 *
 * @example
 * ```ts
 * forwardOf(f).includes("h / 2"); // false once h / 2 moved out of the loop
 * ```
 */
export const forwardOf = (f: (...a: never[]) => unknown): string => part(f, "function forward(", "function forwardLanes");

/**
 * The adjoint sweep of reverse mode, as text.
 *
 * @example
 * ```ts
 * assert.match(adjointOf(f), /-= 4\)/); // a replayed sum runs four trips at a time
 * ```
 */
export const adjointOf = (f: (...a: never[]) => unknown): string => part(f, "function reverse", null);

/**
 * The fused reverse pass for one cotangent, as text ("" when f has none).
 *
 * @example
 * ```ts
 * assert.match(fusedOf(f), /while \(/); // the loop whose trips each run their adjoint
 * ```
 */
export const fusedOf = (f: (...a: never[]) => unknown): string => {
  const s = compile(f, { wrt: [0] }).source;
  const at = s.indexOf("function fused(");
  return at < 0 ? "" : s.slice(at, s.indexOf("function fusedLanes("));
};
