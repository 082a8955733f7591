/**
 * Arguments for one elementwise op, drawn from its declared domain and kept
 * only where the op is finite and smooth (its `smooth` predicate), so finite
 * differences are meaningful there; plus the domain's corners, which every
 * run checks first (edges are where series switch branches and rules
 * meet their guards).
 */
import fc from "fast-check";
import type { Domain } from "../../lib/index.ts";
import { isSmoothAt, type ElementwiseOp } from "../support/registry.ts";

function inDomain(d: Domain): fc.Arbitrary<number> {
  if (d.integer === true) return fc.integer({ min: Math.ceil(d.lo), max: Math.floor(d.hi) });
  return fc.double({ min: d.lo, max: d.hi, noNaN: true, noDefaultInfinity: true });
}

/**
 * One argument list for `op`, one entry per argument.
 *
 * @example
 * ```ts
 * fc.sample(opArgs(divOp), 1); // [[1.3, -0.7]]
 * ```
 */
export function opArgs(op: ElementwiseOp): fc.Arbitrary<number[]> {
  return fc
    .tuple(...op.domains.map(inDomain))
    .filter((args) => isSmoothAt(op, args) && Number.isFinite(op.spec.value(...args)));
}

/**
 * Every corner of the op's domain (each argument at lo or hi) where the op
 * is finite and smooth: fixed examples run before the random ones.
 *
 * @example
 * ```ts
 * edgeArgs(mulOp); // [[-5, -5], [-5, 5], [5, -5], [5, 5]]
 * ```
 */
export function edgeArgs(op: ElementwiseOp): number[][] {
  let corners: number[][] = [[]];
  for (const d of op.domains) {
    const ends = d.integer === true ? [Math.ceil(d.lo), Math.floor(d.hi)] : [d.lo, d.hi];
    corners = corners.flatMap((c) => ends.map((e) => [...c, e]));
  }
  return corners.filter((args) => isSmoothAt(op, args) && Number.isFinite(op.spec.value(...args)));
}
