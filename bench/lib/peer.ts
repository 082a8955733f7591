/**
 * What a peer of the side-by-side tensor benchmark provides: for each
 * workload it supports, a gradient call to time and a way to read its
 * result as one flat array (for the error against the hand-written gradient).
 */
import type { WorkInput } from "./tensor-workloads.ts";

/** A gradient call ready to time. */
export interface PreparedGrad {
  /** Computes the gradient (or Jacobian) and returns the peer's own result, forced to memory. */
  run: () => unknown;
  /** The result of `run` as a flat row-major array in the hand-written gradient's layout. */
  flat: (result: unknown) => ArrayLike<number>;
}

/** One library under test. */
export interface Peer {
  name: string;
  /** How it computes: version, backend, precision. */
  describe: string;
  /** The gradient call for `w`, or null when the peer cannot compute it. */
  prepare: (w: WorkInput) => PreparedGrad | null;
}

/**
 * Concatenates arrays into one Float64Array.
 *
 * @example
 * ```ts
 * joinFlat([[1], [2, 3]]); // Float64Array [1, 2, 3]
 * ```
 */
export function joinFlat(parts: readonly ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
