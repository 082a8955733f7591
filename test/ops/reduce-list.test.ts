import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  sum, mean, prod, max, min, logsumexp, norm, mul, sin, jacfwd, jacrev, hessian, grad, derivative, compileGrad, ShapeError, type Lifted,
} from "../../lib/index.ts";
import { near, closeMat } from "../support/close.ts";
import { throwsKind } from "../support/errors.ts";

const x = [0.5, -1, 2];
const softmax = (v: number[]) => {
  const e = v.map(Math.exp);
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((t) => t / s);
};

test("every reduction of a JS array has the hand-derived gradient at [0.5, -1, 2]", () => {
  near(grad((v: Lifted[]) => sum(v))(x), [1, 1, 1]);
  near(grad((v: Lifted[]) => mean(v))(x), [1 / 3, 1 / 3, 1 / 3]);
  near(grad((v: Lifted[]) => prod(v))(x), [-2, 1, -0.5]);
  near(grad((v: Lifted[]) => max(v))(x), [0, 0, 1]);
  near(grad((v: Lifted[]) => min(v))(x), [0, 1, 0]);
  near(grad((v: Lifted[]) => logsumexp(v))(x), softmax(x));
  const n = Math.hypot(...x);
  near(grad((v: Lifted[]) => norm(v))(x), x.map((t) => t / n));
});

test("jacfwd over a number[] input pushes several directions through an array reduction (multi-lane tangents)", () => {
  // f(v) = [sum([v0, v0 v1]), logsumexp(v)]: rows [1 + v1, v0, 0] and softmax(v).
  const f = (v: Lifted[]) => [sum([v[0], mul(v[0], v[1])]), logsumexp(v)];
  const want = [[1 + x[1], x[0], 0], softmax(x)];
  closeMat(jacfwd(f, { chunk: 3 })(x) as number[][], want);
  closeMat(jacrev(f)(x) as number[][], want);
});

test("array reductions are differentiable again: hessian of sum([v0², v0 v1, sin v2]) by hand", () => {
  const H = hessian((v: Lifted[]) => sum([mul(v[0], v[0]), mul(v[0], v[1]), sin(v[2])]))(x) as number[][];
  closeMat(H, [[2, 1, 0], [1, 0, 0], [0, 0, -Math.sin(x[2])]]);
  assert.is(derivative((t) => derivative((u) => prod([u, u, u]))(t))(2), 12);
});

test("a compiled gradient through an array reduction replays with new inputs", () => {
  const g = compileGrad((v: Lifted[]) => logsumexp([v[0], mul(v[1], 2)]));
  near(g([0, 0]), softmax([0, 0]).map((s, i) => (i === 1 ? 2 * s : s)));
  near(g([1, -1]), softmax([1, -2]).map((s, i) => (i === 1 ? 2 * s : s)));
});

test("empty arrays give the identities (sum 0, prod 1, logsumexp -Infinity, norm 0, mean NaN); max and min refuse them", () => {
  assert.is(sum([]), 0);
  assert.is(prod([]), 1);
  assert.is(logsumexp([]), -Infinity);
  assert.is(norm([]), 0);
  assert.ok(Number.isNaN(mean([])));
  throwsKind(() => min([]), ShapeError, "min", /the array is empty/);
});

test.run();
