import { test } from "uvu";
import * as assert from "uvu/assert";
import { forwardGradient, reverseGradient, numericalGradient, handGradient, point, tapeEntries } from "../../examples/modes.ts";
import { closeAll } from "../support/close.ts";

test("forward, reverse and finite-difference gradients of sum sin(x_i) x_{i+1} agree with the hand formula", () => {
  for (const n of [1, 2, 5, 40]) {
    const x = point(n);
    const hand = handGradient(x);
    closeAll(forwardGradient(x), hand, 1e-13);
    closeAll(reverseGradient(x), hand, 1e-13);
    closeAll(numericalGradient(x), hand, 1e-8);
  }
});

test("the reverse tape for n inputs holds n leaves plus 3 entries per term", () => {
  assert.is(tapeEntries(10), 40);
  assert.is(tapeEntries(25), 100);
});

test.run();
