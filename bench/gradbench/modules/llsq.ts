/**
 * llsq: y(x) = ½ Σ_i (s_i - Σ_j x_j t_i^j)² with t_i = -1 + 2i/(n-1) and
 * s_i = sign(t_i). The gradient is the source compiler's reverse code for
 * the plain-number loop `llsqSource` (`compile`, once per process); the same
 * objective written with ops on traced values stays as `gradient_tape`
 * (compileGrad, recorded once per shape in `prepare`), for comparison.
 */
import { add, sub, mul, square, compile, type Value } from "../../../lib/index.ts";
import { compiledGradient } from "../compiled.ts";
import { asObject, asInt, asVector, checkWork } from "../input.ts";
import { evalFunction, type Module } from "../runs.ts";
import { scalar, list } from "../output.ts";

/**
 * The least-squares objective for coefficients `x` and `n` sample points.
 *
 * @example
 * ```ts
 * llsqObjective([0, 0, 0], 5); // 2 (four points with |s| = 1)
 * ```
 */
export function llsqObjective(x: readonly Value[], n: number): Value {
  let total: Value = 0;
  for (let i = 0; i < n; i++) {
    const t = -1 + (i * 2) / (n - 1);
    let fit: Value = 0;
    let power = 1;
    for (let j = 0; j < x.length; j++) {
      fit = add(fit, mul(x[j]!, power));
      power *= t;
    }
    total = add(total, square(sub(Math.sign(t), fit)));
  }
  return mul(0.5, total);
}

/**
 * The same objective as plain-number loop code, for the source compiler.
 *
 * @example
 * ```ts
 * llsqSource([0, 0, 0], 5); // 2
 * ```
 */
export function llsqSource(x: ArrayLike<number>, n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const t = -1 + (i * 2) / (n - 1);
    let fit = 0;
    let power = 1;
    for (let j = 0; j < x.length; j++) {
      fit += x[j]! * power;
      power *= t;
    }
    const r = Math.sign(t) - fit;
    total += r * r;
  }
  return 0.5 * total;
}

/** Compiled once, on first use (compiling reads the source; nothing depends on the input). */
let compiled: ReturnType<typeof compile> | null = null;
const llsqCompiled = () => (compiled ??= compile(llsqSource, { wrt: [0] }));

/** Parsed llsq input. */
export interface LlsqInput {
  x: number[];
  n: number;
}

/**
 * Checks an llsq input.
 *
 * @example
 * ```ts
 * parseLlsq({ x: [1, 2], n: 4 }); // { x: [1, 2], n: 4 }
 * ```
 */
export function parseLlsq(input: unknown): LlsqInput {
  const o = asObject(input, "input");
  const x = asVector(o.x, "input.x");
  const n = asInt(o.n, "input.n", 2);
  // The gradient records about 2 tape entries per point and coefficient.
  checkWork("input.n × the length of input.x", n * Math.max(1, x.length), 10_000_000);
  return { x, n };
}

/** The llsq module. @example `llsq.gradient.run(parseLlsq(input))` */
export const llsq: Module = {
  primal: evalFunction(parseLlsq, ({ x, n }) => scalar(llsqObjective(x, n))),
  gradient: evalFunction(
    (input) => { const p = parseLlsq(input); return { ...p, g: llsqCompiled(), out: new Float64Array(p.x.length) }; },
    // The gradient goes into a buffer made once, in prepare, as a tool in any language reuses its output.
    ({ x, n, g, out }) => list(g.valueAndGradInto(out, x, n).grad as Float64Array),
  ),
  gradient_tape: compiledGradient(parseLlsq, (p) => p.x, (p) => (v) => llsqObjective(v, p.n)),
};
