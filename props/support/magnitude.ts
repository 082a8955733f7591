/**
 * Path magnitudes: how big the terms are that a derivative adds up, as the
 * scale for comparing two AD computations of it. Forward and reverse mode
 * (and, at second order, forward over reverse against reverse over reverse)
 * sum the same chain-rule products in different orders, so they may differ
 * by a few ulps of the sum of the products' magnitudes, which cancellation
 * can make far larger than the derivative itself.
 *
 * `Mag` is a forward-mode number that carries, instead of a tangent, that
 * sum: every op passes on sum_j |partial_j| x paths_j, with the partials
 * taken from the op's declaration (the values both modes multiply). It is
 * built on the registry's declarations alone, not on the library's Dual or
 * tape. Nested once (a Mag whose value and paths are Mags), the partial
 * rules themselves are run on Mags, so the second-order sum also counts the
 * terms inside each rule (y(1 - y) for sigmoid, ...).
 */
import { Lifted, type Value } from "../../lib/index.ts";
import { G, type Op } from "../../lib/registry/op.ts";

/** A value with the sum over paths of |product of partials| from the seeded input(s). */
class Mag extends Lifted {
  constructor(
    readonly value: Value,
    readonly paths: Value,
    private readonly depth: number,
  ) {
    super();
  }

  get level(): number {
    return this.depth;
  }

  applyOp(op: Op, args: Value[]): Value {
    const spec = op.elementwise;
    if (spec === null) throw new Error(`Mag: ${op.name} is not elementwise`);
    const mine = (a: Value): a is Mag => a instanceof Mag && a.depth === this.depth;
    const vals = args.map((a) => (mine(a) ? a.value : a));
    const out = G.op(op.name)(...vals);
    const partials = spec.partials(G, vals, out);
    let paths: Value = 0;
    args.forEach((a, j) => {
      const p = partials[j];
      if (mine(a) && p !== null && p !== undefined) paths = G.add(paths, G.mul(magnitude(p), a.paths));
    });
    return new Mag(out, paths, this.depth);
  }
}

/** |v| for a number; for a Mag, |value| with its (already non-negative) paths. */
function magnitude(v: Value): Value {
  if (typeof v === "number") return Math.abs(v);
  if (v instanceof Mag) return new Mag(magnitude(v.value), v.paths, v.level);
  throw new Error("Mag: unexpected operand");
}

function pathsOf(y: Value): Value {
  return y instanceof Mag ? y.paths : 0;
}

/**
 * scales[j][i]: for output j, the sum over paths from input i of |product of partials|.
 *
 * @example
 * ```ts
 * pathScales((xs) => [mul(xs[0], xs[1])], [2, 3]); // [[3, 2]]
 * ```
 */
export function pathScales(f: (xs: Value[]) => Value[], x: readonly number[]): number[][] {
  const columns = x.map((_, i) => f(x.map((v, m) => new Mag(v, m === i ? 1 : 0, 1))).map((y) => pathsOf(y) as number));
  return columns[0]!.map((_, j) => columns.map((c) => c[j]!));
}

/**
 * scales[i][k]: for a scalar f, the sum of |terms| that d²f/dx_i dx_k adds up.
 *
 * @example
 * ```ts
 * curvatureScales((xs) => [mul(xs[0], xs[0])], [3]); // [[2]]
 * ```
 */
export function curvatureScales(f: (xs: Value[]) => Value[], x: readonly number[]): number[][] {
  return x.map((_, i) =>
    x.map((__, k) => {
      const seeds = x.map((v, m) => new Mag(new Mag(v, m === k ? 1 : 0, 1), m === i ? 1 : 0, 2));
      const outer = pathsOf(f(seeds)[0]!);
      return outer instanceof Mag ? (outer.paths as number) : 0;
    }),
  );
}
