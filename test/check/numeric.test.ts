import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  numericDerivative, numericGradient, numericJacobian, derivative, dual, mul, Tensor,
  DomainError, ShapeError, TypeMismatchError, type Lifted,
} from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";
import { close, closeAll } from "../support/close.ts";
import { vec } from "../support/tensors.ts";

test("numericDerivative(Math.sin, x) equals cos x to 1e-9 (central) and 1e-12 (richardson)", () => {
  for (const x of [-3, -0.5, 0, 0.7, 2, 5]) {
    close(numericDerivative(Math.sin, x), Math.cos(x), 1e-9);
    close(numericDerivative(Math.sin, x, { method: "richardson" }), Math.cos(x), 1e-12);
  }
});

test("numericDerivative(p, x) equals 9x² - 2 for p = 3x³ - 2x + 1", () => {
  const p = (x: number) => 3 * x ** 3 - 2 * x + 1;
  for (const x of [-2, -0.25, 1, 3]) {
    close(numericDerivative(p, x), 9 * x * x - 2, 1e-9);
    close(numericDerivative(p, x, { method: "richardson" }), 9 * x * x - 2, 1e-12);
  }
});

test("numericDerivative(x => x³, 1, { h: 0.1 }) equals 3 + h² = 3.01, the exact central difference", () => {
  // ((1 + h)³ - (1 - h)³) / 2h = 3 + h² for any h.
  close(numericDerivative((x) => x ** 3, 1, { h: 0.1 }), 3.01, 1e-13);
});

test("numericDerivative(x => x³, 1, { method: 'richardson', h: 0.1 }) cancels the h² term and gives 3", () => {
  close(numericDerivative((x) => x ** 3, 1, { method: "richardson", h: 0.1 }), 3, 1e-13);
});

test("numericDerivative(Math.log, 5e-4, { method: 'richardson' }) equals 2000 to 1e-6: steps that leave log's domain are skipped", () => {
  // The first steps (7.4e-4, 3.7e-4) reach x - h < 0 where log is NaN; the smaller ones still extrapolate.
  close(numericDerivative(Math.log, 5e-4, { method: "richardson" }), 2000, 1e-6);
});

test("numericDerivative(x => x², 1e6) equals 2e6 to 1e-10: the step scales with |x|", () => {
  // An unscaled step eps^(1/3) ≈ 6e-6 would lose ~1e-5 of relative accuracy to rounding here.
  close(numericDerivative((x) => x * x, 1e6), 2e6, 1e-10);
  close(numericDerivative((x) => x * x, 1e6, { method: "richardson" }), 2e6, 1e-10);
});

test("numericDerivative(f, t) is shaped like f's output: [2t, 3] for [t², 3t], Tensor [1, 2t] for Tensor [t, t²]", () => {
  closeAll(numericDerivative((t) => [t * t, 3 * t], 2), [4, 3], 1e-9);
  const d = numericDerivative((t) => vec(t, t * t), 1.5, { method: "richardson" });
  assert.instance(d, Tensor);
  assert.equal(d.shape, [2]);
  closeAll(Array.from(d.data), [1, 3], 1e-12);
});

test("numericGradient(f, [x0, x1]) equals [2 x0 x1, x0² + cos x1] for f = x0² x1 + sin x1", () => {
  const f = (x: number[]) => x[0]! * x[0]! * x[1]! + Math.sin(x[1]!);
  const x = [1.5, -0.4];
  const want = [2 * 1.5 * -0.4, 1.5 * 1.5 + Math.cos(-0.4)];
  closeAll(numericGradient(f, x), want, 1e-9);
  closeAll(numericGradient(f, x, { method: "richardson" }), want, 1e-12);
});

test("numericGradient(f, t) is a Tensor shaped like t, equal to 2t for f = sum of squares", () => {
  const t = new Tensor(Float64Array.of(1, -2, 0.5, 3), [2, 2]);
  const g = numericGradient((u: Tensor) => u.data.reduce((s, v) => s + v * v, 0), t, { method: "richardson" });
  assert.instance(g, Tensor);
  assert.equal(g.shape, [2, 2]);
  closeAll(Array.from(g.data), [2, -4, 1, 6], 1e-12);
});

test("numericGradient(f, x) returns a number for a number x and accepts a one-element Tensor result", () => {
  close(numericGradient((x: number) => Math.exp(x), 0.3, { method: "richardson" }), Math.exp(0.3), 1e-12);
  close(numericGradient((x: number) => vec(x * x), 3), 6, 1e-9);
});

test("numericJacobian(f, [x0, x1]) is the 2 x 2 number[][] [[x1, x0], [cos x0, 0]] for f = [x0 x1, sin x0]", () => {
  const j = numericJacobian((x) => [x[0]! * x[1]!, Math.sin(x[0]!)], [2, 3], { method: "richardson" }) as number[][];
  assert.is(j.length, 2);
  closeAll(j[0]!, [3, 2], 1e-12);
  closeAll(j[1]!, [Math.cos(2), 0], 1e-12);
});

test("numericJacobian(f, t) of Tensor [2] -> Tensor [2] is the Tensor [2, 2] diag(2 t) for f = t²", () => {
  const j = numericJacobian((u: Tensor) => new Tensor(u.data.map((v) => v * v), u.shape), vec(1.5, -2)) as Tensor;
  assert.instance(j, Tensor);
  assert.equal(j.shape, [2, 2]);
  closeAll(Array.from(j.data), [3, 0, 0, -4], 1e-9);
});

test("numericJacobian(f, 2) of a number -> [number, number] is the number[] [2x, -sin x]", () => {
  const j = numericJacobian((x: number) => [x * x, Math.cos(x)], 2) as number[];
  closeAll(j, [4, -Math.sin(2)], 1e-9);
});

test("numericJacobian(f, [x0, x1]) of an array -> Tensor [3] is a Tensor [3, 2]", () => {
  const j = numericJacobian((x) => vec(x[0]!, x[1]!, x[0]! * x[1]!), [2, 5]) as Tensor;
  assert.equal(j.shape, [3, 2]);
  closeAll(Array.from(j.data), [1, 0, 0, 1, 5, 2], 1e-9);
});

test("numericDerivative(Math.abs, 0) is 0, the symmetric central slope at the kink", () => {
  assert.is(numericDerivative(Math.abs, 0), 0);
  assert.is(numericDerivative(Math.abs, 0, { method: "richardson" }), 0);
});

test("numeric differentiation rejects f that is not a function with TypeMismatchError", () => {
  throwsKind(() => numericDerivative(3 as never, 1), TypeMismatchError, "numericDerivative", /expected a function/);
  throwsKind(() => numericGradient(null as never, [1]), TypeMismatchError, "numericGradient", /expected a function/);
  throwsKind(() => numericJacobian("f" as never, [1]), TypeMismatchError, "numericJacobian", /expected a function/);
});

test("numeric differentiation rejects bad options: non-object, non-string or unknown method, bad h", () => {
  const f = (x: number) => x;
  throwsKind(() => numericDerivative(f, 1, 5 as never), TypeMismatchError, "numericDerivative", /options is number 5/);
  throwsKind(() => numericDerivative(f, 1, null as never), TypeMismatchError, "numericDerivative", /options is null/);
  throwsKind(() => numericDerivative(f, 1, { method: 2 as never }), TypeMismatchError, "numericDerivative", /method is number 2/);
  throwsKind(() => numericDerivative(f, 1, { method: "forward" as never }), DomainError, "numericDerivative", /unknown method.*'central' or 'richardson'/);
  throwsKind(() => numericGradient(f, 1, { h: "1e-3" as never }), TypeMismatchError, "numericGradient", /h is string/);
  for (const h of [0, -1e-3, NaN, Infinity]) {
    throwsKind(() => numericJacobian(f, 1, { h }), DomainError, "numericJacobian", /positive and finite/);
  }
});

test("numericDerivative(f, 1e20, { h: 1 }) rejects a step that vanishes next to x with DomainError", () => {
  throwsKind(() => numericDerivative((x) => x, 1e20, { h: 1 }), DomainError, "numericDerivative", /vanishes next to x/);
  throwsKind(() => numericDerivative((x) => x, 1e20, { h: 1, method: "richardson" }), DomainError, "numericDerivative", /vanishes/);
});

test("numeric differentiation rejects bad points: Dual/Var, strings, non-finite, empty, non-number for numericDerivative", () => {
  const f = (x: unknown) => 0;
  throwsKind(() => numericGradient(f, dual(1) as never), TypeMismatchError, "numericGradient", /Dual\/Var/);
  throwsKind(() => numericGradient(f, [1, dual(2)] as never), TypeMismatchError, "numericGradient", /element 1 of x is a Dual\/Var/);
  throwsKind(() => numericJacobian(f, [1, "2"] as never), TypeMismatchError, "numericJacobian", /element 1 of x is string/);
  throwsKind(() => numericJacobian(f, "x" as never), TypeMismatchError, "numericJacobian", /x is string/);
  throwsKind(() => numericGradient(f, [1, NaN]), DomainError, "numericGradient", /element 1 of x is NaN/);
  throwsKind(() => numericGradient(f, vec(1, Infinity)), DomainError, "numericGradient", /element 1 of the Tensor x is Infinity/);
  throwsKind(() => numericGradient(f, []), DomainError, "numericGradient", /no elements/);
  throwsKind(() => numericDerivative(f as never, [1] as never), TypeMismatchError, "numericDerivative", /not a number/);
});

test("numeric differentiation rejects f returning a Dual/Var or a non-value with TypeMismatchError", () => {
  derivative((y: Lifted) => {
    throwsKind(() => numericDerivative(((t: number) => mul(t, y)) as never, 1), TypeMismatchError, "numericDerivative", /f returned a Dual\/Var/);
    return y;
  })(2);
  throwsKind(() => numericDerivative((() => "a") as never, 1), TypeMismatchError, "numericDerivative", /string/);
});

test("numeric differentiation rejects f whose output size changes near x with ShapeError", () => {
  const f = (x: number) => (x > 1 ? [x] : [x, x]);
  throwsKind(() => numericJacobian(f, 1), ShapeError, "numericJacobian", /1 elements near x but 2 at x/);
});

test("numericGradient rejects a non-scalar f with ShapeError", () => {
  throwsKind(() => numericGradient(((x: number) => [x, x]) as never, 1), ShapeError, "numericGradient", /an array, not a scalar/);
  throwsKind(() => numericGradient((x: number) => vec(x, x), 1), ShapeError, "numericGradient", /2 elements, not a scalar/);
});

test("numericDerivative(Math.sin, x) is cos x at large and tiny x: 1e6, 1e9, -1e8, 1e-300 (the step follows sin's scale, not |x|)", () => {
  for (const x of [1e6, 1e9, -1e8, 1e-300, 5e-324]) {
    close(numericDerivative(Math.sin, x), Math.cos(x), 1e-9);
    close(numericDerivative(Math.sin, x, { method: "richardson" }), Math.cos(x), 1e-12);
  }
});

test("numericDerivative(Math.log, x) is 1/x at x = 1e-10 and 1e-300, where a unit step leaves log's domain", () => {
  for (const x of [1e-10, 1e-300]) {
    close(numericDerivative(Math.log, x) * x, 1, 1e-6);
    close(numericDerivative(Math.log, x, { method: "richardson" }) * x, 1, 1e-9);
  }
});

test("numericJacobian at a tiny x where f's outputs cancel (acos(x0) - acos(x1) near 0): the slope of f, not the 0 of steps below its resolution", () => {
  const f = (x: number[]) => [Math.acos(x[0]!) - Math.acos(x[1]!), x[0]!];
  for (const x0 of [5.56268464626835e-309, 1e-300, 1e-20]) {
    for (const method of ["central", "richardson"] as const) {
      const J = numericJacobian(f, [x0, 0], { method }) as number[][];
      // d/dx acos = -1/sqrt(1 - x²) = -1 at 0.
      close(J[0]![0]!, -1, 1e-8);
      close(J[0]![1]!, 1, 1e-8);
      assert.equal(J[1], [1, 0]);
    }
  }
});

test.run();
