/**
 * `gradcheck`: computes the Jacobian of a function written with dualtape ops
 * three independent ways (forward mode, reverse mode, Richardson finite
 * differences) and reports how far they are apart.
 *
 * This module sits in lib/shared yet calls the forward and reverse
 * transforms: it is the one checking utility that needs both modes, and
 * nothing in lib/forward or lib/reverse imports it, so no cycle arises.
 */
import { Tensor } from "../tensor/tensor.ts";
import { fail, describe, checkOptions, DomainError, TypeMismatchError } from "../errors.ts";
import type { Input, Output } from "../structure/structure.ts";
import { differenceJacobian, type PlainInput } from "./numeric.ts";
import { jacfwd } from "../forward/jacfwd.ts";
import { jvp } from "../forward/jvp.ts";
import { jacrev } from "../reverse/jacrev.ts";
import type { Traced } from "../reverse/grad.ts";
import type { TracedArg, InputFor } from "../structure/structure.ts";

/**
 * Options of `gradcheck`: an entry passes when |a - b| <= atol + rtol max(|a|, |b|) for every pair of methods.
 *
 * @example
 * ```ts
 * gradcheck((x: Lifted[]) => mul(x[0]!, sin(x[1]!)), [1, 2], { atol: 1e-8, rtol: 1e-6 }).ok; // true
 * ```
 */
export interface GradcheckOptions {
  /** Relative tolerance (default 1e-6). */
  rtol?: number;
  /** Absolute tolerance (default 1e-8). */
  atol?: number;
  /** First step of the Richardson finite differences (default scaled to |x_i|). */
  h?: number;
}

/**
 * One Jacobian entry as the three methods computed it; row and col index the flattened m x n Jacobian.
 *
 * @example
 * ```ts
 * const r = gradcheck((x: Lifted[]) => mul(x[0]!, x[1]!), [2, 3]);
 * r.worst; // the entry with the largest error: its row, col and the three values
 * ```
 */
export interface GradcheckEntry {
  row: number;
  col: number;
  forward: number;
  reverse: number;
  numeric: number;
  /** The largest of the three pairwise differences; Infinity when any method gives NaN or they are not finite. */
  absError: number;
  /** absError over the largest magnitude of the three (0 when all are 0, Infinity with absError). */
  relError: number;
}

/**
 * What `gradcheck` reports.
 *
 * @example
 * ```ts
 * const r = gradcheck((x: Lifted[]) => mul(x[0]!, x[1]!), [2, 3]);
 * r.ok;           // true
 * r.maxAbsError;  // about 1e-12 (the finite differences' error)
 * ```
 */
export interface GradcheckResult {
  /** True when every entry passes against the tolerances; an entry that is NaN (or non-finite) in any method fails. */
  ok: boolean;
  maxAbsError: number;
  maxRelError: number;
  /** The Jacobian by `jacfwd`, laid out like `jacfwd`'s result. */
  forward: unknown;
  /** The Jacobian by `jacrev`. */
  reverse: unknown;
  /** The Jacobian by Richardson finite differences. */
  numeric: unknown;
  /** The entry furthest outside (or closest to the edge of) the tolerance; null for an empty Jacobian. */
  worst: GradcheckEntry | null;
  rtol: number;
  atol: number;
}

const API = "gradcheck";

function tolerance(name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number") fail(API, `${name} is ${describe(v)}, not a number`, `pass ${name} as a non-negative number, or omit it`, TypeMismatchError);
  if (!(v >= 0) || !Number.isFinite(v)) fail(API, `${name} must be finite and non-negative, got ${v}`, `pass e.g. ${name}: 1e-6`, DomainError);
  return v;
}

/** Depth-first flattening of a laid-out Jacobian: row-major m x n order. */
function flatten(j: unknown, into: number[]): number[] {
  if (typeof j === "number") into.push(j);
  else if (j instanceof Tensor) for (let k = 0; k < j.size; k++) into.push(j.data[k]);
  else if (Array.isArray(j)) for (const e of j) flatten(e, into);
  else fail(API, `a Jacobian entry is ${describe(j)}`, "return plain numbers or Tensors from f", TypeMismatchError);
  return into;
}

function zeroTangent(x: PlainInput): PlainInput {
  if (typeof x === "number") return 0;
  if (x instanceof Tensor) return new Tensor(new Float64Array(x.size), x.shape);
  return x.map(() => 0);
}

function entryOf(row: number, col: number, a: number, b: number, c: number): GradcheckEntry {
  // A NaN in any method is never a verified derivative: it cannot be bounded,
  // and NaN comparisons would otherwise let the entry pass silently.
  if (a !== a || b !== b || c !== c) return { row, col, forward: a, reverse: b, numeric: c, absError: Infinity, relError: Infinity };
  const gap = Math.max(Math.abs(a - b), Math.abs(a - c), Math.abs(b - c));
  const absError = Number.isNaN(gap) ? Infinity : gap;
  const magnitude = Math.max(Math.abs(a), Math.abs(b), Math.abs(c));
  const relError = absError === 0 ? 0 : absError / magnitude;
  return { row, col, forward: a, reverse: b, numeric: c, absError, relError: Number.isNaN(relError) ? Infinity : relError };
}

/** How far outside its tolerance an entry is (> 1 fails; Infinity when it cannot be bounded). */
function excess(e: GradcheckEntry, rtol: number, atol: number): number {
  if (e.absError === 0) return 0;
  if (e.absError === Infinity) return Infinity;
  const bound = atol + rtol * Math.max(Math.abs(e.forward), Math.abs(e.reverse), Math.abs(e.numeric));
  return bound === 0 ? Infinity : e.absError / bound;
}

/**
 * Checks a function's derivatives: the Jacobian by `jacfwd`, by `jacrev` and
 * by Richardson finite differences must agree entry by entry within
 * `atol + rtol * max(|a|, |b|)`. f is written with dualtape ops, like any
 * function given to the transforms; x is a number, a number[] or a Tensor.
 *
 * @example
 * ```ts
 * const r = gradcheck((x) => [x[0].mul(x[1]).sin(), x[1].exp()], [0.5, 2]);
 * r.ok;          // true
 * r.maxRelError; // ~1e-12
 * ```
 */
export function gradcheck<X extends Input>(f: (x: Traced<X>) => Output, x: X, options: GradcheckOptions = {}): GradcheckResult {
  if (typeof f !== "function") fail(API, `expected a function, got ${describe(f)}`, "pass (x) => value written with dualtape ops", TypeMismatchError);
  checkOptions(API, options, ["rtol", "atol", "h"]);
  const rtol = tolerance("rtol", options.rtol, 1e-6);
  const atol = tolerance("atol", options.atol, 1e-8);
  const g = f as (x: TracedArg) => Output;
  // The numeric oracle needs f on plain values; a zero-tangent forward pass
  // gives exactly the plain values while letting f use methods (x.mul(y)).
  const plain = (p: PlainInput) => jvp(g as never, p as never, zeroTangent(p) as never).value as number | Tensor | (number | Tensor)[];
  const numeric = differenceJacobian(API, plain, x, { method: "richardson", ...(options.h === undefined ? {} : { h: options.h }) });
  const forward = jacfwd(g)(x as InputFor<TracedArg>);
  const reverse = jacrev(g)(x as InputFor<TracedArg>);
  return compare(forward, reverse, numeric, countOf(x as PlainInput), rtol, atol);
}

function countOf(x: PlainInput): number {
  return typeof x === "number" ? 1 : x instanceof Tensor ? x.size : x.length;
}

function compare(forward: unknown, reverse: unknown, numeric: unknown, n: number, rtol: number, atol: number): GradcheckResult {
  const fw = flatten(forward, []);
  const rv = flatten(reverse, []);
  const nm = flatten(numeric, []);
  let worst: GradcheckEntry | null = null;
  let worstExcess = -1;
  let maxAbsError = 0;
  let maxRelError = 0;
  for (let k = 0; k < nm.length; k++) {
    const e = entryOf(Math.floor(k / n), k % n, fw[k], rv[k], nm[k]);
    maxAbsError = Math.max(maxAbsError, e.absError);
    maxRelError = Math.max(maxRelError, e.relError);
    const over = excess(e, rtol, atol);
    if (over > worstExcess) {
      worst = e;
      worstExcess = over;
    }
  }
  return { ok: worstExcess <= 1, maxAbsError, maxRelError, forward, reverse, numeric, worst, rtol, atol };
}

