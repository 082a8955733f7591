/**
 * Second order on random scalar programs R^n -> R (n in 1..3): the Hessian
 * by forward over reverse (`hessian`) equals reverse over reverse, computed
 * both imperatively (`gradients(..., { createGraph: true })` twice) and by
 * transforms (`jacrev(grad(f))`), and it is symmetric.
 */
import { test } from "uvu";
import fc from "fast-check";
import { hessian, grad, jacrev, gradients, variable, Var, type Lifted, type Value } from "../lib/index.ts";
import { program } from "./arbitraries/program.ts";
import { point } from "./arbitraries/point.ts";
import type { Program } from "./support/program.ts";
import { params, exhaustive } from "./support/run.ts";
import { opsAtOrigin } from "./support/examples.ts";
import { UNDERFLOW } from "./support/tolerance.ts";
import { expectModesAgree } from "./support/expect.ts";

const case_ = fc.integer({ min: 1, max: 3 }).chain((n) =>
  fc.record({ program: program({ inputs: n, outputs: "scalar" }), x: point(n) }),
);

/** Reverse over reverse with the imperative API: one createGraph sweep, then one sweep per gradient entry. */
function imperativeHessian(p: Program, x: number[]): number[][] {
  const xs = x.map((v) => variable(v));
  const y = p.call(xs);
  const zeros = () => x.map(() => 0);
  if (!(y instanceof Var)) return x.map(zeros);
  const first = gradients(y, xs, { createGraph: true });
  const rows = first.map((g) => (g instanceof Var && g.requiresGrad ? (gradients(g, xs, { retainGraph: true }) as number[]) : zeros()));
  gradients(y, xs); // frees the imperative graph
  return rows;
}

/** Throws unless every Hessian computation agrees and each is symmetric. */
function checkHessians(p: Program, x: number[]): void {
  const f = (xs: Lifted[]) => p.call(xs) as Value;
  const forwardOverReverse = hessian(f)(x) as number[][];
  const imperative = imperativeHessian(p, x);
  const transforms = jacrev((xs: Lifted[]) => grad(f)(xs) as Value[])(x) as number[][];
  // Every computation adds the same second-order terms in its own order (see support/magnitude.ts).
  let curvature: number[][] | null = null;
  const scale = (i: number, k: number) => () => (curvature ??= p.curvatureScales(x))[i]![k]!;
  const floor = 4 * p.size * UNDERFLOW;
  forwardOverReverse.forEach((row, i) =>
    row.forEach((h, k) => {
      expectModesAgree(`hessian vs gradients twice [${i}][${k}]`, h, imperative[i]![k]!, scale(i, k), floor);
      expectModesAgree(`hessian vs jacrev(grad) [${i}][${k}]`, h, transforms[i]![k]!, scale(i, k), floor);
      expectModesAgree(`hessian symmetry [${i}][${k}]`, h, forwardOverReverse[k]![i]!, scale(i, k), floor);
      expectModesAgree(`gradients-twice symmetry [${i}][${k}]`, imperative[i]![k]!, imperative[k]![i]!, scale(i, k), floor);
    }),
  );
}

test("hessian(op)(0) == reverse over reverse and is symmetric, for every registered op alone on fresh variables", () => {
  const cases = opsAtOrigin(3, false);
  fc.assert(
    fc.property(fc.constantFrom(...cases), ({ program, x }) => {
      fc.pre(program.errorBounds(x) !== null);
      checkHessians(program, x);
    }),
    exhaustive(cases),
  );
});

test("hessian(p)(x) == reverse over reverse (gradients createGraph twice; jacrev(grad(p))) and is symmetric, for random programs p: R^n -> R", () => {
  fc.assert(
    fc.property(case_, ({ program: p, x }) => {
      fc.pre(p.errorBounds(x) !== null);
      checkHessians(p, x);
    }),
    params(),
  );
});

test.run();
