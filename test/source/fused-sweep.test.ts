/**
 * The fused reverse pass: gradients and pullbacks of functions whose last
 * loop has independent trips, checked against the two-sweep path (vjp),
 * the same programs in dualtape ops (Var and Dual), central differences
 * and formulas by hand; what it saves (one trip, whatever the trip count);
 * stacks that grow inside a trip; and cotangents refused.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile, add, mul, sin, exp, primal, DualtapeError, type Lifted } from "../../lib/index.ts";
import { agreeOnGradient, fusedOf } from "../support/source.ts";
import { closeAll } from "../support/close.ts";
import { throwsKind } from "../support/errors.ts";

const X = Float64Array.from([0.3, -1.2, 0.8, 1.7, -0.4, 2.1, 0.9]);

// The loop reads values made before it (c, u), and t is a local both before the loop and private to its trips:
// the adjoint of what comes before reads t's value from before the loop.
function prefixed(x: Float64Array, n: number): number {
  const c = Math.exp(x[0]! * 0.5);
  let t = Math.sin(x[1]!);
  const u = t * x[2]!;
  let s = 0;
  for (let i = 0; i < n; i++) {
    t = x[i]! * c;
    let h = t;
    if (t > 0) h = Math.sin(t) + u; else h = t * t;
    s += h * x[i]!;
  }
  return 0.5 * s;
}
function prefixedOps(x: Lifted[], n: number): Lifted | number {
  const c = exp(mul(x[0]!, 0.5));
  const u = mul(sin(x[1]!), x[2]!);
  let s: Lifted | number = 0;
  for (let i = 0; i < n; i++) {
    const t = mul(x[i]!, c);
    const h = (primal(t) as number) > 0 ? add(sin(t), u) : mul(t, t);
    s = add(s, mul(h, x[i]!));
  }
  return mul(0.5, s);
}

test("values made before the loop, read in its trips: gradients agree with Var, Dual and differences", () => {
  assert.match(fusedOf(prefixed), /while \(/);
  agreeOnGradient(prefixed, prefixedOps, X, [X.length]);
});

test("the gradient equals the two-sweep pullback, and the fused pass saves one trip whatever the trip count", () => {
  const C = compile(prefixed, { wrt: [0] });
  const saved: number[] = [];
  for (const n of [10, 10000]) {
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 1.5);
    const g = C.grad(x, n) as Float64Array;
    saved.push(C.savedBytes);
    closeAll(g, C.vjp([x, n]).pullback(1) as Float64Array, 1e-13);
  }
  assert.is(saved[0], saved[1], `saved ${saved[0]} bytes at n = 10, ${saved[1]} at 10^4`);
  assert.ok(saved[0]! <= 64, `saved ${saved[0]} bytes`);
  // The two-sweep path saves per trip.
  const x = Float64Array.from({ length: 10000 }, (_, i) => Math.sin(i));
  C.vjp([x, 10000]);
  assert.ok(C.savedBytes > 10000, `the forward sweep saved ${C.savedBytes} bytes`);
});

// Each trip runs a recurrence of m steps whose adjoint needs every step's value: one trip overflows the first stacks.
function recurrent(x: Float64Array, n: number, m: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    let z = x[i]!;
    for (let j = 0; j < m; j++) z = Math.sin(z) * 0.9 + 0.1 * x[i]!;
    s += z;
  }
  return s;
}

test("a trip that saves more than the stacks hold: they grow and the pass runs again, giving the two-sweep gradient", () => {
  const C = compile(recurrent, { wrt: [0] });
  assert.match(fusedOf(recurrent), /while \(/);
  const g = C.grad(X, X.length, 3000) as Float64Array;
  closeAll(g, C.vjp([X, X.length, 3000]).pullback(1) as Float64Array, 1e-13);
  // By hand for one step (m = 1): dz/dx = 0.9 cos(x) + 0.1.
  const one = C.grad(X, X.length, 1) as Float64Array;
  closeAll(one, Array.from(X, (v) => 0.9 * Math.cos(v) + 0.1), 1e-14);
});

function pairs(x: Float64Array, n: number): Float64Array {
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const a = x[i]! * 2;
    out[2 * i] = a * Math.sin(a);
    out[2 * i + 1] = a * x[(i + 1) % n]!;
  }
  return out;
}

test("pullbacks of two cotangents: one fused pass in lanes, bit-identical to vjp's (each element is one trip's)", () => {
  const R = compile(pairs, { wrt: [0] });
  assert.match(fusedOf(pairs), /while \(/);
  const n = X.length;
  const even = Float64Array.from({ length: 2 * n }, (_, k) => (k % 2 === 0 ? 1 : 0));
  const odd = Float64Array.from({ length: 2 * n }, (_, k) => (k % 2 === 1 ? 0.5 : 0));
  const [ge, go] = R.pullbacks([X, n], [even, odd]) as Float64Array[];
  const [ve, vo] = R.vjp([X, n]).pullbacks([even, odd]) as Float64Array[];
  assert.equal(Array.from(ge!), Array.from(ve!));
  assert.equal(Array.from(go!), Array.from(vo!));
  // By hand: d(2x sin 2x)/dx = 2 sin 2x + 4x cos 2x; row 2i+1 (halved) gives x_{i+1} to x_i and x_i to x_{i+1}.
  closeAll(ge!, Array.from(X, (v) => 2 * Math.sin(2 * v) + 4 * v * Math.cos(2 * v)), 1e-14);
  closeAll(go!, Array.from(X, (_, j) => X[(j + 1) % n]! + X[(j - 1 + n) % n]!), 1e-14);
  // One cotangent, and into: overwritten.
  const into = new Float64Array(n).fill(7);
  const one = R.pullback([X, n], even, into) as Float64Array;
  assert.is(one, into);
  assert.equal(Array.from(one), Array.from(ge!));
  // Three cotangents take the two-sweep path in lanes: the same rows.
  const three = R.pullbacks([X, n], [even, odd, even]) as Float64Array[];
  closeAll(three[2]!, ge!, 0);
});

test("a number result: pullback(args, c) is c times the gradient", () => {
  const C = compile(prefixed, { wrt: [0] });
  const g = C.grad(X, X.length) as Float64Array;
  closeAll(C.pullback([X, X.length], -2) as Float64Array, Array.from(g, (v) => -2 * v), 1e-15);
});

test("cotangents refused: an array for a number result, a number for an array result, another length, not a list", () => {
  const C = compile(prefixed, { wrt: [0] });
  const R = compile(pairs, { wrt: [0] });
  throwsKind(() => C.pullback([X, 7], [1]), DualtapeError, "compile(prefixed).pullback", /the cotangent is .* for a number result.*pass a number/);
  throwsKind(() => R.pullback([X, 7], 1), DualtapeError, "compile(pairs).pullback", /for an array result.*pass an array/);
  throwsKind(() => R.pullback([X, 7], new Float64Array(3)), DualtapeError, "compile(pairs).pullback", /for a result of length 14.*pass an array of length 14/);
  throwsKind(() => R.pullbacks([X, 7], 1 as never), DualtapeError, "compile(pairs).pullbacks", /pullbacks takes an array of cotangents, got number 1.*pass \[ct1, ct2/);
  throwsKind(() => R.pullbacks([X, 7], [new Float64Array(14)], []), DualtapeError, "compile(pairs).pullbacks", /pullbacks' into is .* for 1 cotangents.*one into-entry per cotangent/);
});

// A recurrence before the last loop: its adjoint is a second function, which takes the stacks over from the first.
function stepped(x: Float64Array, steps: number): number {
  const n = x.length;
  const y = new Float64Array(n);
  y[0] = 1;
  for (let s = 0; s < steps; s++) {
    for (let i = n - 1; i >= 1; i--) y[i] = y[i]! + 0.1 * (x[i]! * y[i - 1]! - y[i]!);
    y[0] = y[0]! + 0.1 * x[0]! * y[0]!;
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += y[i]! * Math.sin(x[i]!);
  return 2 * total;
}
function steppedOps(x: Lifted[], steps: number): Lifted | number {
  const n = x.length;
  const y: (Lifted | number)[] = new Array<number>(n).fill(0);
  y[0] = 1;
  for (let s = 0; s < steps; s++) {
    for (let i = n - 1; i >= 1; i--) y[i] = add(y[i]!, mul(0.1, add(mul(x[i]!, y[i - 1]!), mul(-1, y[i]!))));
    y[0] = add(y[0]!, mul(mul(0.1, x[0]!), y[0]!));
  }
  let total: Lifted | number = 0;
  for (let i = 0; i < n; i++) total = add(total, mul(y[i]!, sin(x[i]!)));
  return mul(2, total);
}

test("loops before the fused loop: their adjoint runs as a second function; gradients agree with Var, Dual, differences and the two sweeps", () => {
  assert.match(compile(stepped, { wrt: [0] }).source, /function fusedAdjoint\(/);
  assert.not.match(compile(prefixed, { wrt: [0] }).source, /function fusedAdjoint\(/);
  agreeOnGradient(stepped, steppedOps, X, [5]);
  const C = compile(stepped, { wrt: [0] });
  // 400 steps of 7 saves each overflow the first stacks inside the first function: grown, run again.
  closeAll(C.grad(X, 400) as Float64Array, C.vjp([X, 400]).pullback(1) as Float64Array, 1e-12);
  const [a, b] = C.pullbacks([X, 3], [1, -2]) as Float64Array[];
  closeAll(a!, C.vjp([X, 3]).pullback(1) as Float64Array, 1e-13);
  closeAll(b!, Array.from(a!, (v) => -2 * v), 1e-13);
});

// A continue inside the fused loop: its flag is private to the trip (set at the top of each), the rest of the trip guarded by it.
function skipping(x: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const a = x[i]! * 2;
    if (a < 0) continue;
    const b = Math.sin(a) * x[(i + 1) % n]!;
    s += b * b;
  }
  return s;
}
function skippingOps(x: Lifted[], n: number): Lifted | number {
  let s: Lifted | number = 0;
  for (let i = 0; i < n; i++) {
    const a = mul(x[i]!, 2);
    if ((primal(a) as number) < 0) continue;
    const b = mul(sin(a), x[(i + 1) % n]!);
    s = add(s, mul(b, b));
  }
  return s;
}

test("a continue in the fused loop: gradients agree with Var, Dual, differences and the two sweeps", () => {
  assert.match(fusedOf(skipping), /while \(/);
  const g = agreeOnGradient(skipping, skippingOps, X, [X.length]);
  closeAll(g, compile(skipping, { wrt: [0] }).vjp([X, X.length]).pullback(1) as Float64Array, 1e-14);
});

test.run();
