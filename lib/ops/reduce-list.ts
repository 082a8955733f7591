/**
 * Reductions of a JS array of scalars (`sum([a, b, c])`), for scalar-heavy
 * code. The array is treated as a vector: values and derivatives match the
 * Tensor reductions (ties of max/min share the gradient evenly, norm has
 * derivative 0 at the zero vector, logsumexp is max-shifted), but the work
 * is done with elementwise ops, so scalar tapes stay scalar and multi-lane
 * tangents pass through.
 */
import { G } from "../registry/op.ts";
import { Lifted, primal, type Value } from "../registry/lifted.ts";
import { fail, describe, ShapeError, TypeMismatchError } from "../errors.ts";

/** The reductions that accept arrays. */
export type ListKind = "sum" | "mean" | "prod" | "max" | "min" | "logsumexp" | "norm";

function fold(xs: readonly Value[], op: "add" | "mul", empty: number): Value {
  if (xs.length === 0) return empty;
  let acc = xs[0];
  for (let i = 1; i < xs.length; i++) acc = G[op](acc, xs[i]);
  return acc;
}

function extreme(name: "max" | "min", xs: readonly Value[], vals: number[]): Value {
  if (xs.length === 0) fail(name, "the array is empty", "reduce a non-empty array (max and min have no identity)", ShapeError);
  const nan = vals.findIndex((v) => v !== v);
  // NaN, with a NaN derivative for every element (as the Tensor reduction): no element is the largest.
  if (nan >= 0) return G.mul(NaN, fold(xs, "add", 0));
  const best = name === "max" ? Math.max(...vals) : Math.min(...vals);
  const tied = xs.filter((_, i) => vals[i] === best);
  return tied.length === 1 ? tied[0] : G.div(fold(tied, "add", 0), tied.length);
}

function logSumExp(xs: readonly Value[], vals: number[]): Value {
  if (xs.length === 0) return -Infinity;
  const m = Math.max(...vals);
  const s = Number.isFinite(m) ? m : 0;
  return G.add(s, G.log(fold(xs.map((x) => G.exp(G.sub(x, s))), "add", 0)));
}

/**
 * The 2-norm scaled by a power of two near the largest magnitude, so the
 * squares neither overflow nor underflow; the scale is exact and constant,
 * so values match the unscaled formula wherever that one is safe and every
 * derivative order is that of sqrt(sum(x^2)).
 */
function norm2(xs: readonly Value[], vals: number[]): Value {
  const big = vals.reduce((m, v) => (v !== v || m !== m ? NaN : Math.max(m, Math.abs(v))), 0);
  if (big === 0) return 0;
  if (!Number.isFinite(big)) return G.sqrt(fold(xs.map((x) => G.square(x)), "add", 0));
  const scale = 2 ** Math.floor(Math.log2(big));
  return G.mul(scale, G.sqrt(fold(xs.map((x) => G.square(G.div(x, scale))), "add", 0)));
}

/**
 * Reduces an array of scalars with the named reduction.
 *
 * @example
 * ```ts
 * reduceList("sum", [1, 2, 3], undefined, undefined); // 6
 * ```
 */
export function reduceList(name: ListKind, xs: readonly unknown[], axis: unknown, keepdims: unknown): Value {
  if (!(axis === undefined || axis === null || axis === 0 || axis === -1)) {
    fail(name, `axis ${describe(axis)} is out of range for an array (one axis)`, "omit the axis, or pass 0", ShapeError);
  }
  if (keepdims === true) fail(name, "keepdims is not available for JS arrays (they reduce to a scalar)", "pass a Tensor (tensor(xs)) to keep dimensions", TypeMismatchError);
  const vals = xs.map((x, i) => {
    const p = typeof x === "number" ? x : x instanceof Lifted ? primal(x) : undefined;
    if (typeof p !== "number") {
      fail(name, `element ${i} of the array is ${describe(x)}, not a scalar`, "pass an array of scalars, or stack/concat tensors into one Tensor first", TypeMismatchError);
    }
    return p;
  });
  const items = xs as readonly Value[];
  switch (name) {
    case "sum": return fold(items, "add", 0);
    case "mean": return items.length === 0 ? NaN : G.div(fold(items, "add", 0), items.length);
    case "prod": return fold(items, "mul", 1);
    case "max": case "min": return extreme(name, items, vals);
    case "logsumexp": return logSumExp(items, vals);
    case "norm": return norm2(items, vals);
  }
}
