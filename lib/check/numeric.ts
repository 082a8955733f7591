/**
 * Numerical differentiation by finite differences: the independent oracle
 * the AD transforms are checked against. f is evaluated on plain numbers and
 * Tensors only; results come back in the same structures as the AD
 * transforms (`derivative`, `grad`, `jacfwd`/`jacrev`).
 *
 * Two methods:
 * - `'central'`: (f(x + h) - f(x - h)) / 2h with h = eps^(1/3) s, the step
 *   that balances the O(h²) truncation error against the O(eps/h) rounding
 *   error on a function varying on the scale s (about 1e-10 relative
 *   accuracy on well-scaled functions).
 * - `'richardson'`: central differences at h, h/2, ..., h/32 combined in a
 *   Richardson tableau (each column cancels the next even power of h), with
 *   h = eps^(1/5) s, the balance point of the fourth-order rule the first
 *   column already gives. Per output element the entry whose change from
 *   its neighbours in the tableau (plus its rounding error) is smallest is
 *   kept (Ridders' error estimate), so a too-large first step, a kink a few
 *   steps away, or steps that leave f's domain (NaN entries are never kept)
 *   only cost the first rows. Typically 1e-12 to 1e-13 relative accuracy.
 *
 * The scale s of f is not known, so unless the caller gives h, a ladder of
 * scales from max(1, |x_i|) down to min(1, |x_i|) is tried (steps.ts) and
 * each output element keeps the estimate with the smallest error estimate:
 * sin at 1e6 gets a step near 1e-5 (not 6), log at 1e-300 one near 1e-306.
 *
 * Every step is made exactly representable by dividing by (x + h) - (x - h)
 * rather than by 2h.
 */
import { Lifted } from "../registry/lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { fail, describe, checkOptions, DomainError, ShapeError, TypeMismatchError } from "../errors.ts";
import { splitOutput, single, flat as flatSplit, type Split } from "../structure/structure.ts";
import { layoutJacobian } from "../structure/jacobian-layout.ts";
import { candidateSteps, firstMinimum, roundingError, withSharedRounding, type Estimate } from "./steps.ts";

/**
 * How derivatives are approximated.
 *
 * @example
 * ```ts
 * numericDerivative(Math.sin, 0, { method: "richardson" }); // 1, to about 1e-12
 * ```
 */
export type NumericMethod = "central" | "richardson";

/**
 * Options of the numeric differentiation functions.
 *
 * @example
 * ```ts
 * numericGradient((x) => x[0]! * x[1]!, [2, 3], { method: "central", h: 1e-5 }); // ≈ [3, 2]
 * ```
 */
export interface NumericOptions {
  /** `'central'` (default) or `'richardson'` (slower, several digits more accurate). */
  method?: NumericMethod;
  /** Absolute step for every coordinate (Richardson: the first, largest step). Default: scaled to |x_i|. */
  h?: number;
}

/**
 * What numeric differentiation accepts as the point x.
 *
 * @example
 * ```ts
 * numericGradient((x) => x[0]! ** 2, [3]);                  // number[] input: ≈ [6]
 * numericJacobian((t) => t, tensor([1, 2]));                 // Tensor input
 * ```
 */
export type PlainInput = number | readonly number[] | Tensor;
/**
 * What f may return: a number, a Tensor, or an array of them.
 *
 * @example
 * ```ts
 * numericJacobian((x) => [x[0]! * x[1]!, x[0]!], [2, 3]);   // an array of numbers: ≈ [[3, 2], [1, 0]]
 * ```
 */
export type PlainOutput = number | Tensor | readonly (number | Tensor)[];
/**
 * f's parameter for an input of type X.
 *
 * @example
 * ```ts
 * const f = (x: PlainOf<number[]>) => x[0]! * x[1]!; // x: number[]
 * numericGradient(f, [2, 3]); // ≈ [3, 2]
 * ```
 */
export type PlainOf<X> = X extends number ? number : X extends readonly unknown[] ? number[] : Tensor;
/**
 * A derivative shaped like f's output Y.
 *
 * @example
 * ```ts
 * const d: ShapedLike<number[]> = numericDerivative((t) => [t, t * t], 3); // ≈ [1, 6]
 * ```
 */
export type ShapedLike<Y> = Y extends number ? number : Y extends Tensor ? Tensor : Y extends readonly number[] ? number[] : (number | Tensor)[];

const EPS = Number.EPSILON;
/** Central step scale: eps^(1/3). */
const CENTRAL_SCALE = Math.cbrt(EPS);
/** Richardson first-step scale: eps^(1/5). */
const RICHARDSON_SCALE = EPS ** 0.2;
/** Rows of the Richardson tableau: steps h, h/2, ..., h/2^(ROWS-1). */
const ROWS = 6;

interface Resolved {
  method: NumericMethod;
  h: number | null;
}

/** The point x flattened, and how to rebuild a point of the same structure. */
interface Point {
  split: Split;
  flat: Float64Array;
  rebuild: (v: Float64Array) => unknown;
}

type Fn = (x: never) => unknown;
/** f at a flattened point: the flattened output. */
type Probe = (v: Float64Array) => Float64Array;

function resolveOptions(api: string, options: unknown): Resolved {
  if (options === undefined) return { method: "central", h: null };
  checkOptions(api, options, ["method", "h"]);
  const { method = "central", h } = options as { method?: unknown; h?: unknown };
  if (typeof method !== "string") {
    fail(api, `method is ${describe(method)}, not a string`, "pass method: 'central' or 'richardson'", TypeMismatchError);
  }
  if (method !== "central" && method !== "richardson") {
    fail(api, `unknown method ${describe(method)}`, "pass method: 'central' or 'richardson'", DomainError);
  }
  if (h === undefined) return { method, h: null };
  if (typeof h !== "number") fail(api, `h is ${describe(h)}, not a number`, "pass a positive step such as h: 1e-4, or omit h", TypeMismatchError);
  if (!(h > 0) || !Number.isFinite(h)) {
    fail(api, `the step h must be positive and finite, got ${h}`, "pass a positive step such as h: 1e-4, or omit h to scale it to x", DomainError);
  }
  return { method, h };
}

function checkFunction(api: string, f: unknown): void {
  if (typeof f !== "function") fail(api, `expected a function, got ${describe(f)}`, "pass (x) => value on plain numbers", TypeMismatchError);
}

function checkEntry(api: string, v: unknown, where: string): number {
  if (v instanceof Lifted) {
    fail(api, `${where} is a Dual/Var`, "pass plain numbers and Tensors; numeric differentiation does not run inside AD transforms", TypeMismatchError);
  }
  if (typeof v !== "number") fail(api, `${where} is ${describe(v)}`, "pass a number, a number[] or a Tensor", TypeMismatchError);
  if (!Number.isFinite(v)) fail(api, `${where} is ${v}`, "evaluate at a point with finite coordinates", DomainError);
  return v;
}

function plainPoint(api: string, x: unknown): Point {
  let flat: Float64Array;
  let rebuild: (v: Float64Array) => unknown;
  if (Array.isArray(x)) {
    flat = Float64Array.from(x, (v, i) => checkEntry(api, v, `element ${i} of x`));
    rebuild = (v) => Array.from(v);
  } else if (x instanceof Tensor) {
    flat = x.data.slice();
    flat.forEach((v, i) => checkEntry(api, v, `element ${i} of the Tensor x`));
    const shape = x.shape;
    rebuild = (v) => new Tensor(v.slice(), shape);
  } else {
    flat = Float64Array.of(checkEntry(api, x, "x"));
    rebuild = (v) => v[0];
  }
  if (flat.length === 0) fail(api, "x has no elements", "pass at least one coordinate", DomainError);
  const split: Split = Array.isArray(x) ? flatSplit(Array.from(flat)) : single(x as number | Tensor);
  return { split, flat, rebuild };
}

function flattenOutput(api: string, y: unknown): { split: Split; values: Float64Array } {
  const split = splitOutput(api, y);
  const parts: number[] = [];
  for (const item of split.items) {
    if (item instanceof Lifted) {
      fail(api, "f returned a Dual/Var", "numeric differentiation calls f on plain values; return numbers or Tensors (use gradcheck for the AD modes)", TypeMismatchError);
    }
    if (typeof item === "number") parts.push(item);
    else for (let k = 0; k < item.size; k++) parts.push(item.data[k]);
  }
  return { split, values: Float64Array.from(parts) };
}

function probeOf(api: string, f: Fn, p: Point, m: number): Probe {
  return (v) => {
    const values = flattenOutput(api, (f as (x: unknown) => unknown)(p.rebuild(v))).values;
    if (values.length !== m) {
      fail(api, `f returned ${values.length} elements near x but ${m} at x`, "make f's output structure independent of the point", ShapeError);
    }
    return values;
  };
}

/**
 * d f / d x_i by one central difference with step h, the larger |f| of the
 * two points (for rounding bounds), and where both points gave the same value.
 */
function central(api: string, probe: Probe, x: Float64Array, i: number, h: number): { d: Float64Array; fmag: Float64Array; flat: Uint8Array } {
  const v = x.slice();
  const xi = x[i];
  v[i] = xi + h;
  const up = probe(v);
  v[i] = xi - h;
  const down = probe(v);
  const width = xi + h - (xi - h);
  if (width === 0) {
    fail(api, `the step h = ${h} vanishes next to x = ${xi} in floating point`, "pass a larger h, or omit h to scale it to x", DomainError);
  }
  return {
    d: up.map((u, j) => (u - down[j]) / width),
    fmag: up.map((u, j) => Math.max(Math.abs(u), Math.abs(down[j]))),
    flat: Uint8Array.from(up, (u, j) => (u === down[j] ? 1 : 0)),
  };
}

/** A central difference at h with its error estimate: the change from h/2 (truncation) plus rounding. */
function centralEstimate(api: string, probe: Probe, x: Float64Array, i: number, h: number): Estimate {
  const wide = central(api, probe, x, i, h);
  const narrow = central(api, probe, x, i, h / 2);
  // D(h) - D(h/2) is 3/4 of D(h)'s h² error.
  const error = wide.d.map((d, j) => (4 / 3) * Math.abs(d - narrow.d[j]) + roundingError(wide.fmag[j], h));
  return {
    value: wide.d, error, flat: wide.flat.map((f, j) => f & narrow.flat[j]),
    scale: wide.fmag.map((m, j) => Math.max(m, narrow.fmag[j])), step: h / 2,
  };
}

/** d f / d x_i by Richardson extrapolation of central differences at h, h/2, ..., keeping the best entry per element. */
function richardson(api: string, probe: Probe, x: Float64Array, i: number, h0: number): Estimate {
  let previous: Float64Array[] = [];
  let best: Float64Array | null = null;
  let bestError: Float64Array | null = null;
  let fmag: Float64Array | null = null;
  let flat: Uint8Array | null = null;
  for (let k = 0; k < ROWS; k++) {
    const h = h0 / 2 ** k;
    const c = central(api, probe, x, i, h);
    const row = [c.d];
    fmag = fmag === null ? c.fmag : fmag.map((m, e) => Math.max(m, c.fmag[e]));
    flat = flat === null ? c.flat : flat.map((f, e) => f & c.flat[e]);
    best ??= row[0].map(() => NaN);
    bestError ??= row[0].map(() => Infinity);
    for (let j = 1; j <= k; j++) {
      const here = row[j - 1];
      const above = previous[j - 1];
      const denominator = 4 ** j - 1;
      const next = here.map((t, e) => t + (t - above[e]) / denominator);
      next.forEach((t, e) => {
        const error = Math.max(Math.abs(t - here[e]), Math.abs(t - above[e])) + roundingError(fmag![e], h);
        if (error < bestError![e]) {
          bestError![e] = error;
          best![e] = t;
        }
      });
      row.push(next);
    }
    previous = row;
  }
  return { value: best!, error: bestError!, flat: flat!, scale: fmag!, step: h0 / 2 ** (ROWS - 1) };
}

/** d f / d x_i: at the caller's step, or the best over the ladder of candidate steps. */
function column(api: string, probe: Probe, x: Float64Array, i: number, opts: Resolved): Float64Array {
  const scheme = opts.method === "central" ? centralEstimate : richardson;
  if (opts.h !== null) {
    return opts.method === "central" ? central(api, probe, x, i, opts.h).d : richardson(api, probe, x, i, opts.h).value;
  }
  const central_ = opts.method === "central";
  const steps = candidateSteps(x[i], central_ ? CENTRAL_SCALE : RICHARDSON_SCALE, central_ ? 2 : 2 ** (ROWS - 1));
  return firstMinimum(withSharedRounding(steps.reverse().map((h) => scheme(api, probe, x, i, h))));
}

/** The columns d f / d x_i, i = 0..n-1, each of length m. */
function columns(api: string, f: Fn, p: Point, m: number, opts: Resolved): Float64Array[] {
  const probe = probeOf(api, f, p, m);
  return Array.from(p.flat, (_, i) => column(api, probe, p.flat, i, opts));
}

function transpose(cols: Float64Array[], m: number): number[][] {
  return Array.from({ length: m }, (_, j) => cols.map((c) => c[j]));
}

/** Evaluates f at x and returns its output split and the Jacobian rows. */
function jacobianRows(api: string, f: unknown, x: unknown, options: unknown): { out: Split; p: Point; rows: number[][] } {
  checkFunction(api, f);
  const opts = resolveOptions(api, options);
  const p = plainPoint(api, x);
  const base = flattenOutput(api, (f as (x: unknown) => unknown)(p.rebuild(p.flat)));
  const m = base.values.length;
  return { out: base.split, p, rows: transpose(columns(api, f as Fn, p, m, opts), m) };
}

/**
 * The Jacobian of f at x by finite differences, laid out like `jacfwd` /
 * `jacrev` (output structure outside, input structure inside). f is called
 * with plain values: a number, a number[] or a Tensor, like x.
 *
 * @example
 * ```ts
 * numericJacobian((x) => [x[0] * x[1], Math.sin(x[0])], [2, 3]); // ≈ [[3, 2], [cos 2, 0]]
 * ```
 */
export function numericJacobian<X extends PlainInput>(f: (x: PlainOf<X>) => PlainOutput, x: X, options?: NumericOptions): unknown {
  return differenceJacobian("numericJacobian", f, x, options);
}

/**
 * `numericJacobian` reporting errors under the caller's name (for `gradcheck`).
 *
 * @example
 * ```ts
 * differenceJacobian("gradcheck", (x) => x * x, 3, { method: "richardson" }); // ≈ 6
 * ```
 */
export function differenceJacobian(api: string, f: unknown, x: unknown, options?: NumericOptions): unknown {
  const { out, p, rows } = jacobianRows(api, f, x, options);
  return layoutJacobian(out, p.split, rows);
}

/**
 * The gradient of a scalar f at x by finite differences, in x's structure
 * (number, number[] or Tensor), like `grad`.
 *
 * @example
 * ```ts
 * numericGradient((x) => x[0] * x[0] + 3 * x[1], [2, 5], { method: "richardson" }); // ≈ [4, 3]
 * ```
 */
export function numericGradient<X extends PlainInput>(
  f: (x: PlainOf<X>) => number | Tensor, x: X, options?: NumericOptions,
): X extends number ? number : X extends readonly unknown[] ? number[] : Tensor {
  const { out, p, rows } = jacobianRows("numericGradient", f, x, options);
  if (out.array || rows.length !== 1) {
    fail("numericGradient", `f returned ${out.array ? "an array" : `${rows.length} elements`}, not a scalar`,
      "return a single number (or a one-element Tensor); use numericJacobian for several outputs", ShapeError);
  }
  return layoutJacobian(single(0), p.split, rows) as never;
}

/**
 * The derivative of f: R -> R (or of each output of an array- or
 * Tensor-valued f) at the number x by finite differences, like `derivative`.
 *
 * @example
 * ```ts
 * numericDerivative(Math.sin, 0.5);                             // ≈ cos 0.5
 * numericDerivative((t) => [t * t, 3 * t], 2, { h: 1e-4 });     // ≈ [4, 3]
 * ```
 */
export function numericDerivative<Y extends PlainOutput>(f: (x: number) => Y, x: number, options?: NumericOptions): ShapedLike<Y> {
  if (typeof x !== "number") {
    fail("numericDerivative", `x is ${describe(x)}, not a number`, "use numericGradient or numericJacobian for arrays and Tensors", TypeMismatchError);
  }
  const { out, p, rows } = jacobianRows("numericDerivative", f, x, options);
  return layoutJacobian(out, p.split, rows) as ShapedLike<Y>;
}
