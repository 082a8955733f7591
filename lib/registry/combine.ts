/**
 * The two linear steps both modes share, written once: accumulating
 * `acc + p * t` (forward: tangent = sum of partial * tangent; reverse:
 * adjoint += partial * cotangent) and summing a broadcast contribution back
 * to an operand's shape. Numbers take a fast path; multi-lane tangents are
 * Float64Arrays (one entry per lane, length 0 meaning all-zero); every other
 * kind goes through the differentiable algebra G.
 */
import { G } from "./op.ts";
import { Lifted, primal, exampleShape, type Value } from "./lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { sumToShape, sameShape } from "../tensor/broadcast.ts";
import { fail, PerturbationError } from "../errors.ts";
import { ZERO_LANES, TensorLanes, type Lanes } from "./lanes.ts";
import { term, tangentTerm } from "./tangent-term.ts";

/** A tangent: a Value (one lane), a Float64Array of lanes for a scalar value, or lanes of a tensor. */
export type Tangent = Value | Lanes;

export { ZERO_LANES };

/**
 * Returns `acc + p * t`; `acc === null` means zero. May reuse `acc` when it is
 * a lane array this accumulation created (never one passed in as `t`).
 *
 * @example
 * ```ts
 * accumulate(null, 2, 3);   // 6
 * accumulate(1, 2, 3);      // 7
 * ```
 */
export function accumulate(acc: Tangent | null, p: Value, t: Tangent): Tangent | null {
  if (typeof t === "number" && typeof p === "number") {
    const pt = t === 0 ? 0 : p * t;
    return acc === null ? pt : typeof acc === "number" ? acc + pt : G.add(acc as Value, pt);
  }
  if (t instanceof Float64Array) return accumulateLanes(acc, p, t);
  if (t instanceof TensorLanes) {
    fail("jacfwd", "a multi-lane tensor tangent reached a scalar rule", "use one direction per pass (jacfwd falls back to it by itself)", PerturbationError);
  }
  const pt = tangentTerm(p, t);
  return acc === null ? pt : G.add(acc as Value, pt);
}

function accumulateLanes(acc: Tangent | null, p: Value, t: Float64Array): Tangent | null {
  if (t.length === 0) return acc;
  if (typeof p !== "number") {
    fail("jacfwd", "a multi-lane tangent met a non-scalar partial", "use single-lane jvp for tensor-valued or nested inputs", PerturbationError);
  }
  const fresh = acc === null || acc === ZERO_LANES;
  const out = fresh ? new Float64Array(t.length) : acc as Float64Array;
  // A finite partial cannot turn a zero lane into NaN: only the others need the per-lane test.
  if (p - p === 0) for (let k = 0; k < t.length; k++) out[k] = out[k] + p * t[k];
  else for (let k = 0; k < t.length; k++) out[k] = out[k] + term(p, t[k]);
  return out;
}

/**
 * `a + b` where `null` is zero (adjoint accumulation).
 *
 * @example
 * ```ts
 * plus(null, 2); // 2
 * ```
 */
export function plus(a: Value | null, b: Value): Value {
  if (a === null) return b;
  if (typeof a === "number" && typeof b === "number") return a + b;
  return G.add(a, b);
}

/**
 * `p * g` (a partial times a cotangent), with a fast path for numbers.
 *
 * @example
 * ```ts
 * scaled(2, 3); // 6
 * ```
 */
export function scaled(p: Value, g: Value): Value {
  if (typeof p === "number") {
    if (typeof g === "number") return p * g;
    // A unit partial (add, sub, a broadcast operand...) passes the cotangent on as it is: values are never written in place.
    if (p === 1) return g;
  }
  return G.mul(p, g);
}

/**
 * Reduces a contribution computed in the broadcast shape back to the shape of
 * the operand `like` (sums over broadcast axes): the adjoint of broadcasting.
 *
 * @example
 * ```ts
 * reduceLike(ones([2, 3]), zeros([3])); // Tensor [2, 2, 2]
 * ```
 */
export function reduceLike(contribution: Value, like: Value): Value {
  const target = primal(like);
  const got = primal(contribution);
  const targetShape = exampleShape(like);
  if (hidden(like) || hidden(contribution)) {
    // A batch (vmap) holds every example: compare and reduce example shapes.
    const gotShape = exampleShape(contribution);
    if (sameShape(gotShape, targetShape)) return contribution;
    if (gotShape.length === 0) return G.broadcastTo(contribution, targetShape);
    return G.sumToShape(contribution, targetShape);
  }
  if (typeof got === "number") {
    if (typeof target === "number") return contribution;
    return G.mul(contribution, onesOf(target));
  }
  if (sameShape(got.shape, targetShape)) return contribution;
  if (contribution instanceof Tensor) return sumToShape(contribution, targetShape);
  // A Dual or Var holding a Tensor: reduced differentiably by the registered op
  // (the cast: G types every op as taking Values, and sumToShape's shape is not one).
  return G.sumToShape(contribution, targetShape);
}

function onesOf(t: Tensor): Tensor {
  return new Tensor(new Float64Array(t.size).fill(1), t.shape);
}

/**
 * A contribution broadcast up to the shape of `like` (the transpose of
 * `reduceLike`): a tangent built from operands smaller than an op's output
 * (a constant partial times a broadcast operand's tangent) has the
 * operand's shape, and broadcasting is part of the op, so the output's
 * tangent takes the output's shape. Lane tangents pass as they are.
 *
 * @example
 * ```ts
 * expandLike(2, zeros([3])); // Tensor [2, 2, 2]
 * ```
 */
export function expandLike(t: Tangent, like: Value): Tangent {
  if (t instanceof Float64Array || t instanceof TensorLanes) return t;
  // One example's shape: under vmap the values hold every example.
  const o = exampleShape(like);
  if (o.length === 0) return t;
  if (typeof primal(t) !== "number" && sameShape(exampleShape(t), o)) return t;
  return G.broadcastTo(t, o);
}

function hidden(v: Value): boolean {
  return v instanceof Lifted && v.hiddenAxes > 0;
}
