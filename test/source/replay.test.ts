/**
 * Reduction loops whose adjoint replays them forward: what the forward sweep
 * no longer saves, which loops qualify, and gradients checked against the
 * same programs in dualtape ops (Var and Dual) and central differences.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { add, sub, mul, sin, exp, log, type Lifted } from "../../lib/index.ts";
import { agreeOnGradient, sweepOf, adjointOf } from "../support/source.ts";

const X = Float64Array.from([0.3, -1.2, 0.8, 1.7, -0.4, 2.1, 0.9]);

/** The bodies of the `while` loops of a sweep, innermost text first as they appear. */
const loopBodies = (sweep: string): string[] => sweep.split("while (").slice(1).map((part) => part.slice(0, part.indexOf("}")));

// Polynomial fits, as llsq: fit accumulates, power is a recurrence, and the fit is squared after.
function fits(x: Float64Array, n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const t = -1 + (2 * i) / (n - 1);
    let fit = 0;
    let power = 1;
    for (let j = 0; j < x.length; j++) {
      fit = fit + x[j]! * power;
      power = power * t;
    }
    const r = t * t - fit;
    total = total + r * r * fit;
  }
  return total;
}
function fitsOps(x: Lifted[], n: number): Lifted | number {
  let total: Lifted | number = 0;
  for (let i = 0; i < n; i++) {
    const t = -1 + (2 * i) / (n - 1);
    let fit: Lifted | number = 0;
    let power = 1;
    for (let j = 0; j < x.length; j++) {
      fit = add(fit, mul(x[j]!, power));
      power = power * t;
    }
    const r = sub(t * t, fit);
    total = add(total, mul(mul(r, r), fit));
  }
  return total;
}

test("a reduction loop saves nothing per trip: its adjoint replays it from the entry values; gradients agree", () => {
  const inner = loopBodies(sweepOf(fits)).find((b) => b.includes("power * t"))!;
  assert.not.match(inner, /\$fs\[\$fp\+\+\]|\$is\[\$ip\+\+\]/, inner);
  for (const n of [5, 2]) agreeOnGradient(fits, fitsOps, X, [n]);
});

// Two accumulators, one subtracted and one written e + a, with a recurrence that reads the input.
function twoSums(x: Float64Array, n: number): number {
  let a = 0;
  let b = 1;
  let w = 0.5;
  for (let i = 0; i < n; i++) {
    a = a - x[i]! * w;
    b = x[i]! * x[i]! * w + b;
    w = w * 0.9 + 0.01 * i;
  }
  return a * b;
}
function twoSumsOps(x: Lifted[], n: number): Lifted | number {
  let a: Lifted | number = 0;
  let b: Lifted | number = 1;
  let w = 0.5;
  for (let i = 0; i < n; i++) {
    a = sub(a, mul(x[i]!, w));
    b = add(mul(mul(x[i]!, x[i]!), w), b);
    w = w * 0.9 + 0.01 * i;
  }
  return mul(a, b);
}

test("a - e and e + a accumulate, beside a recurrence: replayed, gradients agree", () => {
  assert.not.match(loopBodies(sweepOf(twoSums))[0]!, /\$fs\[\$fp\+\+\]/);
  for (const n of [7, 3, 0]) agreeOnGradient(twoSums, twoSumsOps, X, [n]);
});

// Not reductions: a transcendental in the term (its value would be popped), and an
// accumulator another statement reads. Both keep the store-all adjoint.
function notReductions(x: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s = s + Math.sin(x[i]!);
  let u = 0;
  let v = 1;
  for (let i = 0; i < n; i++) {
    u = u + x[i]!;
    v = v * 0.5 + u;
  }
  return s * v;
}
function notReductionsOps(x: Lifted[], n: number): Lifted | number {
  let s: Lifted | number = 0;
  for (let i = 0; i < n; i++) s = add(s, sin(x[i]!));
  let u: Lifted | number = 0;
  let v: Lifted | number = 1;
  for (let i = 0; i < n; i++) {
    u = add(u, x[i]!);
    v = add(mul(v, 0.5), u);
  }
  return mul(s, v);
}

test("a transcendental term or an accumulator read by another statement keeps the store-all adjoint; gradients agree", () => {
  const sweep = sweepOf(notReductions);
  const [first, second] = loopBodies(sweep);
  // The sum of sines is saved once, before its loop (no trip saves it), and restored once after its adjoint.
  assert.not.match(first!, /\$fs\[\$fp\+\+\]/, sweep);
  assert.match(sweep, /\$fs\[\$fp\+\+\] = s;\n\s*while \(i < n\)/, sweep);
  // v = v * 0.5 + u is no sum: its old value is saved on every trip.
  assert.match(second!, /\$fs\[\$fp\+\+\] = v;/, sweep);
  const adjoint = adjointOf(notReductions);
  assert.match(adjoint, /i = i - 1;/, "the sine loop's adjoint runs backward (not replayed)");
  agreeOnGradient(notReductions, notReductionsOps, X, [7]);
});

// A sum with a costly term read after its loop (logsumexp, as gmm's per point): saved on entry only.
function logSumExp(x: Float64Array, n: number): number {
  let total = 0;
  for (let r = 0; r < 3; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s = s + Math.exp(x[i]! * (r + 1));
    total = total + Math.log(s) * x[r]!;
  }
  return total;
}
function logSumExpOps(x: Lifted[], n: number): Lifted | number {
  let total: Lifted | number = 0;
  for (let r = 0; r < 3; r++) {
    let s: Lifted | number = 0;
    for (let i = 0; i < n; i++) s = add(s, exp(mul(x[i]!, r + 1)));
    total = add(total, mul(log(s), x[r]!));
  }
  return total;
}

test("a sum the loop only accumulates into is saved on entry, not on every trip, though later adjoints read it; gradients agree", () => {
  const sweep = sweepOf(logSumExp);
  const inner = loopBodies(sweep).find((b) => b.includes("Math.exp"))!;
  assert.not.match(inner, /\$fs\[\$fp\+\+\] = s\b/, sweep);
  assert.match(sweep, /\$fs\[\$fp\+\+\] = s;\n\s*while/, sweep);
  for (const n of [5, 1]) agreeOnGradient(logSumExp, logSumExpOps, X, [n]);
});

// Dot products of rows of a triangular matrix with a vector (gmm's pattern): two arrays read per
// trip, both differentiated, and nothing but the sum and the counter in the loop.
function triangular(x: Float64Array, d: number): number {
  let total = 0;
  for (let row = 0; row < d; row++) {
    let z = 0;
    for (let col = 0; col <= row; col++) z = z + x[row * d + col]! * x[d * d + col]!;
    total = total + z * z;
  }
  return total;
}
function triangularOps(x: Lifted[], d: number): Lifted | number {
  let total: Lifted | number = 0;
  for (let row = 0; row < d; row++) {
    let z: Lifted | number = 0;
    for (let col = 0; col <= row; col++) z = add(z, mul(x[row * d + col]!, x[d * d + col]!));
    total = add(total, mul(z, z));
  }
  return total;
}

test("a plain sum's adjoint runs four trips at a time, their reads first, then the rest one at a time; gradients agree at every remainder", () => {
  const adjoint = adjointOf(triangular);
  const unrolled = adjoint.slice(adjoint.indexOf("-= 4)"));
  const trip = unrolled.slice(0, unrolled.indexOf("}"));
  // All eight element reads of the four trips come before the first increment.
  const firstIncrement = trip.indexOf("+=");
  assert.is((trip.slice(0, firstIncrement).match(/= x\[/g) ?? []).length, 8, trip);
  assert.match(trip, /col = col \+ 4;/);
  // Rows of 1 to 9 columns: every remainder of 4, with and without a full block.
  const y = Float64Array.from({ length: 9 * 9 + 9 }, (_, i) => Math.sin(1.3 * i) + 0.2);
  for (const d of [1, 3, 4, 5, 9]) agreeOnGradient(triangular, triangularOps, y.subarray(0, d * d + d), [d]);
});

test("a sum set just before its loop (z = 0) is saved once per trip of the loop around, by that statement, not again on entry", () => {
  const sweep = sweepOf(triangular);
  assert.is((sweep.match(/\$fs\[\$fp\+\+\] = z;/g) ?? []).length, 2, sweep); // one in the row loop, one at the end of the sweep
  assert.match(sweep, /\$fs\[\$fp\+\+\] = z;\n\s*z = 0;/, sweep);
});

test("a sum beside a recurrence also runs four trips at a time, the recurrence updated in turn between them; gradients agree at every remainder", () => {
  const adjoint = adjointOf(fits);
  const at = adjoint.indexOf("-= 4)");
  assert.ok(at >= 0, adjoint);
  const group = adjoint.slice(at, adjoint.indexOf("}", at));
  // Each trip's increment reads power before the recurrence moves it on.
  assert.is((group.match(/x\$b\[[^\]]+\] \+= [^;]*power;\n\s*power = power \* t;/g) ?? []).length, 4, group);
  for (const len of [1, 3, 4, 5, 7]) agreeOnGradient(fits, fitsOps, X.subarray(0, len), [5]);
});

// a[k] = a[k] + e: the element's adjoint passes through, neither cleared nor written back.
function increments(x: Float64Array, n: number): number {
  const acc = new Float64Array(n);
  for (let i = 0; i < n; i++) acc[i] = acc[i]! + x[i]! * x[i]!;
  for (let i = 0; i < n; i++) acc[i] = acc[i]! + Math.sin(x[i]!);
  let s = 0;
  for (let i = 0; i < n; i++) s = s + acc[i]! * x[i]!;
  return s;
}
function incrementsOps(x: Lifted[], n: number): Lifted | number {
  const acc: (Lifted | number)[] = new Array(n).fill(0);
  for (let i = 0; i < n; i++) acc[i] = add(acc[i]!, mul(x[i]!, x[i]!));
  for (let i = 0; i < n; i++) acc[i] = add(acc[i]!, sin(x[i]!));
  let s: Lifted | number = 0;
  for (let i = 0; i < n; i++) s = add(s, mul(acc[i]!, x[i]!));
  return s;
}

test("an increment a[k] = a[k] + e leaves a[k]'s adjoint in place (no clear, no write back); gradients agree", () => {
  const adjoint = adjointOf(increments);
  assert.not.match(adjoint, /acc\$b\[[^\]]+\] = /, adjoint);
  agreeOnGradient(increments, incrementsOps, X, [X.length]);
});

test.run();
