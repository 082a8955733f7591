import { test } from "uvu";
import * as assert from "uvu/assert";
import { forwardGradient, reverseGradient, numericalGradient, handGradient, point, tapeEntries } from "../../examples/modes.ts";

function near(a: number[], b: number[], rtol: number): void {
  assert.is(a.length, b.length);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) <= rtol * Math.max(1, Math.abs(b[i]!)), `[${i}] ${v} vs ${b[i]}`));
}

test("forward, reverse and finite-difference gradients of sum sin(x_i) x_{i+1} agree with the hand formula", () => {
  for (const n of [1, 2, 5, 40]) {
    const x = point(n);
    const hand = handGradient(x);
    near(forwardGradient(x), hand, 1e-13);
    near(reverseGradient(x), hand, 1e-13);
    near(numericalGradient(x), hand, 1e-8);
  }
});

test("the reverse tape for n inputs holds n leaves plus 3 entries per term", () => {
  assert.is(tapeEntries(10), 40);
  assert.is(tapeEntries(25), 100);
});

test.run();
