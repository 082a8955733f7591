/**
 * Random programs over the registry (props/arbitraries/program.ts) with
 * several input variables (number[] inputs) and several outputs:
 * forward mode == reverse mode == Richardson finite differences, and the
 * adjoint identity <J v, w> == <v, J^T w> between jvp and vjp.
 */
import { test } from "uvu";
import fc from "fast-check";
import { jacfwd, jacrev, jvp, vjp, numericJacobian, type Lifted } from "../lib/index.ts";
import { program } from "./arbitraries/program.ts";
import { point } from "./arbitraries/point.ts";
import type { Program } from "./support/program.ts";
import { params, exhaustive } from "./support/run.ts";
import { opsAtOrigin } from "./support/examples.ts";
import { UNDERFLOW, firstStep, richardsonTolerance } from "./support/tolerance.ts";
import { expectWithin, expectModesAgree } from "./support/expect.ts";

/** A program R^n -> R^m (n in 1..4, m in 1..3) and a point. */
const case_ = fc.integer({ min: 1, max: 4 }).chain((n) =>
  fc.record({ program: program({ inputs: n, outputs: { min: 1, max: 3 } }), x: point(n) }),
);

/** A case plus a tangent v in R^n and a cotangent w in R^m. */
const withDirections = case_.chain((c) =>
  fc.record({ program: fc.constant(c.program), x: fc.constant(c.x), v: point(c.x.length), w: point(c.program.outputs.length) }),
);

/** Largest error bound of each output over x and x +- h0_k e_k, or null where the program is not smooth there. */
function errorBoundsNear(p: Program, x: number[], h0: number[]): number[] | null {
  let most = p.errorBounds(x);
  for (let k = 0; k < x.length && most !== null; k++) {
    for (const sign of [-1, 1]) {
      const b = p.errorBounds(x.map((xi, i) => (i === k ? xi + sign * h0[k]! : xi)));
      if (b === null || most === null) return null;
      most = most.map((m, j) => Math.max(m, b[j]!));
    }
  }
  return most;
}

/** Products in the subnormal range add up to one smallest subnormal per rounding. */
function floorOf(p: Program): number {
  return 4 * p.size * UNDERFLOW;
}

/** Throws unless jacfwd and jacrev agree and both match Richardson differences; skips non-smooth points. */
function checkJacobians(p: Program, x: number[]): void {
  const h0 = x.map(firstStep);
  const bounds = errorBoundsNear(p, x, h0);
  fc.pre(bounds !== null);
  // Forward and reverse add the same path products in different orders (support/magnitude.ts).
  let paths: number[][] | null = null;
  const f = (xs: Lifted[]) => p.call(xs);
  const fwd = jacfwd(f)(x) as number[][];
  const rev = jacrev(f)(x) as number[][];
  const num = numericJacobian((xs: number[]) => p.call(xs) as number[], x, { method: "richardson" }) as number[][];
  fwd.forEach((row, j) =>
    row.forEach((d, i) => {
      const path = () => (paths ??= p.pathScales(x))[j]![i]!;
      expectModesAgree(`jacfwd vs jacrev [${j}][${i}]`, d, rev[j]![i]!, path, () => floorOf(p) * (1 + Math.max(0, ...(paths ??= p.pathScales(x)).flat())));
      expectWithin(`AD vs Richardson [${j}][${i}]`, d, num[j]![i]!, richardsonTolerance(bounds![j]!, h0[i]!, d));
    }),
  );
}

test("jacfwd(op)(0) == jacrev(op)(0) == numericJacobian(op, 0, richardson) for every registered op alone on fresh variables", () => {
  const cases = opsAtOrigin(4, true);
  fc.assert(fc.property(fc.constantFrom(...cases), ({ program, x }) => checkJacobians(program, x)), exhaustive(cases));
});

test("jacfwd(p)(x) == jacrev(p)(x) == numericJacobian(p, x, richardson) for random programs p: R^n -> R^m", () => {
  fc.assert(fc.property(case_, ({ program: p, x }) => checkJacobians(p, x)), params());
});

test("<jvp(p, x, v), w> == <v, vjp(p, x).pullback(w)> for random programs p: R^n -> R^m", () => {
  fc.assert(
    fc.property(withDirections, ({ program: p, x, v, w }) => {
      fc.pre(p.errorBounds(x) !== null);
      const f = (xs: Lifted[]) => p.call(xs);
      const jv = jvp(f, x, v).tangent as number[];
      const jtw = vjp(f, x).pullback(w) as number[];
      const left = jv.reduce((s, t, j) => s + t * w[j]!, 0);
      const right = jtw.reduce((s, g, i) => s + g * v[i]!, 0);
      // Both sides sum the path products times v_i w_j in different orders.
      const scale = () => p.pathScales(x).reduce((s, row, j) => s + row.reduce((t, q, i) => t + q * Math.abs(v[i]! * w[j]!), 0), 0);
      // A subnormal rounding inside the program reaches the sums weighted by v, w and the partials on its way.
      const l1 = (u: number[]) => u.reduce((s, t) => s + Math.abs(t), 0);
      const weights = () => (1 + l1(v)) * (1 + l1(w)) * (1 + Math.max(0, ...p.pathScales(x).flat()));
      expectModesAgree("<J v, w> vs <v, J^T w>", left, right, scale, () => floorOf(p) * weights());
    }),
    params(),
  );
});

test.run();
