import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  grad, valueAndGrad, derivative, mul, add, sin, cos, exp, log, Tensor, Var,
  ShapeError, TypeMismatchError, DualtapeError, type Lifted, type Value,
} from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";
import { close, closeAll } from "../support/close.ts";
import { vec } from "../support/tensors.ts";
import { total } from "../support/total.ts";

/** f(x) = x0 x1^2 + log(x2) sin(x0): grad = [x1^2 + log(x2) cos x0, 2 x0 x1, sin(x0) / x2]. */
const f = (x: Lifted[]) => add(mul(x[0]!, mul(x[1]!, x[1]!)), mul(log(x[2]!), sin(x[0]!)));
const plainF = (x: number[]) => x[0]! * x[1]! ** 2 + Math.log(x[2]!) * Math.sin(x[0]!);
const gradF = ([a, b, c]: number[]) => [b! * b! + Math.log(c!) * Math.cos(a!), 2 * a! * b!, Math.sin(a!) / c!];

test("grad(f)(x) on a number equals the hand derivative: x exp(x) -> (1 + x) exp(x)", () => {
  const g = grad((x: Lifted) => mul(x, exp(x)));
  for (const x of [-1, 0, 0.5, 2]) closeAll([g(x)], [(1 + x) * Math.exp(x)]);
});

test("grad(f)(x) on number[] equals the hand gradient and central differences", () => {
  const x = [0.8, -1.1, 2.5];
  const g = grad(f)(x);
  closeAll(g, gradF(x));
  const h = 1e-6;
  const fd = x.map((_, i) => {
    const up = x.slice();
    const dn = x.slice();
    up[i]! += h;
    dn[i]! -= h;
    return (plainF(up) - plainF(dn)) / (2 * h);
  });
  closeAll(g, fd, 1e-8);
});

test("grad(f)(x) on a Tensor returns a Tensor: grad of total(x^2) is 2x", () => {
  const g = grad((x: Lifted) => total(mul(x, x)) as Lifted)(vec(1, -2, 3));
  assert.instance(g, Tensor);
  assert.equal(g.shape, [3]);
  assert.equal(g.toArray(), [2, -4, 6]);
});

test("grad of a one-element Tensor output needs no reduction", () => {
  const g = grad((x: Lifted) => mul(x, x))(new Tensor(Float64Array.of(3), [1]));
  assert.equal(g.toArray(), [6]);
});

test("grad gives zeros for inputs f does not use, and 0 for a constant f", () => {
  assert.equal(grad((x: Lifted[]) => mul(x[0]!, 2))([1, 5]), [2, 0]);
  assert.is(grad(() => 4)(1), 0);
  assert.equal(grad(() => 4)(vec(1, 2)).toArray(), [0, 0]);
});

test("grad of the identity: f = x gives 1, f = x[1] gives [0, 1]", () => {
  assert.is(grad((x: Lifted) => x)(3), 1);
  assert.equal(grad((x: Lifted[]) => x[1]!)([3, 4]), [0, 1]);
});

test("valueAndGrad(f)(x) returns f(x) and the gradient together", () => {
  const x = [0.8, -1.1, 2.5];
  const r = valueAndGrad(f)(x);
  closeAll([r.value as number], [plainF(x)]);
  closeAll(r.grad, gradF(x));
  assert.equal(valueAndGrad((x: Lifted[]) => mul(x[0]!, x[1]!))([2, 3]), { value: 6, grad: [3, 2] });
});

test("grad can be called again and again with the same results (pooled tapes)", () => {
  const g = grad(f);
  const first = g([0.3, 0.4, 0.5]);
  for (let k = 0; k < 20; k++) g([1, 2, 3]);
  assert.equal(g([0.3, 0.4, 0.5]), first);
});

test("grad of grad is the second derivative: (x^3)'' = 6x", () => {
  const d2 = grad((x: Lifted) => grad((y: Lifted) => mul(mul(y, y), y))(x) as unknown as Lifted);
  assert.is(d2(2), 12);
});

test("grad over derivative and derivative over grad agree with 4x for d/dx [d/dy (x y^2)]_{y=x}", () => {
  assert.is(grad((x: Lifted) => derivative((y: Lifted) => mul(mul(x, y), y))(x) as Lifted)(3), 12);
  assert.is(derivative((x: Lifted) => grad((y: Lifted) => mul(mul(x, y), y))(x) as unknown as Lifted)(3), 12);
});

test("nested grad keeps the inner variable's perturbation apart: d/dx [d/dy (x y) at 3] = 1", () => {
  assert.is(grad((x: Lifted) => grad((y: Lifted) => mul(x, y))(3) as unknown as Lifted)(2), 1);
});

test("grad of a non-scalar Tensor output throws ShapeError", () => {
  throwsKind(() => grad((x: Lifted) => mul(x, x))(vec(1, 2)), ShapeError, "grad", /f returned a Tensor of shape \[2\], not a scalar/);
});

test("grad of an array output throws TypeMismatchError pointing to jacrev", () => {
  throwsKind(() => grad((x: Lifted[]) => [x[0]!, x[1]!])([1, 2]), TypeMismatchError, "grad", /f returned array\(2\).*jacrev/);
  throwsKind(() => valueAndGrad((x: Lifted) => [x])(1), TypeMismatchError, "grad", /array\(1\)/);
});

test("grad and valueAndGrad reject a non-function", () => {
  throwsKind(() => grad(3 as never), TypeMismatchError, "grad", /expected a function, got number 3/);
  throwsKind(() => valueAndGrad("f" as never), TypeMismatchError, "valueAndGrad", /expected a function, got string "f"/);
});

test("grad rejects bad inputs and results", () => {
  throwsKind(() => grad((x: Lifted) => x)("2" as never), TypeMismatchError, "grad", /the input is string "2"/);
  throwsKind(() => grad((x: Lifted[]) => x[0]!)([1, "a"] as never), TypeMismatchError, "grad", /element 1 of the input array is string "a"/);
  throwsKind(() => grad(() => null as never)(1), TypeMismatchError, "grad", /f returned null/);
});

test("grad rejects returning a Var from a transform nested inside f instead of giving 0", () => {
  let inner: Value = 0;
  try {
    const g = grad((x: Lifted) => {
      grad((y: Lifted) => (inner = mul(x, y)) as Lifted)(1);
      return inner as Lifted;
    })(2);
    assert.unreachable(`returned ${String(g)} (the true derivative of x * 1 is 1)`);
  } catch (e) {
    assert.instance(e, DualtapeError, String(e));
    assert.match((e as Error).message, /^grad: .*nested inside it/);
  }
  assert.instance(inner, Var);
});

test("inside grad, the Vars f computes hold plain values: cos(x).value is cos 0.5", () => {
  let seen: Value = 0;
  grad((x: Lifted) => {
    const y = cos(x) as Var;
    seen = y.value;
    return y;
  })(0.5);
  assert.is(seen, Math.cos(0.5));
});

test("grad(f)(3) is the number 18 for f = x^2 whose hook scales the gradient by x (not a Var of grad's finished tape)", () => {
  const g = grad((x: Lifted): Value => {
    const y = mul(x, x) as Var;
    y.registerHook((gy) => mul(gy, x));
    return y;
  })(3);
  assert.type(g, "number");
  close(g as number, 18);
});

test.run();
