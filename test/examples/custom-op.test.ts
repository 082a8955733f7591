import { test } from "uvu";
import * as assert from "uvu/assert";
import { derivative, grad, variable, type Var } from "../../lib/index.ts";
import { affine, customOp } from "../../examples/custom-op.ts";

test("affine(w, x, b) = w x + b with x nondiff: w.grad = x, b.grad = 1, x.grad stays null", () => {
  const r = customOp(2, 3, 1);
  assert.is(r.value, 7);
  assert.equal(r.grads, { w: 3, x: null, b: 1 });
  assert.is(r.dwReverse, 3);
  assert.is(r.dwForward, 3);
});

test("d affine / dw = x at w = -1.5, x = 4, b = 2 in both modes", () => {
  const r = customOp(-1.5, 4, 2);
  assert.is(r.value, -4);
  assert.is(r.dwReverse, 4);
  assert.is(r.dwForward, 4);
});

test("the hand-written partial w.r.t. b differentiates as 1 and the one w.r.t. w nests (d²/dw² = 0)", () => {
  assert.is(grad<number>((b) => affine(5, 3, b))(0), 1);
  const second = derivative((w) => derivative((u) => affine(u, 3, 1))(w) as Var)(2);
  assert.is(second, 0);
  const w = variable(2);
  (affine(w, w, 0) as Var).backward(); // x := w is marked nondiff: only the first slot's partial (x = 2) flows
  assert.is(w.grad, 2);
});

test.run();
