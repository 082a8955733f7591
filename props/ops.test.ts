/**
 * Every registered elementwise op, over its declared domain: forward mode
 * (derivative, jvp, jacfwd) equals reverse mode (grad, vjp, jacrev) to 1e-12
 * relative, and both equal Richardson finite differences of the op's own
 * `value` within the tolerance derived in support/tolerance.ts. The op list
 * is `allOps()`, so a newly registered op gets its property here unasked.
 */
import { test } from "uvu";
import fc from "fast-check";
import { derivative, jvp, jacfwd, grad, vjp, jacrev, numericGradient, type Lifted, type Value } from "../lib/index.ts";
import { elementwiseOps, isContinuous, callOp, type ElementwiseOp } from "./support/registry.ts";
import { opArgs, edgeArgs } from "./arbitraries/op-args.ts";
import { point } from "./arbitraries/point.ts";
import { params } from "./support/run.ts";
import { regressionArgs } from "./support/examples.ts";
import { RELATIVE_AD, ULPS_PER_OP, UNIT_ROUNDOFF, UNDERFLOW, firstStep, richardsonTolerance } from "./support/tolerance.ts";
import { expectClose, expectWithin } from "./support/expect.ts";

/** The op as a function of its continuous arguments, the others fixed at `args`. */
function restrict(op: ElementwiseOp, args: readonly number[], slots: readonly number[]) {
  const at = (xs: readonly Value[]): Value[] => {
    const full: Value[] = args.slice();
    slots.forEach((s, k) => (full[s] = xs[k]!));
    return full;
  };
  return {
    lifted: (xs: Lifted[]) => callOp(op.name, at(xs)),
    plain: (xs: number[]) => op.spec.value(...(at(xs) as number[])),
  };
}

function checkModes(op: ElementwiseOp, args: number[], slots: number[], v: number[]): number[] {
  const x = slots.map((s) => args[s]!);
  const { lifted } = restrict(op, args, slots);
  const g = grad(lifted)(x) as number[];
  const fwd = jacfwd(lifted)(x) as number[];
  const rev = jacrev(lifted)(x) as number[];
  const pulled = vjp(lifted, x).pullback(1) as number[];
  x.forEach((xk, k) => {
    const onlyK = (t: Lifted) => lifted(x.map((xi, j) => (j === k ? t : xi)) as Lifted[]);
    expectClose(`derivative vs grad, argument ${slots[k]}`, derivative(onlyK)(xk) as number, g[k]!, RELATIVE_AD);
    expectClose(`jacfwd vs jacrev, argument ${slots[k]}`, fwd[k]!, rev[k]!, RELATIVE_AD);
    expectClose(`jacfwd vs vjp, argument ${slots[k]}`, fwd[k]!, pulled[k]!, RELATIVE_AD);
  });
  const dot = g.reduce((s, gk, k) => s + gk * v[k]!, 0);
  const scale = g.reduce((s, gk, k) => s + Math.abs(gk * v[k]!), 0);
  expectClose("jvp tangent vs grad . v", jvp(lifted, x, v).tangent as number, dot, 0, RELATIVE_AD * scale);
  return g;
}

/** max |f| at x and at x +- h0_k along each axis: the values the widest differences see. */
function largestNear(f: (xs: number[]) => number, x: number[], h0: number[]): number {
  let most = Math.abs(f(x));
  x.forEach((_, k) => {
    for (const sign of [-1, 1]) most = Math.max(most, Math.abs(f(x.map((xi, j) => (j === k ? xi + sign * h0[k]! : xi)))));
  });
  return most;
}

function checkNumeric(op: ElementwiseOp, args: number[], slots: number[], g: number[]): void {
  const x = slots.map((s) => args[s]!);
  const { plain } = restrict(op, args, slots);
  const numeric = numericGradient(plain, x, { method: "richardson" });
  const h0 = x.map(firstStep);
  // One evaluation of the op is off by at most ULPS_PER_OP ulps of the largest value met within the steps.
  const evalError = ULPS_PER_OP * (2 * UNIT_ROUNDOFF * largestNear(plain, x, h0) + UNDERFLOW);
  g.forEach((gk, k) => expectWithin(`AD vs Richardson, argument ${slots[k]}`, gk, numeric[k]!, richardsonTolerance(evalError, h0[k]!, gk)));
}

for (const op of elementwiseOps()) {
  const slots = op.domains.flatMap((d, i) => (isContinuous(d) ? [i] : []));
  if (slots.length === 0) continue;
  test(`${op.name}(${op.domains.map((d) => `[${d.lo}, ${d.hi}]`).join(", ")}): forward == reverse == Richardson differences`, () => {
    fc.assert(
      fc.property(opArgs(op), point(slots.length), (args, v) => {
        const g = checkModes(op, args, slots, v);
        checkNumeric(op, args, slots, g);
      }),
      params({ examples: [...edgeArgs(op), ...regressionArgs(op)].map((args): [number[], number[]] => [args, slots.map(() => 1)]) }),
    );
  });
}

/** Finite arguments of every magnitude, and the edges where sums and squares overflow. */
const anyFinite = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 1e154, -1e154, 1e308),
);

// The compiled adjoint leaves out its zero test before the partials of these ops (lib/source/adjoint.ts): a
// declaration that does not hold would turn a value the result never uses into NaN there.
for (const op of elementwiseOps().filter((o) => o.spec.finitePartials === true)) {
  test(`${op.name} declares finitePartials: its partials are finite at every finite argument`, () => {
    fc.assert(fc.property(fc.array(anyFinite, { minLength: op.spec.arity, maxLength: op.spec.arity }), (args) => {
      const g = grad((xs: Lifted[]) => callOp(op.name, xs) as Lifted)(args) as number[];
      g.forEach((gk, k) => {
        if (!Number.isFinite(gk)) throw new Error(`${op.name}(${args.join(", ")}): partial ${k} is ${gk}`);
      });
    }), params());
  });
}

test.run();
