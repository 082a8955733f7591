import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  jvp, jacrev, derivative, mul, add, sin, cos, exp, Tensor,
  ShapeError, TypeMismatchError, PerturbationError, type Lifted,
} from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";
import { closeAll } from "../support/close.ts";
import { vec } from "../support/tensors.ts";

/** f(x) = [x0 x1, sin x0, exp(x1) x2]: J = [[x1, x0, 0], [cos x0, 0, 0], [0, exp(x1) x2, exp(x1)]]. */
const f3 = (x: Lifted[]) => [mul(x[0]!, x[1]!), sin(x[0]!), mul(exp(x[1]!), x[2]!)];
const J3 = ([a, b, c]: number[]) => [[b!, a!, 0], [Math.cos(a!), 0, 0], [0, Math.exp(b!) * c!, Math.exp(b!)]];
const matvec = (J: number[][], v: number[]) => J.map((row) => row.reduce((s, r, j) => s + r * v[j]!, 0));

test("jvp(f, x, v) on a number gives f(x) and f'(x) v: x^3 at 2 with v = 0.5", () => {
  assert.equal(jvp((x: Lifted) => mul(mul(x, x), x), 2, 0.5), { value: 8, tangent: 6 });
});

test("jvp on number[] -> number[] equals J v from the hand-derived Jacobian", () => {
  const x = [0.3, -1.2, 2];
  for (const v of [[1, 0, 0], [0, 1, 0], [0.5, -2, 3]]) {
    const r = jvp(f3, x, v);
    closeAll(r.value as number[], [x[0]! * x[1]!, Math.sin(x[0]!), Math.exp(x[1]!) * x[2]!]);
    closeAll(r.tangent as number[], matvec(J3(x), v));
  }
});

test("jvp on number[] -> number gives the directional derivative <grad f, v>", () => {
  const r = jvp((x: Lifted[]) => mul(x[0]!, x[1]!), [2, 3], [1, 10]);
  assert.equal(r, { value: 6, tangent: 3 + 20 });
});

test("jvp on a Tensor -> Tensor: tangent (2x + cos x) v for f = x^2 + sin x", () => {
  const x = [0.1, -2, 1.5];
  const v = [1, 2, -1];
  const r = jvp((t: Lifted) => add(mul(t, t), sin(t)), vec(...x), vec(...v));
  assert.instance(r.tangent, Tensor);
  closeAll((r.value as Tensor).toArray() as number[], x.map((a) => a * a + Math.sin(a)));
  closeAll((r.tangent as Tensor).toArray() as number[], x.map((a, i) => (2 * a + Math.cos(a)) * v[i]!));
});

test("jvp on a number -> Tensor: d/dx (x [1, 2]) v = [v, 2v]", () => {
  const r = jvp((x: Lifted) => mul(x, vec(1, 2)), 3, 2);
  assert.equal((r.value as Tensor).toArray(), [3, 6]);
  assert.equal((r.tangent as Tensor).toArray(), [2, 4]);
});

test("jvp agrees with the other mode: J v = jacrev(f)(x) v", () => {
  const x = [0.7, 0.2, -0.4];
  const J = jacrev(f3)(x) as number[][];
  const v = [0.3, -0.9, 1.1];
  closeAll(jvp(f3, x, v).tangent as number[], matvec(J, v));
});

test("jvp is linear in v", () => {
  const x = [0.7, 0.2, -0.4];
  const a = jvp(f3, x, [1, 2, 3]).tangent as number[];
  const b = jvp(f3, x, [-1, 0, 2]).tangent as number[];
  const ab = jvp(f3, x, [2 * 1 - 3 * -1, 2 * 2, 2 * 3 - 3 * 2]).tangent as number[];
  closeAll(ab, a.map((ai, i) => 2 * ai - 3 * b[i]!));
});

test("jvp of an output that does not depend on x has a zero tangent of its shape", () => {
  assert.equal(jvp((_x: Lifted[]) => [5, 6], [1, 2], [1, 1]).tangent, [0, 0]);
  const r = jvp(() => vec(1, 2), 3, 1);
  assert.equal((r.tangent as Tensor).toArray(), [0, 0]);
});

test("jvp's tangent equals derivative(f)(x) for a scalar f", () => {
  const f = (x: Lifted) => mul(cos(x), exp(x));
  assert.is(jvp(f, 0.8, 1).tangent, derivative(f)(0.8));
});

test("jvp rejects a non-function", () => {
  throwsKind(() => jvp(null as never, 1, 1), TypeMismatchError, "jvp", /expected a function, got null/);
});

test("jvp rejects a tangent whose structure differs from x", () => {
  throwsKind(() => jvp((x: Lifted[]) => x[0]!, [1, 2], [1] as never), ShapeError, "jvp", /tangent array\(1\) does not match the input's structure/);
  throwsKind(() => jvp((x: Lifted[]) => x[0]!, [1, 2], 1 as never), ShapeError, "jvp", /tangent number 1 does not match/);
  throwsKind(() => jvp((x: Lifted) => x, 1, [1] as never), ShapeError, "jvp", /does not match the input's structure/);
  throwsKind(() => jvp((x: Lifted) => x, vec(1, 2), 1), ShapeError, "jvp", /tangent shape \[\] differs from input shape \[2\]/);
});

test("jvp rejects a Tensor tangent of another shape", () => {
  throwsKind(() => jvp((x: Lifted) => x, vec(1, 2), vec(1, 2, 3)), ShapeError, "jvp", /tangent shape \[3\] differs from input shape \[2\]/);
});

test("jvp rejects non-numeric inputs and tangents", () => {
  throwsKind(() => jvp((x: Lifted[]) => x[0]!, [1, 2], [1, "a"] as never), TypeMismatchError, "jvp", /element 1 of the input array is string "a"/);
  throwsKind(() => jvp((x: Lifted) => x, "1" as never, 1), TypeMismatchError, "jvp", /the input is string "1"/);
});

test("jvp rejects a result that is not a value", () => {
  throwsKind(() => jvp(() => new Map() as never, 1, 1), TypeMismatchError, "jvp", /f returned Map/);
});

test("jvp rejects returning a Dual from a transform nested inside f", () => {
  let inner: Lifted | null = null;
  throwsKind(() => jvp((x: Lifted) => {
    jvp((y: Lifted) => (inner = mul(x, y)), 1, 1);
    return inner!;
  }, 2, 1), PerturbationError, "jvp", /nested inside it/);
});

test.run();
