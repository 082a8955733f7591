/**
 * Loops that apply one registered op's `value` over Float64Arrays. A single
 * shared loop calls every op's value function from one call site, which V8
 * sees as megamorphic and cannot inline: a function call per element. A
 * loop compiled per value function (from the fixed templates below, with the
 * op's function passed in, never from user strings) has a single target,
 * so V8 inlines the value into the loop. Without code generation (a strict
 * Content Security Policy) ordinary closures do the same work.
 */

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

function closures(f: Fn): Loops {
  return {
    unary: (x, out) => { for (let i = 0; i < out.length; i++) out[i] = f(x[i]!); },
    same: (a, b, out) => { for (let i = 0; i < out.length; i++) out[i] = f(a[i]!, b[i]!); },
    left: (a, b, out) => { for (let i = 0; i < out.length; i++) out[i] = f(a, b[i]!); },
    right: (a, b, out) => { for (let i = 0; i < out.length; i++) out[i] = f(a[i]!, b); },
    strided: (a, ao, as, b, bo, bs, out, o, n) => { for (let i = 0; i < n; i++) out[o + i] = f(a[ao + i * as]!, b[bo + i * bs]!); },
  };
}

function compiled(f: Fn): Loops {
  const make = (body: string) => new Function("f", body)(f);
  return { unary: make(BODIES.unary), same: make(BODIES.same), left: make(BODIES.left), right: make(BODIES.right), strided: make(BODIES.strided) };
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
    try {
      loops = compiled(f);
    } catch {
      loops = closures(f);
    }
    cache.set(f, loops);
  }
  return loops;
}
