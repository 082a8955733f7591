/**
 * Special points the random domains never draw: signed zeros, a base of 0
 * under pow, products with several exact zeros. At each, the two modes give
 * the same first derivatives (NaN included), -0 gives the derivatives of +0
 * wherever the op's value does not tell the zeros apart, and the Hessian by
 * forward over reverse equals reverse over reverse and is symmetric
 * (where the first derivatives are defined).
 * Registry-driven: every elementwise op is checked at every point.
 */
import { test } from "uvu";
import fc from "fast-check";
import { grad, jacfwd, jacrev, hessian, gradients, variable, prod, tensor, Var, Tensor, type Lifted, type Value } from "../lib/index.ts";
import { elementwiseOps, isContinuous, callOp, type ElementwiseOp } from "./support/registry.ts";
import { exhaustive } from "./support/run.ts";
import { SPECIAL_SCALARS, SPECIAL_PAIRS, SPECIAL_PRODUCTS } from "./support/examples.ts";

const same = (a: number, b: number) => Object.is(a, b) || (a === b) || (Number.isNaN(a) && Number.isNaN(b));

/** Every op with every continuous argument set from `points` in turn (the others at 1.5), as [op, args]. */
function cases(): [ElementwiseOp, number[]][] {
  const out: [ElementwiseOp, number[]][] = [];
  for (const op of elementwiseOps()) {
    const base = op.domains.map((d) => (isContinuous(d) ? 1.5 : Math.ceil(d.lo)));
    op.domains.forEach((d, k) => {
      if (!isContinuous(d)) return;
      for (const z of SPECIAL_SCALARS) out.push([op, base.map((v, j) => (j === k ? z : v))]);
    });
    if (op.arity === 2 && op.domains.every(isContinuous)) for (const pair of SPECIAL_PAIRS) out.push([op, pair]);
  }
  return out;
}

const slotsOf = (op: ElementwiseOp) => op.domains.flatMap((d, i) => (isContinuous(d) ? [i] : []));

function lifted(op: ElementwiseOp, args: number[]) {
  const slots = slotsOf(op);
  return (xs: Lifted[]) => callOp(op.name, args.map((a, i) => (slots.includes(i) ? xs[slots.indexOf(i)]! : a)) as Value[]);
}

function firstOrder(op: ElementwiseOp, args: number[]): number[] {
  const f = lifted(op, args);
  const x = slotsOf(op).map((s) => args[s]!);
  const g = grad(f)(x) as number[];
  const fwd = jacfwd((xs: Lifted[]) => [f(xs)])(x) as number[][];
  const rev = jacrev((xs: Lifted[]) => [f(xs)])(x) as number[][];
  g.forEach((gk, k) => {
    if (!same(gk, fwd[0]![k]!) || !same(gk, rev[0]![k]!)) {
      throw new Error(`${op.name}(${args.join(", ")}): grad ${gk}, jacfwd ${fwd[0]![k]}, jacrev ${rev[0]![k]} for argument ${k}`);
    }
  });
  return g;
}

test("at 0, -0, ±1, NaN, ±Infinity and (0, b) pairs, forward and reverse first derivatives agree for every op, NaN included", () => {
  const all = cases();
  fc.assert(fc.property(fc.constantFrom(...all), ([op, args]) => void firstOrder(op, args)), exhaustive(all));
});

test("an op whose value is the same at -0 and +0 has the same derivatives there", () => {
  const all = cases().filter(([, args]) => args.some((a) => Object.is(a, -0)));
  fc.assert(fc.property(fc.constantFrom(...all), ([op, args]) => {
    const plus = args.map((a) => (Object.is(a, -0) ? 0 : a));
    if (op.spec.value(...args) !== op.spec.value(...plus)) return;
    const gm = firstOrder(op, args);
    const gp = firstOrder(op, plus);
    gm.forEach((d, k) => {
      if (!same(d, gp[k]!)) throw new Error(`${op.name}: derivative ${d} at (${args.join(", ")}) but ${gp[k]} at +0`);
    });
  }), exhaustive(all));
});

/** Reverse over reverse: gradients with createGraph, then one gradients call per entry. */
function reverseOverReverse(f: (xs: Lifted[]) => Value, x: number[]): number[][] {
  const xs = x.map((v) => variable(v));
  const y = f(xs);
  if (!(y instanceof Var)) return x.map(() => x.map(() => 0));
  const first = gradients(y, xs, { createGraph: true });
  const rows = first.map((g) => (g instanceof Var && g.requiresGrad ? (gradients(g, xs, { retainGraph: true }) as number[]) : x.map(() => 0)));
  gradients(y, xs);
  return rows;
}

test("at (0, b) pairs, every binary op's Hessian by forward over reverse equals reverse over reverse and is symmetric", () => {
  const all = cases().filter(([op, args]) => op.arity === 2 && SPECIAL_PAIRS.some((p) => p.every((v, i) => Object.is(v, args[i]))));
  fc.assert(fc.property(fc.constantFrom(...all), ([op, args]) => {
    const f = lifted(op, args);
    // Where a first derivative is undefined (NaN: atan2 and hypot at the origin) forward mode's zero
    // tangents stay zero while reverse mode multiplies the NaN through; no second derivative exists there.
    if ((grad(f)(args) as number[]).some((d) => Number.isNaN(d))) return;
    const h = hessian(f)(args) as number[][];
    const rr = reverseOverReverse(f, args);
    h.forEach((row, i) => row.forEach((v, k) => {
      if (!same(v, rr[i]![k]!)) throw new Error(`${op.name}(${args.join(", ")}): H[${i}][${k}] ${v} by hessian, ${rr[i]![k]} reverse over reverse`);
      if (Number.isFinite(v) && !same(v, h[k]![i]!)) throw new Error(`${op.name}(${args.join(", ")}): H[${i}][${k}] = ${v} but H[${k}][${i}] = ${h[k]![i]}`);
    }));
  }), exhaustive(all));
});

test("prod's Hessian at points with exact zeros is the hand formula H[i][j] = product of the elements other than i and j", () => {
  fc.assert(fc.property(fc.constantFrom(...SPECIAL_PRODUCTS), (x) => {
    const h = (hessian((t: Lifted) => prod(t))(tensor(x)) as Tensor).toArray() as number[][];
    x.forEach((_, i) => x.forEach((__, j) => {
      const want = i === j ? 0 : x.reduce((p, v, k) => (k === i || k === j ? p : p * v), 1);
      if (!same(h[i]![j]! + 0, want + 0)) throw new Error(`prod at [${x.join(", ")}]: H[${i}][${j}] = ${h[i]![j]}, want ${want}`);
    }));
  }), exhaustive(SPECIAL_PRODUCTS));
});

test.run();
