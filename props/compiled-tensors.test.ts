/**
 * Compiled tensor programs (lib/compile/plan.ts): random chains of
 * elementwise ops on a random-shape Tensor input (unary ops, products with
 * the input, constants broadcast over trailing axes, scalar factors), fed
 * to a full reduction (sum or mean) and optionally a scalar op after it.
 * compileGrad records at one point and answers at a second point through
 * the fused plan; its gradient must equal the uncompiled gradient (grad,
 * which records that call) and central finite differences there.
 *
 * A second property adds stopGradient cuts to the chains (a product with
 * the cut of the running value, a shift by the cut of its max, as a stable
 * log-sum-exp writes it): there the truth is the uncompiled gradient, which
 * records the cut as a constant on every call.
 *
 * Tolerances: compiled vs uncompiled differ only in summation order and
 * in the fused reduction's weight (1/n times a sum against a sum over n),
 * a few ulps of the sum of magnitudes: 1e-11 (1 + |g|). Differences use
 * h = 1e-5 (truncation ~ h^2 |f'''| ~ 1e-10, rounding ~ 1e-16 |f| / h):
 * 1e-6 (1 + |g|) while a wrong partial is off by O(|g|).
 */
import { test } from "uvu";
import fc from "fast-check";
import {
  compileGrad, grad, sin, cos, tanh, exp, square, neg, mul, add, sub, log, sum, mean, max, sigmoid, stopGradient, primal, Tensor, type Lifted, type Value,
} from "../lib/index.ts";
import { params } from "./support/run.ts";
import { shape, sizeOf } from "./arbitraries/tensor-shapes.ts";

type Link = { kind: "unary"; fn: number } | { kind: "timesInput" } | { kind: "plusConst"; c: number[] } | { kind: "scale"; k: number }
  | { kind: "timesCut" } | { kind: "minusCutMax" };

const UNARY = [sin, cos, tanh, (v: Value) => exp(tanh(v)), square, neg, sigmoid];

const link: fc.Arbitrary<Link> = fc.oneof(
  fc.record({ kind: fc.constant("unary" as const), fn: fc.integer({ min: 0, max: UNARY.length - 1 }) }),
  fc.record({ kind: fc.constant("timesInput" as const) }),
  fc.record({ kind: fc.constant("plusConst" as const), c: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 8, maxLength: 8 }) }),
  fc.record({ kind: fc.constant("scale" as const), k: fc.double({ min: -2, max: 2, noNaN: true }) }),
);

interface Case {
  shape: number[];
  links: Link[];
  reduce: "sum" | "mean";
  after: boolean;
  x0: number[];
  x1: number[];
}

const points = (n: number) => fc.array(fc.double({ min: -1.5, max: 1.5, noNaN: true }), { minLength: n, maxLength: n });

const cut: fc.Arbitrary<Link> = fc.oneof(fc.constant({ kind: "timesCut" as const }), fc.constant({ kind: "minusCutMax" as const }));

const casesWith = (links: fc.Arbitrary<Link>): fc.Arbitrary<Case> => shape(1, 3).chain((s) =>
  fc.record({
    shape: fc.constant(s),
    links: fc.array(links, { minLength: 1, maxLength: 8 }),
    reduce: fc.constantFrom("sum" as const, "mean" as const),
    after: fc.boolean(),
    x0: points(sizeOf(s)),
    x1: points(sizeOf(s)),
  }));

const cases = casesWith(link);

/** The constant of a plusConst link: the input's last axis (broadcast over the others) filled from `c`. */
function constant(c: number[], s: number[]): Tensor {
  const last = s[s.length - 1];
  return new Tensor(Float64Array.from({ length: last }, (_, i) => c[i % c.length]), [last]);
}

function build(k: Case): (x: Lifted) => Value {
  return (x) => {
    let v: Value = x;
    for (const l of k.links) {
      if (l.kind === "unary") v = UNARY[l.fn](v);
      else if (l.kind === "timesInput") v = mul(v, x);
      else if (l.kind === "plusConst") v = add(v, constant(l.c, k.shape));
      else if (l.kind === "scale") v = mul(v, l.k);
      else if (l.kind === "timesCut") v = mul(v, stopGradient(v));
      else v = sub(v, stopGradient(max(v)));
    }
    const r = k.reduce === "sum" ? sum(v) : mean(v);
    return k.after ? log(add(square(r), 1)) : r;
  };
}

const within = (got: number, want: number, rel: number) => Math.abs(got - want) <= rel * (1 + Math.abs(want));

test("compiled tensor gradients == uncompiled gradients == finite differences over random elementwise/reduction chains", () => {
  fc.assert(fc.property(cases, (k) => {
    const f = build(k);
    const g = compileGrad(f);
    const at = (xs: number[]) => new Tensor(Float64Array.from(xs), k.shape);
    g(at(k.x0));
    const x1 = at(k.x1);
    const got = g(x1) as Tensor;
    if (g.plan === null || g.recordings !== 1) return false;
    const want = grad(f)(x1) as Tensor;
    for (let i = 0; i < got.size; i++) if (!within(got.data[i], want.data[i], 1e-11)) return false;
    const h = 1e-5;
    for (const i of [0, got.size - 1]) {
      const xp = k.x1.slice(), xm = k.x1.slice();
      xp[i] += h;
      xm[i] -= h;
      const fd = ((f(at(xp) as unknown as Lifted) as number) - (f(at(xm) as unknown as Lifted) as number)) / (2 * h);
      if (!within(got.data[i], fd, 1e-6)) return false;
    }
    return true;
  }), params());
});

test("with stopGradient cuts: compiled tensor gradients and values == uncompiled ones, at a point other than the recording's, one recording", () => {
  fc.assert(fc.property(casesWith(fc.oneof(link, cut)), (k) => {
    const f = build(k);
    const g = compileGrad(f);
    const at = (xs: number[]) => new Tensor(Float64Array.from(xs), k.shape);
    g(at(k.x0));
    const x1 = at(k.x1);
    const got = g.valueAndGrad(x1);
    if (g.plan === null || g.recordings !== 1) return false;
    const want = grad(f)(x1) as Tensor;
    const gt = got.grad as Tensor;
    for (let i = 0; i < gt.size; i++) if (!within(gt.data[i], want.data[i], 1e-11)) return false;
    return within(primal(got.value) as number, f(x1 as unknown as Lifted) as number, 1e-11);
  }), params());
});

test.run();
