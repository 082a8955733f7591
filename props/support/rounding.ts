/**
 * A first-order running bound on the rounding error of a program's value,
 * computed on plain numbers from the registry's declarations alone: each
 * op rounds its result to ULPS_PER_OP ulps (plus the standard model's
 * absolute term for subnormal results) and passes its arguments' errors on,
 * weighted by |partial| from its declared partials. This is the E in the
 * finite-difference tolerance of support/tolerance.ts.
 */
import { primal } from "../../lib/index.ts";
import { Num, type Domain } from "../../lib/registry/op.ts";
import { isContinuous, isSmoothAt, type ElementwiseOp } from "./registry.ts";
import { ULPS_PER_OP, UNIT_ROUNDOFF, UNDERFLOW } from "./tolerance.ts";
import type { Expr } from "./program.ts";

/** A value and a bound on its absolute rounding error. */
export interface Rounded {
  value: number;
  error: number;
}

/** One rounding of a result of magnitude m. */
function rounding(m: number): number {
  return ULPS_PER_OP * (2 * UNIT_ROUNDOFF * Math.abs(m) + UNDERFLOW);
}

/** fit(t) = mid + half tanh((t - mid)/half) has slope 1 - tanh² and five roundings on magnitudes <= |mid| + half. */
function fitted(t: Rounded, d: Domain): Rounded {
  const mid = (d.lo + d.hi) / 2;
  const half = (d.hi - d.lo) / 2;
  const th = Math.tanh((t.value - mid) / half);
  return { value: mid + half * th, error: t.error * (1 - th * th) + 5 * rounding(Math.abs(mid) + half) };
}

function opNode(op: ElementwiseOp, args: Rounded[]): Rounded | null {
  const values = args.map((a) => a.value);
  const value = op.spec.value(...values);
  if (!Number.isFinite(value) || !isSmoothAt(op, values)) return null;
  const partials = op.spec.partials(Num, values, value);
  const carried = args.reduce((s, a, j) => {
    const p = partials[j];
    return a.error === 0 || p === null || p === undefined ? s : s + Math.abs(primal(p) as number) * a.error;
  }, 0);
  return { value, error: rounding(value) + carried };
}

/**
 * The value of an expression at xs and its rounding-error bound; null where
 * some op is not smooth there (its `smooth` predicate) or not finite, which
 * the properties skip.
 *
 * @example
 * ```ts
 * rounded(expr, [0.5]); // { value: 0.479..., error: ~1e-15 }
 * ```
 */
export function rounded(e: Expr, xs: readonly number[]): Rounded | null {
  if (e.kind === "var") return { value: xs[e.index]!, error: 0 };
  if (e.kind === "const") return { value: e.value, error: 0 };
  const args: Rounded[] = [];
  for (let j = 0; j < e.args.length; j++) {
    const r = rounded(e.args[j]!, xs);
    if (r === null) return null;
    const d = e.op.domains[j]!;
    args.push(isContinuous(d) ? fitted(r, d) : r);
  }
  return opNode(e.op, args);
}
