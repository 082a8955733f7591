import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  vjp, jvp, jacfwd, mul, add, sin, exp, Tensor,
  ShapeError, TypeMismatchError, type Lifted,
} from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";
import { closeAll } from "../support/close.ts";
import { vec } from "../support/tensors.ts";

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, ai, i) => s + ai * b[i]!, 0);

/** f(x) = [x0 x1, sin x0, exp(x1) x2]: J = [[x1, x0, 0], [cos x0, 0, 0], [0, exp(x1) x2, exp(x1)]]. */
const f3 = (x: Lifted[]) => [mul(x[0]!, x[1]!), sin(x[0]!), mul(exp(x[1]!), x[2]!)];
const J3 = ([a, b, c]: number[]) => [[b!, a!, 0], [Math.cos(a!), 0, 0], [0, Math.exp(b!) * c!, Math.exp(b!)]];
const wTJ = (J: number[][], w: number[]) => J[0]!.map((_, j) => J.reduce((s, row, i) => s + w[i]! * row[j]!, 0));

test("vjp(f, x) gives f(x) and a pullback w -> w^T J for number[] -> number[]", () => {
  const x = [0.3, -1.2, 2];
  const { value, pullback } = vjp(f3, x);
  closeAll(value as number[], [x[0]! * x[1]!, Math.sin(x[0]!), Math.exp(x[1]!) * x[2]!]);
  for (const w of [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.5, -2, 3]]) closeAll(pullback(w), wTJ(J3(x), w));
});

test("the pullback can be called many times on one recording", () => {
  const { pullback } = vjp(f3, [1, 2, 3]);
  const first = pullback([1, 1, 1]);
  for (let k = 0; k < 10; k++) pullback([k, -k, 1]);
  assert.equal(pullback([1, 1, 1]), first);
});

test("vjp on a number -> number: pullback(w) = w f'(x)", () => {
  const { value, pullback } = vjp((x: Lifted) => mul(x, mul(x, x)), 2);
  assert.is(value, 8);
  assert.is(pullback(0.5), 6);
});

test("vjp on a Tensor -> Tensor: pullback(w) = 2 x w for f = x^2", () => {
  const { value, pullback } = vjp((x: Lifted) => mul(x, x), vec(1, 2, 3));
  assert.equal((value as Tensor).toArray(), [1, 4, 9]);
  const g = pullback(vec(1, 0, -1));
  assert.instance(g, Tensor);
  assert.equal((g as Tensor).toArray(), [2, 0, -6]);
});

test("vjp and jvp are adjoint: <J v, w> = <v, J^T w>", () => {
  const x = [0.7, 0.2, -0.4];
  const v = [0.3, -0.9, 1.1];
  const w = [2, -1, 0.5];
  const Jv = jvp(f3, x, v).tangent as number[];
  const JTw = vjp(f3, x).pullback(w);
  const lhs = dot(Jv, w);
  assert.ok(Math.abs(lhs - dot(v, JTw)) <= 1e-13 * Math.max(1, Math.abs(lhs)));
});

test("the pullback of basis vectors gives the rows of jacfwd's Jacobian", () => {
  const x = [0.7, 0.2, -0.4];
  const J = jacfwd(f3)(x) as number[][];
  const { pullback } = vjp(f3, x);
  J.forEach((row, i) => closeAll(pullback([0, 1, 2].map((k) => (k === i ? 1 : 0))), row));
});

test("vjp of outputs that do not depend on x pulls back zeros", () => {
  const { value, pullback } = vjp((_x: Lifted[]) => [3, 4], [1, 2]);
  assert.equal(value, [3, 4]);
  assert.equal(pullback([1, 1]), [0, 0]);
});

test("vjp with mixed outputs: a scalar and a Tensor", () => {
  const { pullback } = vjp((x: Lifted) => [mul(x, x), mul(x, vec(1, 2))], 3);
  assert.is(pullback([1, vec(10, 100)]), 6 + 10 + 200);
});

test("vjp rejects a non-function", () => {
  throwsKind(() => vjp(undefined as never, 1), TypeMismatchError, "vjp", /expected a function, got undefined/);
});

test("the pullback rejects a cotangent whose structure differs from the output", () => {
  const { pullback } = vjp(f3, [1, 2, 3]);
  throwsKind(() => pullback([1, 2]), ShapeError, "vjp", /cotangent array\(2\) does not match f's output structure/);
  throwsKind(() => pullback(1), ShapeError, "vjp", /cotangent number 1 does not match/);
  const single = vjp((x: Lifted) => x, 1).pullback;
  throwsKind(() => single([1]), ShapeError, "vjp", /does not match f's output structure/);
});

test("the pullback rejects a cotangent of the wrong shape", () => {
  const { pullback } = vjp((x: Lifted) => mul(x, x), vec(1, 2));
  throwsKind(() => pullback(vec(1, 2, 3)), ShapeError, "vjp", /cotangent 0 has shape \[3\] but the output has shape \[2\]/);
  throwsKind(() => pullback(1), ShapeError, "vjp", /cotangent 0 has shape \[\] but the output has shape \[2\]/);
});

test("the pullback rejects a cotangent that is not a value", () => {
  const { pullback } = vjp(f3, [1, 2, 3]);
  throwsKind(() => pullback([1, "a", 2] as never), TypeMismatchError, "vjp pullback", /element 1 of f's result is string "a"/);
});

test("vjp rejects a bad input", () => {
  throwsKind(() => vjp((x: Lifted) => x, new Map() as never), TypeMismatchError, "vjp", /the input holds Map/);
  throwsKind(() => vjp(() => add as never, 1), TypeMismatchError, "vjp", /f returned Function/);
});

test.run();
