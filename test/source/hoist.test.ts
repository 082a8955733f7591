/**
 * Loop-invariant code motion: what moves out of a loop and what stays,
 * checked on the generated forward function, and gradients checked against
 * the same programs in dualtape ops (Var and Dual) and central differences.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile, add, mul, sin, lt, type Lifted } from "../../lib/index.ts";
import { agreeOnGradient, forwardOf, sweepOf } from "../support/source.ts";
import { hoistInvariants, rematerializable } from "../../lib/source/hoist.ts";
import { parseFunction } from "../../lib/source/parse.ts";
import { checkFunction } from "../../lib/source/check.ts";
import { normalize } from "../../lib/source/normalize.ts";
import type { Stmt } from "../../lib/source/ir.ts";

const X = Float64Array.from([0.3, -1.2, 0.8, 1.7, -0.4, 2.1, 0.9]);

/** The text of the first `while` loop's body in `code`. */
const firstLoop = (code: string): string => code.slice(code.indexOf("while ("));

// An explicit Euler step: h / 2 is the same on every trip; x[i] * s is not.
function euler(x: Float64Array, steps: number): number {
  const n = x.length;
  const h = 1 / steps;
  let s = 0;
  for (let k = 0; k < steps; k++) {
    for (let i = 0; i < n; i++) s = s + (h / 2) * Math.sin(x[i]! * s + x[0]! * 2);
  }
  return s;
}
function eulerOps(x: Lifted[], steps: number): Lifted | number {
  const h = 1 / steps;
  let s: Lifted | number = 0;
  for (let k = 0; k < steps; k++) {
    for (let i = 0; i < x.length; i++) s = add(s, mul(h / 2, sin(add(mul(x[i]!, s), mul(x[0]!, 2)))));
  }
  return s;
}

test("invariants move out of the loops, active ones (x[0] * 2) included; what varies stays; gradients agree", () => {
  const code = forwardOf(euler);
  const loops = firstLoop(code);
  assert.match(code.slice(0, code.indexOf("while (")), /\$h\d+ = h \/ 2;/, "h / 2 before the loops");
  assert.match(code.slice(0, code.indexOf("while (")), /x\[0\] \* 2/, "x[0] * 2 before the loops, with its tangent");
  assert.not.match(loops, /h \/ 2/);
  assert.match(loops, /x\[\$t\d+\] \* s|x\[i_?\d*\] \* s/, "x[i] * s stays");
  agreeOnGradient(euler, eulerOps, X, [3]);
  agreeOnGradient(euler, eulerOps, X, [0]);
});

// A lower-triangular matrix-vector product over k blocks: the block offset c * d * d leaves
// both inner loops, the row offset row * d leaves the inner one.
function blocks(x: Float64Array, d: number): number {
  const k = 2;
  let s = 0;
  for (let c = 0; c < k; c++) {
    for (let row = 0; row < d; row++) {
      let z = 0;
      for (let col = 0; col <= row; col++) z += x[c * d * d + row * d + col]! * x[col]!;
      s += z * z;
    }
  }
  return s;
}
function blocksOps(x: Lifted[], d: number): Lifted | number {
  let s: Lifted | number = 0;
  for (let c = 0; c < 2; c++) {
    for (let row = 0; row < d; row++) {
      let z: Lifted | number = 0;
      for (let col = 0; col <= row; col++) z = add(z, mul(x[c * d * d + row * d + col]!, x[col]!));
      s = add(s, mul(z, z));
    }
  }
  return s;
}

test("index offsets leave the loops they do not vary in; the counted loops stay counted; gradients agree", () => {
  // The offsets are computed again by the adjoint from their definitions: the sweep saves none of them.
  assert.not.match(sweepOf(blocks), /\$fs\[\$fp\+\+\] = \$h/, sweepOf(blocks));
  const code = forwardOf(blocks);
  const inner = code.slice(code.lastIndexOf("while ("));
  assert.not.match(inner.slice(0, inner.indexOf("}")), /\* d/, "no multiplication by d in the innermost loop");
  const source = compile(blocks, { wrt: [0] }).source;
  const sweep = source.slice(source.indexOf("function sweep"), source.indexOf("function reverse"));
  assert.not.match(sweep, /\$is\[\$ip\+\+\] = \$n\d+;/, "trip counts are still computed, not saved");
  const xs = Float64Array.from({ length: 2 * 9 }, (_, i) => Math.sin(i + 1));
  agreeOnGradient(blocks, blocksOps, xs, [3]);
});

// i * d is invariant in both inner loops: it moves out of both as one local, not as a copy.
function nearest(x: Float64Array, n: number): number {
  const d = 2;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (let j = 0; j < 3; j++) {
      let dist = 0;
      for (let l = 0; l < d; l++) dist += (x[j * d + l]! - x[i * d + l]! * 0.5) ** 2;
      if (dist < best) best = dist;
    }
    total += best;
  }
  return total;
}
function nearestOps(x: Lifted[], n: number): Lifted | number {
  let total: Lifted | number = 0;
  for (let i = 0; i < n; i++) {
    let best: Lifted | number = Infinity;
    for (let j = 0; j < 3; j++) {
      let dist: Lifted | number = 0;
      for (let l = 0; l < 2; l++) {
        const t = add(x[j * 2 + l]!, mul(x[i * 2 + l]!, -0.5));
        dist = add(dist, mul(t, t));
      }
      if (lt(dist, best)) best = dist;
    }
    total = add(total, best);
  }
  return total;
}

test("an invariant of several loops leaves them all as one local (no copy per trip); gradients agree", () => {
  const code = forwardOf(nearest);
  assert.not.match(code, /\$h\d+ = \$h\d+;/, "no copies");
  const outer = code.slice(code.indexOf("while (i"), code.indexOf("while (j"));
  assert.match(outer, /\$h\d+ = i \* d;/, "i * d once per i, before the j loop");
  agreeOnGradient(nearest, nearestOps, X, [3]);
});

// Nothing moves when it reads what the loop writes: the array a, the scalar t, a varying index.
function stays(x: Float64Array, n: number): number {
  const a = new Float64Array(n);
  let t = 1;
  let s = 0;
  for (let i = 0; i < n; i++) {
    a[i] = x[i]! * 2;
    s = s + a[0]! * t + x[i]! * x[0]!;
    t = t * 0.5;
  }
  return s;
}
function staysOps(x: Lifted[], n: number): Lifted | number {
  const a: (Lifted | number)[] = [];
  let t = 1;
  let s: Lifted | number = 0;
  for (let i = 0; i < n; i++) {
    a[i] = mul(x[i]!, 2);
    s = add(add(s, mul(a[0]!, t)), mul(x[i]!, x[0]!));
    t = t * 0.5;
  }
  return s;
}

test("reads of written arrays and scalars, and varying indices, stay in the loop; gradients agree", () => {
  const code = forwardOf(stays);
  assert.not.match(code.slice(0, code.indexOf("while (")), /\$h\d+ =/, "nothing to move");
  agreeOnGradient(stays, staysOps, X, [7]);
});

// A loop that runs no trip: its invariant 1 / z (z = 0) is computed once and never used.
function guarded(x: Float64Array, n: number): number {
  const z = n - n;
  let s = x[0]!;
  for (let i = 0; i < n; i++) s = s + Math.sin(x[i]!) * (1 / z);
  return s;
}
function guardedOps(x: Lifted[], n: number): Lifted | number {
  const z = n - n;
  let s: Lifted | number = x[0]!;
  for (let i = 0; i < n; i++) s = add(s, mul(sin(x[i]!), 1 / z));
  return s;
}

test("an invariant computed before a loop that runs no trip changes nothing (1 / 0 unused)", () => {
  assert.match(forwardOf(guarded), /\$h\d+ = 1 \/ z;/);
  const C = compile(guarded, { wrt: [0] });
  const { value, grad } = C.valueAndGrad(X, 0) as { value: number; grad: Float64Array };
  assert.is(value, X[0]);
  assert.equal(Array.from(grad), [1, 0, 0, 0, 0, 0, 0]);
  agreeOnGradient(guarded, guardedOps, X, [0]);
});

test("rematerializable: a hoisted local assigned once at the top of a loop from names the loop does not write (or its counter); not one the loop changes the inputs of", () => {
  const fnOf = (src: string) => normalize(hoistInvariants(checkFunction(parseFunction(src), {})));
  // The last statement of a loop body steps its counter.
  const counter = (loop: Stmt & { k: "loop" }) => { const last = loop.body.at(-1); return last?.k === "assign" ? last.name : null; };
  const names = (src: string) => [...rematerializable(fnOf(src), counter).names];
  // (c * d) moves out of the inner loop into the outer one; its inputs are the outer counter and d.
  assert.equal(names("function f(x, d) { let s = 0; for (let c = 0; c < 3; c++) { for (let l = 0; l < d; l++) s += x[c * d + l]; } return s; }").length, 1);
  // m changes inside the outer loop, so m * d is not computed again from m.
  assert.equal(names("function f(x, d) { let s = 0; let m = 1; for (let c = 0; c < 3; c++) { m = m + x[c]; for (let l = 0; l < d; l++) s += x[l] * (m * d); } return s; }"), []);
});

// A local of the trip (o, then y from o and elements of x, which nothing writes), read only later in its trip.
function tripLocal(x: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const o = 2 * i;
    const y = x[o + 1]! - x[o]! * 0.5;
    s = s * 0.9 + Math.sin(y) * y;
  }
  return s;
}
function tripLocalOps(x: Lifted[], n: number): Lifted | number {
  let s: Lifted | number = 0;
  for (let i = 0; i < n; i++) {
    const y = add(x[2 * i + 1]!, mul(x[2 * i]!, -0.5));
    s = add(mul(s, 0.9), mul(sin(y), y));
  }
  return s;
}

test("rematerializable: a user's local of the trip, from its counter and unwritten arrays, is computed again, not saved; gradients agree", () => {
  const fnOf = (src: string) => normalize(hoistInvariants(checkFunction(parseFunction(src), {})));
  const counter = (loop: Stmt & { k: "loop" }) => { const last = loop.body.at(-1); return last?.k === "assign" ? last.name : null; };
  const names = (src: string) => [...rematerializable(fnOf(src), counter).names];
  assert.equal(names(String(tripLocal)), ["o", "y"]);
  // Declared before the loop (so assigned twice), read after it or before its definition in the trip: saved.
  assert.equal(names("function f(x, n) { let s = 0; let y = 0; for (let i = 0; i < n; i++) { y = x[i] * 2; s += y * y; } return s + y; }"), []);
  assert.equal(names("function f(x, n) { let s = 0; let y = 0; for (let i = 0; i < n; i++) { s += y * x[i]; y = x[i] * 2; } return s; }"), []);
  // An array something stores into may change between the trip and its adjoint: saved.
  assert.equal(names("function f(x, n) { let s = 0; for (let i = 0; i < n; i++) { const y = x[i] * 2; x[i] = y * y; s += y * x[i]; } return s; }"), []);
  assert.not.match(sweepOf(tripLocal), /\$fs\[\$fp\+\+\] = y;|\$is\[\$ip\+\+\] = o;/, "neither o nor y is pushed");
  const x = Float64Array.from([0.3, -1.2, 0.8, 1.7, -0.4, 2.1, 0.9, 0.25]);
  agreeOnGradient(tripLocal, tripLocalOps, x, [4]);
  agreeOnGradient(tripLocal, tripLocalOps, x, [0]);
});

test.run();
