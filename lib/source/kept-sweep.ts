/**
 * A forward sweep kept for several adjoint sweeps: `vjp` runs the forward
 * sweep once, and each pullback runs only the adjoint sweep from that state
 * (a Jacobian by rows, or several cotangents, then costs one forward sweep
 * in all instead of one per cotangent). The adjoint sweep reads the stacks
 * without changing them, but it restores overwritten elements of some local
 * and written arrays as it goes, so the kept state holds copies of those
 * arrays (and only those: copying the others would cost as much as a
 * pullback on large arrays). The stacks are shared by every call of the
 * compiled function: a kept sweep owns them until another sweep runs, after
 * which its pullbacks sweep again.
 */
import { runSweep, runAdjoint, runAdjointLanes, shapeOf, type Generated } from "./calls.ts";
import { REVERSE_LANES } from "./reverse-lanes.ts";

/** The state a forward sweep left, for later adjoint sweeps. */
export interface KeptSweep {
  value: number | Float64Array;
  /** Fresh arguments (to sweep again once the stacks belong to another sweep). */
  fresh: () => unknown[];
  /** The arguments as the sweep left them; arrays f writes are copies to hand out again. */
  prepared: unknown[];
  /** The local arrays as the sweep left them (copies). */
  arrays: (Float64Array | null)[];
}

const copyOf = (a: Float64Array | null): Float64Array | null => (a === null ? null : a.slice());

/**
 * Runs the forward sweep and keeps its state.
 *
 * @example
 * ```ts
 * const kept = keepSweep(g, () => prepare(g, args, "vjp"), "vjp");
 * adjointOf(g, kept, args, ct1, "vjp"); adjointOf(g, kept, args, ct2, "vjp");
 * ```
 */
export function keepSweep(g: Generated, fresh: () => unknown[], api: string): KeptSweep {
  const { value, prepared } = runSweep(g, fresh, api);
  const w = written(g);
  const kept: KeptSweep = {
    value, fresh,
    prepared: prepared.map((a, k) => (w.params[k] ? (a as Float64Array).slice() : a)),
    arrays: g.localArrays.map((a, k) => (w.arrays[k] ? copyOf(a) : a)),
  };
  g.stacks.owner = kept;
  return kept;
}

const writtenByCode = new WeakMap<Generated, { params: readonly boolean[]; arrays: readonly boolean[] }>();

/**
 * Per parameter and local array: whether a pullback needs its own copy,
 * because the adjoint sweep writes into it. The parameters are those f
 * writes (the others are the caller's arrays, which no sweep changes).
 * Worked out once per compiled function: a Jacobian by rows asks at every
 * adjoint sweep.
 */
function written(g: Generated): { params: readonly boolean[]; arrays: readonly boolean[] } {
  let known = writtenByCode.get(g);
  if (known === undefined) {
    const w = g.adjointWrites;
    known = {
      params: shapeOf(g.fn).copy.map((c, k) => c && (w === undefined || w.params[k] === true)),
      arrays: g.localArrays.map((_, k) => w === undefined || w.arrays[k] === true),
    };
    writtenByCode.set(g, known);
  }
  return known;
}

/**
 * The gradients for cotangent `seed` from a kept sweep: only the adjoint
 * sweep runs while the stacks still hold this sweep's state.
 *
 * @example
 * ```ts
 * adjointOf(g, kept, args, 1, "vjp"); // [Float64Array]
 * ```
 */
export function adjointOf(g: Generated, kept: KeptSweep, original: readonly unknown[], seed: number | Float64Array | number[], api: string, into?: readonly (Float64Array | undefined)[]): unknown[] {
  return runAdjoint(g, restart(g, kept, api), original, seed, into);
}

/**
 * The gradients for several cotangents from a kept sweep, REVERSE_LANES
 * cotangents per adjoint sweep (`reverseLanes`; one sweep per cotangent for
 * code that has no lanes function). One gradient list per seed, in order.
 *
 * @example
 * ```ts
 * adjointsOf(g, kept, args, [row0, row1, row2], "vjp"); // three [Float64Array]
 * ```
 */
export function adjointsOf(g: Generated, kept: KeptSweep, original: readonly unknown[], seeds: readonly (number | Float64Array | number[])[], api: string, into?: readonly (readonly (Float64Array | undefined)[] | undefined)[]): unknown[][] {
  const out: unknown[][] = [];
  for (let s = 0; s < seeds.length; ) {
    // A last single cotangent takes the one-lane adjoint (and leaves the lanes function unloaded).
    const count = seeds.length - s === 1 || g.reverseLanes === undefined ? 1 : Math.min(REVERSE_LANES, seeds.length - s);
    if (count === 1) out.push(adjointOf(g, kept, original, seeds[s]!, api, into?.[s]));
    else out.push(...runAdjointLanes(g, restart(g, kept, api), original, seeds.slice(s, s + count), REVERSE_LANES, into?.slice(s, s + count)));
    s += count;
  }
  return out;
}

/**
 * The arguments for one adjoint sweep from a kept sweep: sweeps again if
 * another call took the stacks, and hands the sweep fresh copies of the
 * arrays it writes back into.
 */
function restart(g: Generated, kept: KeptSweep, api: string): unknown[] {
  if (g.stacks.owner !== kept) {
    const again = keepSweep(g, kept.fresh, api);
    Object.assign(kept, again);
    g.stacks.owner = kept;
  }
  const w = written(g);
  kept.arrays.forEach((a, k) => (g.localArrays[k] = w.arrays[k] ? copyOf(a) : a));
  return kept.prepared.map((a, k) => (w.params[k] ? (a as Float64Array).slice() : a));
}
