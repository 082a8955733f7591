/**
 * The two functions of reverse mode as assembled around the emitted code:
 * local arrays pass from the forward sweep to the adjoint sweep, including
 * one that an early return left unallocated.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile } from "../../lib/index.ts";

// Returns before allocating c when x0 x1 > 0.
function early(x: Float64Array, n: number): number {
  const s = x[0]! * x[1]!;
  if (s > 0) return s;
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) c[i] = x[i]! * x[i]!;
  return c[0]! + s;
}

test("an early return before a local array's allocation: grad, vjp and jvp follow the branch taken (by hand)", () => {
  const C = compile(early, { wrt: [0] });
  // Returned early: f = x0 x1, so the gradient is [x1, x0].
  const up = Float64Array.from([1, 2]);
  assert.equal(Array.from(C.grad(up, 2) as Float64Array), [2, 1]);
  assert.equal(Array.from(C.vjp([up, 2]).pullback(3) as Float64Array), [6, 3]);
  assert.equal(C.jvp([up, 2], [Float64Array.from([1, 0])]), { value: 2, tangent: 2 });
  // Ran on: f = x0² + x0 x1, gradient [2 x0 + x1, x0].
  const down = Float64Array.from([-1, 2]);
  assert.equal(Array.from(C.grad(down, 2) as Float64Array), [0, -1]);
  assert.equal(Array.from(C.vjp([down, 2]).pullback(1) as Float64Array), [0, -1]);
});

test.run();
