/**
 * Loops that apply one registered op's `value` over Float64Arrays, compiled
 * per value function by lib/codegen.ts (which says why), so V8 inlines the
 * value into the loop instead of calling it per element.
 */
import { generated } from "../codegen.ts";

type Fn = (...xs: number[]) => number;

/** The loops for one value function. */
export interface Loops {
  /** out[i] = f(x[i]) */
  unary(x: Float64Array, out: Float64Array): void;
  /** out[i] = f(a[i], b[i]) */
  same(a: Float64Array, b: Float64Array, out: Float64Array): void;
  /** out[i] = f(a, b[i]) */
  left(a: number, b: Float64Array, out: Float64Array): void;
  /** out[i] = f(a[i], b) */
  right(a: Float64Array, b: number, out: Float64Array): void;
  /** out[o + i] = f(a[ao + i*as], b[bo + i*bs]) for i < n: one broadcast row. */
  strided(a: Float64Array, ao: number, as: number, b: Float64Array, bo: number, bs: number, out: Float64Array, o: number, n: number): void;
}

const BODIES = {
  unary: "return function unary(x, out) { const n = out.length; for (let i = 0; i < n; i++) out[i] = f(x[i]); };",
  same: "return function same(a, b, out) { const n = out.length; for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]); };",
  left: "return function left(a, b, out) { const n = out.length; for (let i = 0; i < n; i++) out[i] = f(a, b[i]); };",
  right: "return function right(a, b, out) { const n = out.length; for (let i = 0; i < n; i++) out[i] = f(a[i], b); };",
  strided: "return function strided(a, ao, as, b, bo, bs, out, o, n) { for (let i = 0; i < n; i++) out[o + i] = f(a[ao + i * as], b[bo + i * bs]); };",
};

/** BODIES as ordinary closures, loop for loop (used where code generation is off). */
const CLOSURES: { [K in keyof Loops]: (f: Fn) => Loops[K] } = {
  unary: (f) => function unary(x, out) { const n = out.length; for (let i = 0; i < n; i++) out[i] = f(x[i]); },
  same: (f) => function same(a, b, out) { const n = out.length; for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]); },
  left: (f) => function left(a, b, out) { const n = out.length; for (let i = 0; i < n; i++) out[i] = f(a, b[i]); },
  right: (f) => function right(a, b, out) { const n = out.length; for (let i = 0; i < n; i++) out[i] = f(a[i], b); },
  strided: (f) => function strided(a, ao, as, b, bo, bs, out, o, n) { for (let i = 0; i < n; i++) out[o + i] = f(a[ao + i * as], b[bo + i * bs]); },
};

function build(f: Fn): Loops {
  const make = <K extends keyof Loops>(k: K): Loops[K] => generated(BODIES[k], { f }, () => CLOSURES[k](f));
  return { unary: make("unary"), same: make("same"), left: make("left"), right: make("right"), strided: make("strided") };
}

const cache = new WeakMap<Fn, Loops>();

/**
 * The loops for `f` (a registered op's value function: created once and kept).
 *
 * @example
 * ```ts
 * loopsFor(Math.exp).unary(x.data, out);
 * ```
 */
export function loopsFor(f: Fn): Loops {
  let loops = cache.get(f);
  if (loops === undefined) {
    loops = build(f);
    cache.set(f, loops);
  }
  return loops;
}
