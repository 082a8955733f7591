/**
 * Multi-lane tangents of tensor values: k directions pushed through one
 * forward pass, stored as one Tensor of shape [k, ...valueShape]. Scalar
 * values keep the lighter Float64Array of k lanes (see combine.ts); both
 * meet here when an op involves a tensor.
 *
 * Elementwise ops need nothing per op: a partial of the output's shape
 * broadcasts against lanes padded to [k, 1, ..., 1, ...operandShape], so one
 * multiply serves all k directions. Structural ops (sums, matmul, reshape,
 * ...) declare a tangent map for one direction; all lanes go through it in
 * one call as a batch (see batched.ts), so no declaration needs to know about lanes.
 */
import { G, type Op } from "./op.ts";
import { exampleShape, type Value } from "./lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { sameShape } from "../tensor/broadcast.ts";
import { fail, PerturbationError } from "../errors.ts";
import { term, tangentTerm } from "./tangent-term.ts";
import { Batched, unbatch } from "./batched.ts";
import { nextLevel } from "./level.ts";

/**
 * k tangents of one tensor-valued quantity, as a Tensor of shape [k, ...shape].
 *
 * @example
 * ```ts
 * new TensorLanes(zeros([3, 2, 2])).count; // 3 lanes of 2x2 tangents
 * ```
 */
export class TensorLanes {
  readonly t: Value;
  constructor(t: Value) {
    this.t = t;
  }

  /** Number of lanes. */
  get count(): number {
    return exampleShape(this.t)[0];
  }

  /** Shape of one lane's tangent. */
  get laneShape(): number[] {
    return exampleShape(this.t).slice(1);
  }
}

/** Any multi-lane tangent: lanes of a scalar (Float64Array, length 0 = all zero) or of a tensor. */
export type Lanes = Float64Array | TensorLanes;

/** The all-zero multi-lane tangent (any number of lanes). */
export const ZERO_LANES: Float64Array = new Float64Array(0);

/**
 * True for a multi-lane tangent.
 *
 * @example
 * ```ts
 * isLanes(new Float64Array(2)); // true
 * ```
 */
export function isLanes(t: unknown): t is Lanes {
  return t instanceof Float64Array || t instanceof TensorLanes;
}

function laneCount(t: Lanes): number {
  return t instanceof Float64Array ? t.length : t.count;
}

function asLaneTensor(t: Lanes, k: number): Value {
  if (t instanceof TensorLanes) return t.t;
  return new Tensor(t.length === 0 ? new Float64Array(k) : t, [k]);
}

/** Lanes [k, ...s] viewed as [k, 1, ..., 1, ...s] with `rank` axes after the lane axis. */
function padTo(t: Value, rank: number): Value {
  const shape = exampleShape(t);
  const inner = shape.length - 1;
  if (inner >= rank) return t;
  const padded = [shape[0], ...new Array<number>(rank - inner).fill(1), ...shape.slice(1)];
  return G.reshape(t, padded);
}

/**
 * The tangent of one lane: a number for scalar lanes, a (possibly traced) Tensor otherwise; null when zero.
 *
 * @example
 * ```ts
 * laneOf(Float64Array.of(1, 2), 1); // 2
 * ```
 */
export function laneOf(t: Lanes, j: number): Value | null {
  if (t instanceof Float64Array) return t.length === 0 ? null : t[j];
  return G.index(t.t, j);
}

function shapeOfValue(v: Value): number[] {
  return exampleShape(v);
}

function commonCount(tans: readonly (unknown | null)[], api: string): number {
  let k = -1;
  for (const t of tans) {
    if (!isLanes(t) || (t instanceof Float64Array && t.length === 0)) continue;
    const c = laneCount(t);
    if (k >= 0 && c !== k) fail(api, `tangents with ${k} and ${c} lanes met`, "push the same number of directions through every input", PerturbationError);
    k = c;
  }
  return k;
}

/**
 * The multi-lane output tangent of `op`, when lanes meet a tensor (or a
 * structural op). Returns the all-zero Float64Array when no lane carries anything.
 *
 * @example
 * ```ts
 * pushforwardLanes(findOp("mul")!, [t, 2], out, [lanes, null], undefined, partials);
 * ```
 */
export function pushforwardLanes(
  op: Op, vals: Value[], out: Value, tans: readonly (Value | Lanes | null)[], params: unknown,
  partials: readonly (Value | null)[] | null,
): Lanes {
  const k = commonCount(tans, op.name);
  if (k < 0) return ZERO_LANES;
  if (partials === null) return structuralLanes(op, vals, out, tans, params, k);
  const rank = shapeOfValue(out).length;
  let acc: Value | null = null;
  tans.forEach((t, i) => {
    const p = partials[i];
    if (t === null || p === null || p === undefined || !isLanes(t) || (t instanceof Float64Array && t.length === 0)) return;
    const pt = tangentTerm(p, padTo(asLaneTensor(t, k), rank));
    acc = acc === null ? pt : G.add(acc, pt);
  });
  if (acc === null) return ZERO_LANES;
  const target = [k, ...shapeOfValue(out)];
  const full = sameShape(shapeOfValue(acc), target) ? acc : G.broadcastTo(acc, target);
  return rank === 0 && full instanceof Tensor ? Float64Array.from(full.data) : new TensorLanes(full);
}

/**
 * A structural op's tangent map applied to every lane in one call: the lanes
 * enter the op's jvp as one batch (a Batched value at a fresh level), so a
 * matmul of k lanes is one matmul of a [k, ...] tangent, not k matmuls.
 */
function structuralLanes(op: Op, vals: Value[], out: Value, tans: readonly (Value | Lanes | null)[], params: unknown, k: number): Lanes {
  const level = nextLevel();
  const lane = tans.map((t) => (t === null ? null : !isLanes(t) ? t : t instanceof Float64Array && t.length === 0 ? null : new Batched(asLaneTensor(t, k), k, level)));
  const outShape = shapeOfValue(out);
  let full = unbatch(op.structural!.jvp(G, vals, out, lane, params), level, k);
  // A tangent map may return a smaller (e.g. zero scalar) tangent; the lanes take the output's shape.
  if (!sameShape(shapeOfValue(full).slice(1), outShape)) full = G.broadcastTo(padTo(full, outShape.length), [k, ...outShape]);
  return outShape.length === 0 && full instanceof Tensor ? Float64Array.from(full.data) : new TensorLanes(full);
}

/**
 * `p0 * a + p1 * b` for scalar lanes, with null or all-zero lanes left out
 * (a constant operand contributes nothing, not 0 * partial, which is NaN for
 * an infinite partial) and zero lanes kept exactly zero (see `term`). The
 * scalar multi-lane fast path of forward mode.
 *
 * @example
 * ```ts
 * combineScalarLanes(2, Float64Array.of(1, 0), 3, null); // [2, 0]
 * ```
 */
export function combineScalarLanes(p0: number, a: Float64Array | null, p1: number, b: Float64Array | null): Float64Array {
  const ha = a !== null && a.length > 0;
  const hb = b !== null && b.length > 0;
  if (!ha && !hb) return ZERO_LANES;
  if (ha && hb && a.length !== b.length) {
    fail("jacfwd", `tangents with ${a.length} and ${b.length} lanes met`, "push the same number of directions through every input", PerturbationError);
  }
  const k = ha ? a.length : b!.length;
  const out = new Float64Array(k);
  if (ha) lanesInto(out, p0, a);
  if (hb) lanesInto(out, p1, b);
  return out;
}

/** out += p * t lane by lane; a finite p needs no zero test (it cannot make NaN of a zero lane). */
function lanesInto(out: Float64Array, p: number, t: Float64Array): void {
  if (p - p === 0) for (let j = 0; j < out.length; j++) out[j] = out[j] + p * t[j];
  else for (let j = 0; j < out.length; j++) out[j] = out[j] + term(p, t[j]);
}
