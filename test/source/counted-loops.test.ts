/**
 * Counted loops and private counters: the adjoint computes trip counts from
 * init and bound and re-derives private counters, so the forward sweep saves
 * no integers for them. Every program's gradient is checked against the same
 * program in dualtape ops (Var and Dual) and against central differences;
 * the generated source is checked for what it no longer saves.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile, add, sub, mul, sin, sqrt, gt, type Lifted } from "../../lib/index.ts";
import { agreeOnGradient, sweepOf } from "../support/source.ts";

const X = Float64Array.from([0.3, -1.2, 0.8, 1.7, -0.4, 2.1, 0.9]);


// A lower triangle walked row by row, as a small matrix-vector product is:
// the inner bound is the outer counter.
function triangle(x: Float64Array, d: number): number {
  let s = 0;
  for (let row = 0; row < d; row++) {
    let z = 0;
    for (let col = 0; col <= row; col++) z += x[row]! * x[col]! * 0.5;
    s += Math.sin(z);
  }
  return s;
}
function triangleOps(x: Lifted[], d: number): Lifted | number {
  let s: Lifted | number = 0;
  for (let row = 0; row < d; row++) {
    let z: Lifted | number = 0;
    for (let col = 0; col <= row; col++) z = add(z, mul(mul(x[row]!, x[col]!), 0.5));
    s = add(s, sin(z));
  }
  return s;
}

test("nested counted loops (inner bound = outer counter): no integer is saved, gradients agree", () => {
  const sweep = sweepOf(triangle);
  assert.not.match(sweep, /\$is\[\$ip\+\+\]/, "no old counter value and no trip count on the int stack");
  agreeOnGradient(triangle, triangleOps, X, [7]);
  agreeOnGradient(triangle, triangleOps, X, [0]);
});

// Bounds that are not integers, inclusive bounds, falling counters with stride 2,
// and loops that run zero times: the computed trip count must match the test's.
function bounds(x: Float64Array, n: number): number {
  const k = Math.floor(n);
  let s = 0;
  for (let i = 0; i < n / 2; i++) s += x[i]! * x[i]!;
  for (let i = 1; i <= k - 2; i += 2) s += x[i]! * s * 0.1;
  for (let i = k - 1; i >= 1; i -= 2) s += Math.sin(x[i]!) * s;
  for (let i = k; i < 2; i++) s += x[i]! * 10;
  for (let i = 0; i > k; i--) s += x[0]! * 100;
  return s;
}
function boundsOps(x: Lifted[], n: number): Lifted | number {
  const k = Math.floor(n);
  let s: Lifted | number = 0;
  for (let i = 0; i < n / 2; i++) s = add(s, mul(x[i]!, x[i]!));
  for (let i = 1; i <= k - 2; i += 2) s = add(s, mul(mul(x[i]!, s), 0.1));
  for (let i = k - 1; i >= 1; i -= 2) s = add(s, mul(sin(x[i]!), s));
  for (let i = k; i < 2; i++) s = add(s, mul(x[i]!, 10));
  for (let i = 0; i > k; i--) s = add(s, mul(x[0]!, 100));
  return s;
}

test("fractional and inclusive bounds, strides 2 and -2, zero-trip loops: trip counts match the tests", () => {
  for (const n of [7, 6, 5, 2, 1]) agreeOnGradient(bounds, boundsOps, X, [n]);
  const sweep = sweepOf(bounds);
  assert.not.match(sweep, /\$is\[\$ip\+\+\] = (i|\$n\d+);/, "all five loops are counted, on a private counter");
  // n / 2 (computed once before its loop, see hoist.ts) may be fractional.
  assert.match(compile(bounds, { wrt: [0] }).source, /\$h(\d+) = n \/ 2;[^]*Math\.ceil\(\$h\1\)/);
});

// Bounds read straight from an argument, which may be NaN.
function half(x: Float64Array, n: number): number {
  let s = 1;
  for (let i = 0; i < n / 2; i++) s += x[i]! * x[i]!;
  for (let i = 0; i <= n; i++) s *= x[i]!;
  return s;
}
function halfOps(x: Lifted[], n: number): Lifted | number {
  let s: Lifted | number = 1;
  for (let i = 0; i < n / 2; i++) s = add(s, mul(x[i]!, x[i]!));
  for (let i = 0; i <= n; i++) s = mul(s, x[i]!);
  return s;
}

test("a NaN bound runs no trip in either sweep; fractional bounds run the test's trips", () => {
  const C = compile(half, { wrt: [0] });
  assert.equal(Array.from(C.grad(X, NaN) as Float64Array), new Array(X.length).fill(0));
  for (const n of [5.5, 4, 0.5, -1]) agreeOnGradient(half, halfOps, X, [n]);
});

// A test on the counter plus a literal, as in pairwise sums.
function pairs(x: Float64Array, n: number): number {
  let e = 0;
  for (let i = 0; i + 1 < n; i++) {
    const d = x[i + 1]! - x[i]!;
    e += Math.sqrt(1 + d * d);
  }
  for (let i = x.length - 1; i - 2 >= 0; i--) e += x[i]! * x[i - 2]!;
  return e;
}
function pairsOps(x: Lifted[], n: number): Lifted | number {
  let e: Lifted | number = 0;
  for (let i = 0; i + 1 < n; i++) {
    const d = sub(x[i + 1]!, x[i]!);
    e = add(e, sqrt(add(1, mul(d, d))));
  }
  for (let i = x.length - 1; i - 2 >= 0; i--) e = add(e, mul(x[i]!, x[i - 2]!));
  return e;
}

test("a test on the counter plus or minus a literal (i + 1 < n, i - 2 >= 0) is counted", () => {
  const sweep = sweepOf(pairs);
  assert.not.match(sweep, /\$is\[\$ip\+\+\]/, "no counter value and no trip count saved");
  assert.not.match(sweep, /\$fs\[\$fp\+\+\] = i(_\d+)?;/);
  for (const n of [7, 2, 1]) agreeOnGradient(pairs, pairsOps, X, [n]);
});

// The counter is read after its loop, so the adjoint needs its saved values.
function readAfter(x: Float64Array, n: number): number {
  let s = 0;
  let i = 0;
  for (i = 0; i < n; i++) s += x[i]! * x[i]!;
  return s * x[i - 1]!;
}
function readAfterOps(x: Lifted[], n: number): Lifted | number {
  let s: Lifted | number = 0;
  let i = 0;
  for (i = 0; i < n; i++) s = add(s, mul(x[i]!, x[i]!));
  return mul(s, x[i - 1]!);
}

test("a counter read after its loop stays saved (it is not private), and its loop is still counted", () => {
  const sweep = sweepOf(readAfter);
  assert.match(sweep, /\$is\[\$ip\+\+\] = i;/, "the counter's old value is saved");
  assert.not.match(sweep, /\$is\[\$ip\+\+\] = \$n\d+;/, "the trip count is not");
  agreeOnGradient(readAfter, readAfterOps, X, [5]);
});

// The bound changes inside the loop: its trip count cannot come from init and bound.
function movingBound(x: Float64Array, n: number): number {
  let s = 0;
  let m = n;
  for (let i = 0; i < m; i++) {
    s += x[i]! * s + x[i]!;
    if (x[i]! > 1) m = m - 1;
  }
  return s;
}
function movingBoundOps(x: Lifted[], n: number): Lifted | number {
  let s: Lifted | number = 0;
  let m = n;
  for (let i = 0; i < m; i++) {
    s = add(s, add(mul(x[i]!, s), x[i]!));
    if (gt(x[i]!, 1)) m = m - 1;
  }
  return s;
}

test("a bound written in the loop body keeps the counted trip count", () => {
  const sweep = sweepOf(movingBound);
  assert.match(sweep, /\$is\[\$ip\+\+\] = i - \$n\d+;/, "the trip count is saved");
  agreeOnGradient(movingBound, movingBoundOps, X, [7]);
});

test.run();
