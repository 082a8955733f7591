/**
 * Reverse mode's one rule for every registered op, derived from its
 * declaration: partials cached at record time times the cotangent, reduced
 * over broadcast axes, for elementwise ops, and the declared adjoint map for
 * structural ones. The tape and the sweep call these and nothing
 * op-specific.
 */
import { G, Num, algebraFor, type Op, type PartialList } from "../registry/op.ts";
import { primal, exampleShape, type Value } from "../registry/lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { fail, ShapeError } from "../errors.ts";
import { reduceLike, scaled } from "../registry/combine.ts";

/**
 * The partials to cache when reverse mode records an elementwise op (the
 * ReverseDiff approach: computed once at record time); `null` for structural
 * ops, whose adjoint map is evaluated at sweep time.
 *
 * @example
 * ```ts
 * recordPartials(product, [2, 3], 6); // [3, 2], for the registered product op a b
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
 * numericPartials(sine, [0], 0); // [1], for the registered sine op
 * ```
 */
export function numericPartials(op: Op, vals: number[], out: number): PartialList {
  return op.elementwise!.partials(Num, vals, out);
}

/** A structural op's declared adjoint map must return one cotangent per argument, shaped like it. */
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
  // One example's shape: under vmap the values hold every example.
  return exampleShape(v);
}

/**
 * Cotangents of the arguments whose `nodes[k] >= 0`, given the output
 * cotangent `g`. With `cache` the cached partials are used (a first-order
 * sweep); with `cache === null` on an elementwise op they are recomputed on
 * `vals` with the differentiable algebra (a sweep that records its own graph).
 *
 * @example
 * ```ts
 * pullback(product, [2, 3], 6, [3, 2], 1, undefined, [0, 1]); // [3, 2], for the registered product op a b
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
