/**
 * The two functions of reverse mode as assembled around the emitted code:
 * local arrays pass from the forward sweep to the adjoint sweep, including
 * one that an early return left unallocated; and which arrays the adjoint
 * sweep writes back into.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile } from "../../lib/index.ts";
import { emit } from "../../lib/source/compile.ts";
import { laneNames } from "../../lib/source/assemble-reverse.ts";

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

// x is overwritten in place (x[0] doubled, then a prefix sum); a is written once per element
// and read after; b is overwritten (b[i] twice); the result r is only written.
function mixed(x: Float64Array, n: number): Float64Array {
  x[0] = x[0]! * 2;
  for (let i = 1; i < n; i++) x[i] = x[i]! + x[i - 1]! * x[i]!;
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.sin(x[i]!);
  for (let i = 0; i < n; i++) b[i] = a[i]! * a[i]!;
  for (let i = 0; i < n; i++) b[i] = b[i]! * x[i]!;
  for (let i = 0; i < n; i++) r[i] = b[i]! + a[(i + 1) % n]!;
  return r;
}

/** Whether the function text assigns an element of `name` (`name[...] =`, not `==`). */
function assignsElement(text: string, name: string): boolean {
  return new RegExp(`(^|[^\\w$])${name.replace(/\$/g, "\\$")}\\[[^\\]]*\\] = `, "m").test(text);
}

test("adjointWrites names exactly the arrays whose elements the adjoint sweep assigns", () => {
  for (const [f, wrt] of [[mixed, [0]], [early, [0]]] as const) {
    const e = emit(f as (...a: never[]) => unknown, { wrt });
    const { params, arrays } = e.reverse.writes;
    e.fn.params.forEach((p, k) => {
      if (p.array) assert.is(params[k], assignsElement(e.reverse.reverse, p.name), `${f.name}: parameter ${p.name}`);
    });
    e.fn.arrays.forEach((a, k) => assert.is(arrays[k], assignsElement(e.reverse.reverse, a.name), `${f.name}: local ${a.name}`));
  }
  // The in-place parameter and the overwritten local that the adjoint reads are written back;
  // the result, which the adjoint never reads, is not.
  const m = emit(mixed, { wrt: [0] });
  const local = (name: string) => m.reverse.writes.arrays[m.fn.arrays.findIndex((a) => a.name === name)];
  assert.equal(m.reverse.writes.params, [true, false]);
  assert.is(local("b"), true);
  assert.is(local("r"), false);
});

test("vjp of an in-place function: repeated pullbacks agree with each other and with forward mode", () => {
  const C = compile(mixed, { wrt: [0] });
  const x = Float64Array.from([0.3, -0.8, 1.2, 0.5]);
  const J = C.jacobian([x, 4], { mode: "forward" }) as number[][];
  const v = C.vjp([x, 4]);
  for (const r of [2, 0, 3, 2, 1]) {
    const ct = Float64Array.from({ length: 4 }, (_, i) => (i === r ? 1 : 0));
    const row = v.pullback(ct) as Float64Array;
    J[r]!.forEach((want, i) => assert.ok(Math.abs(row[i]! - want) < 1e-12, `row ${r}, column ${i}: ${row[i]} vs ${want}`));
  }
  assert.equal(Array.from(x), [0.3, -0.8, 1.2, 0.5], "the argument is left as it was");
});

test("laneNames: one adjoint name per lane, suffixed by the lane when there are several", () => {
  assert.equal(laneNames(1).adj("x"), ["x$b"]);
  assert.equal(laneNames(1).seeds, ["$seed"]);
  assert.equal(laneNames(2).adj("x"), ["x$b0", "x$b1"]);
  assert.equal(laneNames(2).seeds, ["$seed0", "$seed1"]);
});

test.run();
