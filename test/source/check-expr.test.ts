import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile, derivative, pow, type Lifted } from "../../lib/index.ts";

test("x ** 2 compiles as the registry's square: x * x, no pow guards, the value and derivative pow gives", () => {
  const C = compile((x: number) => x ** 2, { wrt: [0] });
  assert.not.match(C.source, /\*\*|\$mask/, C.source);
  // Against Dual through pow itself, at ordinary and special points (NaN and Infinity included).
  const viaPow = derivative((x: Lifted) => pow(x, 2) as Lifted);
  for (const x of [3, -1.5, 0, -0, 1e200, Infinity, -Infinity, NaN]) {
    const { value, grad } = C.valueAndGrad(x);
    assert.ok(Object.is(value, x ** 2), `value at ${x}`);
    assert.ok(Object.is(grad, viaPow(x) as number) || (grad === 0 && viaPow(x) === 0), `derivative at ${x}: ${grad} vs ${viaPow(x)}`);
    assert.ok(Object.is(C.jvp([x], [1]).tangent, grad) || grad === 0, `forward at ${x}`);
  }
});

test("(a - b) ** 2 of an expression: one evaluation of the base, the derivative of the square", () => {
  const C = compile((x: Float64Array) => (x[0]! - 2 * x[1]!) ** 2 + 3 ** 2 * x[0]!, { wrt: [0] });
  const g = C.grad(Float64Array.from([1, 4])) as Float64Array;
  // d/dx0 = 2 (x0 - 2 x1) + 9 = -14 + 9; d/dx1 = -4 (x0 - 2 x1) = 28.
  assert.equal(Array.from(g), [-5, 28]);
  assert.is(C.valueAndGrad(Float64Array.from([1, 4])).value, 49 + 9);
});

test.run();
