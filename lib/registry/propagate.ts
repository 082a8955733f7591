/**
 * How any registered op moves derivatives, derived once from its
 * declaration: the forward tangent (partials times tangents for elementwise
 * ops, the declared linear map for structural ones) and the reverse
 * cotangents (cached partials times the cotangent, reduced over broadcast
 * axes, or the declared transpose). Forward and reverse mode call these and
 * nothing op-specific.
 */
import { G, Num, algebraFor, type Op, type PartialList } from "./op.ts";
import { primal, type Value } from "./lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { sameShape } from "../tensor/broadcast.ts";
import { fail, ShapeError } from "../errors.ts";
import { accumulate, reduceLike, scaled, ZERO_LANES, type Tangent } from "./combine.ts";
import { pushforwardLanes, TensorLanes } from "./lanes.ts";

/**
 * The output tangent of `op` at `vals` (value `out`) given the argument
 * tangents (`null` for arguments that carry none).
 *
 * @example
 * ```ts
 * pushforward(findOp("mul")!, [2, 3], 6, [1, null], undefined); // 3
 * ```
 */
export function pushforward(op: Op, vals: Value[], out: Value, tans: (Tangent | null)[], params: unknown): Tangent {
  const ew = op.elementwise;
  if (needsLaneMode(op, out, tans)) {
    return pushforwardLanes(op, vals, out, tans, params, ew === null ? null : ew.partials(G, vals, out));
  }
  if (ew === null) return op.structural!.jvp(G, vals, out, tans as (Value | null)[], params);
  const parts = ew.partials(typeof out === "number" ? algebraFor(vals) : G, vals, out);
  let acc: Tangent | null = null;
  let lanes = false;
  for (let i = 0; i < tans.length; i++) {
    const t = tans[i]!;
    if (t === null) continue;
    if (t instanceof Float64Array) lanes = true;
    const p = parts[i];
    if (p === null || p === undefined) continue;
    acc = accumulate(acc, p, t);
  }
  if (acc === null) return lanes ? ZERO_LANES : 0;
  return fitToOutput(acc, out);
}

/** Lanes go through the tensor-aware path when a tensor or a structural op is involved. */
function needsLaneMode(op: Op, out: Value, tans: readonly (Tangent | null)[]): boolean {
  let scalarLanes = false;
  for (let i = 0; i < tans.length; i++) {
    const t = tans[i];
    if (t instanceof TensorLanes) return true;
    if (t instanceof Float64Array) scalarLanes = true;
  }
  return scalarLanes && (op.elementwise === null || primal(out) instanceof Tensor);
}

/**
 * A tangent built from operands smaller than the output (a constant partial
 * times a broadcast operand's tangent) has the operand's shape; broadcasting
 * is part of the op, so the output's tangent takes the output's shape.
 */
function fitToOutput(t: Tangent, out: Value): Tangent {
  if (t instanceof Float64Array || t instanceof TensorLanes) return t;
  const o = primal(out);
  if (!(o instanceof Tensor)) return t;
  const tp = primal(t);
  if (tp instanceof Tensor && sameShape(tp.shape, o.shape)) return t;
  return G.broadcastTo(t, o.shape);
}

/**
 * The partials to cache when reverse mode records an elementwise op (the
 * ReverseDiff approach: computed once at record time); `null` for structural
 * ops, whose transpose is evaluated at sweep time.
 *
 * @example
 * ```ts
 * recordPartials(findOp("mul")!, [2, 3], 6); // [3, 2]
 * ```
 */
export function recordPartials(op: Op, vals: Value[], out: Value): PartialList | null {
  const ew = op.elementwise;
  if (ew === null) return null;
  return ew.partials(typeof out === "number" ? algebraFor(vals) : G, vals, out);
}

/**
 * Partials of an elementwise op on numbers only (the scalar tape's fast path).
 *
 * @example
 * ```ts
 * numericPartials(findOp("sin")!, [0], 0); // [1]
 * ```
 */
export function numericPartials(op: Op, vals: number[], out: number): PartialList {
  return op.elementwise!.partials(Num, vals, out);
}

/** A structural op's declared transpose must return one cotangent per argument, shaped like it. */
function checkCotangents(op: Op, vals: Value[], cts: (Value | null)[], nodes: readonly number[]): (Value | null)[] {
  for (let k = 0; k < nodes.length; k++) {
    const ct = cts[k];
    if (nodes[k] < 0 || ct === null || ct === undefined) continue;
    const want = shapeOfPlain(vals[k]);
    const got = shapeOfPlain(ct);
    if (want.length !== got.length || want.some((d, i) => d !== got[i])) {
      fail(op.name, `its vjp returned a cotangent of shape [${got.join(", ")}] for argument ${k + 1} of shape [${want.join(", ")}]`,
        "make the vjp return one cotangent per argument, shaped like that argument", ShapeError);
    }
  }
  return cts;
}

function shapeOfPlain(v: Value): number[] {
  const p = primal(v);
  return typeof p === "number" ? [] : p.shape;
}

/**
 * Cotangents of the arguments whose `nodes[k] >= 0`, given the output
 * cotangent `g`. With `cache` the cached partials are used (a first-order
 * sweep); with `cache === null` on an elementwise op they are recomputed on
 * `vals` with the differentiable algebra (a sweep that records its own graph).
 *
 * @example
 * ```ts
 * pullback(findOp("mul")!, [2, 3], 6, [3, 2], 1, undefined, [0, 1]); // [3, 2]
 * ```
 */
export function pullback(
  op: Op, vals: Value[], out: Value, cache: PartialList | null, g: Value, params: unknown, nodes: readonly number[],
): (Value | null)[] {
  const ew = op.elementwise;
  if (ew === null) return checkCotangents(op, vals, op.structural!.vjp(G, vals, out, g, params, nodes.map((n) => n >= 0)), nodes);
  const parts = cache ?? ew.partials(G, vals, out);
  const res = new Array<Value | null>(vals.length).fill(null);
  for (let k = 0; k < vals.length; k++) {
    const p = parts[k];
    if (nodes[k] < 0 || p === null || p === undefined) continue;
    // A number partial scales after the broadcast reduction: far less work when the operand is smaller than the output.
    res[k] = typeof p === "number" ? scaled(p, reduceLike(g, vals[k])) : reduceLike(scaled(p, g), vals[k]);
  }
  return res;
}
