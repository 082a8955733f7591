/**
 * The benchmark programs, each written twice: with dualtape ops (the
 * differentiated version) and with plain numbers and Math (the baseline every
 * ratio is taken against), and a third time as plain TypeScript for `compile`
 * (typed arrays for array results). All compute the same values.
 *
 *   f: R^n -> R     sum_i sin(x_i) x_{i+1 mod n} + exp(-x_i^2 / 2)   (neighbour coupling)
 *   g: R -> R^m     y_k = y_{k-1} + 0.01 (cos y_{k-1} - t y_{k-1}), y_0 = t; returns y_1..y_m
 *   F: R^n -> R^m   s = sum_i sin(x_i) x_{i+1 mod n}; then m steps of y_k = y_{k-1} + 0.01 (cos y_{k-1} + x_{k mod n}) from y_0 = s
 */
import { add, sub, mul, sin, cos, exp, compile, type Lifted, type Value, type CompiledFunction } from "../../lib/index.ts";

/** One benchmark program of a given size. */
export interface Problem {
  /** Family and size, e.g. "f n=1000". */
  label: string;
  n: number;
  m: number;
  /** The point the derivatives are taken at. */
  input: number | number[];
  /** The same function on plain numbers. */
  plain: () => unknown;
  /** The function written with dualtape ops (what the transforms receive). */
  ad: (x: never) => Value | Value[];
  /** The function as plain TypeScript for `compile` (differentiated in argument 0), and its arguments. */
  compiled: { fn: CompiledFunction; args: unknown[] };
}

// The programs once more in the language `compile` reads (typed arrays for
// array results); compiled once per family, the size comes in as arguments.
function fSource(x: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    s += Math.sin(xi) * x[(i + 1) % n] + Math.exp(-0.5 * xi * xi);
  }
  return s;
}

function gSource(t: number, m: number): Float64Array {
  const out = new Float64Array(m);
  let y = t;
  for (let k = 0; k < m; k++) {
    y = y + 0.01 * (Math.cos(y) - t * y);
    out[k] = y;
  }
  return out;
}

function gridSource(x: Float64Array, n: number, m: number): Float64Array {
  let y = 0;
  for (let i = 0; i < n; i++) y += Math.sin(x[i]) * x[(i + 1) % n];
  const out = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    y = y + 0.01 * (Math.cos(y) + x[k % n]);
    out[k] = y;
  }
  return out;
}

const compiledOnce = new Map<unknown, CompiledFunction>();
function compiled(f: (...args: never[]) => unknown): CompiledFunction {
  let c = compiledOnce.get(f);
  if (c === undefined) compiledOnce.set(f, (c = compile(f, { wrt: [0] })));
  return c;
}

/**
 * A deterministic input vector with entries in [-1, 1].
 *
 * @example
 * ```ts
 * point(3); // [sin 1, sin 2, sin 3]
 * ```
 */
export function point(n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.sin(i + 1));
}

function fPlain(x: number[]): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    s += Math.sin(xi) * x[(i + 1) % n]! + Math.exp(-0.5 * xi * xi);
  }
  return s;
}

function fAD(x: Lifted[]): Value {
  const n = x.length;
  let s: Value = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    s = add(s, add(mul(sin(xi), x[(i + 1) % n]!), exp(mul(-0.5, mul(xi, xi)))));
  }
  return s;
}

/**
 * f: R^n -> R, a coupled sum of smooth terms.
 *
 * @example
 * ```ts
 * grad(sumProblem(10).ad)(point(10));
 * ```
 */
export function sumProblem(n: number): Problem {
  const x = point(n);
  return { label: `f n=${n}`, n, m: 1, input: x, plain: () => fPlain(x), ad: fAD as (x: never) => Value, compiled: { fn: compiled(fSource), args: [Float64Array.from(x), n] } };
}

function gPlain(t: number, m: number): number[] {
  const out = new Array<number>(m);
  let y = t;
  for (let k = 0; k < m; k++) {
    y = y + 0.01 * (Math.cos(y) - t * y);
    out[k] = y;
  }
  return out;
}

function gAD(m: number): (t: Lifted) => Value[] {
  return (t) => {
    const out = new Array<Value>(m);
    let y: Value = t;
    for (let k = 0; k < m; k++) {
      y = add(y, mul(0.01, sub(cos(y), mul(t, y))));
      out[k] = y;
    }
    return out;
  };
}

/**
 * g: R -> R^m, the trajectory of a smooth scalar recurrence.
 *
 * @example
 * ```ts
 * jacfwd(recurrenceProblem(100).ad)(0.3);
 * ```
 */
export function recurrenceProblem(m: number): Problem {
  const t = 0.3;
  return { label: `g m=${m}`, n: 1, m, input: t, plain: () => gPlain(t, m), ad: gAD(m) as (x: never) => Value[], compiled: { fn: compiled(gSource), args: [t, m] } };
}

function gridPlain(x: number[], m: number): number[] {
  const n = x.length;
  let y = 0;
  for (let i = 0; i < n; i++) y += Math.sin(x[i]!) * x[(i + 1) % n]!;
  const out = new Array<number>(m);
  for (let k = 0; k < m; k++) {
    y = y + 0.01 * (Math.cos(y) + x[k % n]!);
    out[k] = y;
  }
  return out;
}

function gridAD(m: number): (x: Lifted[]) => Value[] {
  return (x) => {
    const n = x.length;
    let y: Value = 0;
    for (let i = 0; i < n; i++) y = add(y, mul(sin(x[i]!), x[(i + 1) % n]!));
    const out = new Array<Value>(m);
    for (let k = 0; k < m; k++) {
      y = add(y, mul(0.01, add(cos(y), x[k % n]!)));
      out[k] = y;
    }
    return out;
  };
}

/**
 * F: R^n -> R^m, a coupled sum feeding an m-step recurrence (every output depends on every input).
 *
 * @example
 * ```ts
 * jacobian(gridProblem(10, 100).ad)(point(10));
 * ```
 */
export function gridProblem(n: number, m: number): Problem {
  const x = point(n);
  return {
    label: `F ${n}x${m}`, n, m, input: x, plain: () => gridPlain(x, m), ad: gridAD(m) as (x: never) => Value[],
    compiled: { fn: compiled(gridSource), args: [Float64Array.from(x), n, m] },
  };
}
