import { test } from "uvu";
import * as assert from "uvu/assert";
import { randn, tensor, type Tensor } from "../../lib/index.ts";
import { controlFlow } from "../../examples/control-flow.ts";

/** k with c = k a, from the program's rules on plain numbers: 2^m (m >= 1 minimal with 2^m |a| >= 1000), times 100 if sum(a) <= 0. */
function factor(a: Tensor): number {
  const n = Math.hypot(...a.data);
  let k = 2;
  while (k * n < 1000) k *= 2;
  const s = a.data.reduce((p, q) => p + q, 0);
  return s > 0 ? k : 100 * k;
}

function check(a: Tensor): void {
  const r = controlFlow(a);
  const k = factor(a);
  Array.from(r.grad.data).forEach((g, i) => {
    assert.is(g, k, `grad[${i}]`);
    assert.ok(Math.abs(g - r.ratio[i]!) <= 1e-12 * k, `grad[${i}] = ${g} vs c/a = ${r.ratio[i]}`);
  });
}

test("a.grad equals c / a elementwise through the loop and the sum(b) > 0 branch", () => {
  const a = randn([4], { seed: 0 });
  assert.ok(a.data.reduce((p, q) => p + q, 0) > 0);
  check(a);
});

test("a.grad equals c / a elementwise through the 100 b branch (sum(b) < 0)", () => {
  const a = randn([4], { seed: 5 });
  assert.ok(a.data.reduce((p, q) => p + q, 0) < 0);
  check(a);
});

test("a.grad is 2^m for a hand-picked a: |[3, 4]| = 5, 5 · 2^8 = 1280 >= 1000 so k = 256", () => {
  const r = controlFlow(tensor([3, 4]));
  assert.equal(r.grad.toArray(), [256, 256]);
  assert.equal(r.c.toArray(), [768, 1024]);
});

test.run();
