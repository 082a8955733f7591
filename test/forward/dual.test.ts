import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  dual, isDual, derivative, Dual, Tensor, mul, add, sin, exp, div, variable,
  PerturbationError, TypeMismatchError, ShapeError, type Lifted,
} from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";
import { vec } from "../support/tensors.ts";

test("dual(2) has value 2 and tangent 1; dual(2, 3) tangent 3", () => {
  const x = dual(2);
  assert.is(x.value, 2);
  assert.is(x.tangent, 1);
  assert.equal(x.tangents, [1]);
  assert.is(dual(2, 3).tangent, 3);
});

test("mul(x, x).tangent = 2x and sin(x).tangent = cos x for hand-made duals", () => {
  const x = dual(3);
  const y = mul(x, x);
  assert.is(y.value, 9);
  assert.is(y.tangent, 6);
  const s = sin(dual(0.5, 2));
  assert.is(s.value, Math.sin(0.5));
  assert.is(s.tangent, 2 * Math.cos(0.5));
});

test("the tangent follows the chain rule: exp(x * sin x) at 1.2", () => {
  const x = 1.2;
  const y = exp(mul(dual(x), sin(dual(x)))) as Dual;
  const want = Math.exp(x * Math.sin(x)) * (Math.sin(x) + x * Math.cos(x));
  assert.ok(Math.abs((y.tangent as number) - want) <= 1e-14 * want);
});

test("hand-made duals share one perturbation: mul(dual(2), dual(3)) has tangent 3 + 2", () => {
  assert.is(mul(dual(2), dual(3)).tangent, 5);
});

test("a constant operand adds no tangent: add(dual(1, 2), 5).tangent = 2", () => {
  assert.is(add(dual(1, 2), 5).tangent, 2);
  assert.is(add(5, dual(1, 2)).tangent, 2);
});

test("dual(2, [1, 0]) carries two lanes; ops push both: x * y with y = dual(3, [0, 1]) has tangents [3, 2]", () => {
  const x = dual(2, [1, 0]);
  assert.equal(x.tangents, [1, 0]);
  const y = dual(3, [0, 1]);
  const z = mul(x, y);
  assert.is(z.value, 6);
  assert.equal(z.tangents, [3, 2]);
});

test("multi-lane duals through a unary op scale every lane: sin(dual(2, [1, 2])).tangents = [cos 2, 2 cos 2]", () => {
  const z = sin(dual(2, [1, 2]));
  assert.equal(z.tangents, [Math.cos(2), 2 * Math.cos(2)]);
  const q = div(dual(1, [1, 0, 3]), 4);
  assert.equal(q.tangents, [0.25, 0, 0.75]);
});

test("reading .tangent of a multi-lane Dual throws PerturbationError pointing to .tangents", () => {
  throwsKind(() => dual(2, [1, 0]).tangent, PerturbationError, "Dual.tangent", /carries 2 lanes; read \.tangents/);
});

test("a one-lane or zero-lane Dual reads as a single tangent", () => {
  assert.is(dual(2, [7]).tangent, 7);
  assert.is(dual(2, []).tangent, 0);
  assert.equal(dual(2, []).tangents, []);
});

test("dual(tensor, [1, 0]) is refused: lanes need a number value", () => {
  throwsKind(() => dual(vec(1, 2), [1, 0]), TypeMismatchError, "dual", /multi-lane tangents need a number value, got Tensor\[2\]/);
});

test("dual(value, tangent) rejects a tangent shaped unlike the value with ShapeError", () => {
  throwsKind(() => dual(vec(1, 2), vec(1, 2, 3)), ShapeError, "dual", /\[3\].*\[2\]|\[2\].*\[3\]/);
  throwsKind(() => dual(3, vec(1, 2)), ShapeError, "dual", /\[2\]/);
});

test("dual(value, tangent) rejects values and tangents that are not numbers, Tensors or Duals/Vars", () => {
  throwsKind(() => dual("a" as never), TypeMismatchError, "dual", /string "a"/);
  throwsKind(() => dual(1, "a" as never), TypeMismatchError, "dual", /string "a"/);
  throwsKind(() => dual(1, ["a"] as never), TypeMismatchError, "dual", /string "a"|lane/);
});

test("a Dual may wrap a Tensor with a Tensor tangent: mul(x, x) has tangent 2 x t", () => {
  const x = dual(vec(1, 2, 3), vec(1, 0, -1));
  const y = mul(x, x);
  assert.equal((y.value as Tensor).toArray(), [1, 4, 9]);
  assert.equal((y.tangent as Tensor).toArray(), [2, 0, -6]);
});

test("a tensor-valued Dual with a zero tangent reads as a zero Tensor", () => {
  const d = new Dual(vec(1, 2), 0, dual(0).tag);
  const t = d.tangent as Tensor;
  assert.instance(t, Tensor);
  assert.equal(t.toArray(), [0, 0]);
});

test("a Dual may wrap a Var (a Dual whose parts are Vars): the tangent is differentiable by reverse mode", () => {
  const x = variable(3);
  const y = mul(dual(x, 1), dual(x, 1)) as Dual;
  const t = y.tangent as Lifted;
  (t as unknown as { backward(): void }).backward();
  assert.is(x.grad, 2);
});

test("a Dual that escaped its transform throws PerturbationError when used again", () => {
  let leaked: Lifted | null = null;
  derivative((x) => {
    leaked = x;
    return x;
  })(1);
  throwsKind(() => sin(leaked!), PerturbationError, "derivative", /created by a derivative call was used after that call returned/);
  throwsKind(() => mul(leaked!, 2), PerturbationError, "derivative", /used after that call returned/);
  throwsKind(() => mul(leaked!, leaked!), PerturbationError, "derivative", /do not let Duals escape/);
  throwsKind(() => add(vec(1), leaked!), PerturbationError, "derivative", /used after/);
});

test("isDual tells Duals from other values", () => {
  assert.ok(isDual(dual(1)));
  assert.not.ok(isDual(1));
  assert.not.ok(isDual(variable(1)));
});

test("String(dual) shows value and tangent(s)", () => {
  assert.is(String(mul(dual(2), 2)), "Dual(4, 2)");
  assert.is(String(dual(2, [1, 0])), "Dual(2, [1, 0])");
});

test.run();
