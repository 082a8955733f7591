import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile, add, mul, sin, exp, gt, type Lifted } from "../../lib/index.ts";
import { agreeOnGradient } from "../support/source.ts";

const X = Float64Array.from([0.3, -1.2, 0.8, 1.7, -0.4, 2.1, 0.9]);

// y[i] is updated from itself and from y[j], where j = 3i mod n equals i for i = 0 and
// (n = 7) never otherwise: the increment to y$b[j] may hit the element being updated.
function selfUpdate(x: Float64Array, sweeps: number): number {
  const n = x.length;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = x[i]!;
  for (let s = 0; s < sweeps; s++) {
    for (let i = 0; i < n; i++) {
      const j = (i * 3) % n;
      y[i] = y[i]! * 0.5 + y[i]! * x[i]! + 0.25 * y[j]!;
    }
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += y[i]! * y[i]!;
  return total;
}
function selfUpdateOps(x: Lifted[], sweeps: number): Lifted | number {
  const n = x.length;
  const y: (Lifted | number)[] = x.slice();
  for (let s = 0; s < sweeps; s++) {
    for (let i = 0; i < n; i++) {
      const j = (i * 3) % n;
      y[i] = add(add(mul(y[i]!, 0.5), mul(y[i]!, x[i]!)), mul(0.25, y[j]!));
    }
  }
  let total: Lifted | number = 0;
  for (let i = 0; i < n; i++) total = add(total, mul(y[i]!, y[i]!));
  return total;
}

test("an element updated from itself and from an element that may alias it: gradients agree with Var, Dual and differences", () => {
  agreeOnGradient(selfUpdate, selfUpdateOps, X, [3]);
});

test("the adjoint of y[i] = f(y[i], ...) sums the uses of y[i] in a local and writes y$b[i] once", () => {
  const src = compile(selfUpdate, { wrt: [0] }).source;
  const adjoint = src.slice(src.indexOf("function reverse"));
  // Two uses of y[i] on the right: no read-modify-write of the target element per use.
  const target = /const (\$t\d+) = i(?:_\d+)?;\s*\n\s*y\[\1\] = \$fs\[--\$fp\];/.exec(adjoint);
  assert.ok(target, adjoint);
  const t = target![1]!;
  const writes = adjoint.split("\n").filter((l) => l.includes(`y$b[${t}]`) && !l.includes(`= y$b[${t}]`));
  assert.equal(writes.length, 1, writes.join("\n"));
  assert.match(writes[0]!, new RegExp(`y\\$b\\[\\${t}\\] = \\$t\\d+;`));
});

// Costly values nested in each other, in a branch, in an element update and in a scalar update.
function nested(x: Float64Array, sweeps: number): number {
  const n = x.length;
  const y = new Float64Array(n);
  let s = 0;
  for (let k = 0; k < sweeps; k++) {
    for (let i = 0; i + 1 < n; i++) {
      if (x[i]! > 0) y[i] = y[i]! + Math.sin(Math.exp(x[i]!) * x[i + 1]!);
      else s += Math.exp(Math.sin(x[i]!)) * y[i + 1]!;
    }
  }
  for (let i = 0; i < n; i++) s += y[i]! * x[i]!;
  return s;
}
function nestedOps(x: Lifted[], sweeps: number): Lifted | number {
  const n = x.length;
  const y: (Lifted | number)[] = new Array(n).fill(0);
  let s: Lifted | number = 0;
  for (let k = 0; k < sweeps; k++) {
    for (let i = 0; i + 1 < n; i++) {
      if ((x[i]!.value as number) > 0) y[i] = add(y[i]!, sin(mul(exp(x[i]!), x[i + 1]!)));
      else s = add(s, mul(exp(sin(x[i]!)), y[i + 1]!));
    }
  }
  for (let i = 0; i < n; i++) s = add(s, mul(y[i]!, x[i]!));
  return s;
}

test("costly values pushed by the forward sweep and popped by the adjoint give the gradients of Var, Dual and differences", () => {
  agreeOnGradient(nested, nestedOps, X, [2]);
});

test("the adjoint pops sin and exp values instead of calling them again (cos is the only new call)", () => {
  const src = compile(nested, { wrt: [0] }).source;
  const adjoint = src.slice(src.indexOf("function reverse("), src.indexOf("function reverseLanes("));
  assert.not.match(adjoint, /Math\.sin|Math\.exp/, adjoint);
  assert.match(adjoint, /Math\.cos/);
});

// k is an integer the adjoint needs (it multiplies x[0]) and the loop overwrites: it is saved
// on every trip (s is halved on each, so the loop is no plain sum the adjoint could replay).
function tripled(x: Float64Array, n: number): number {
  let k = 1;
  let s = 0;
  for (let i = 0; i < n; i++) {
    s = s * 0.5 + x[0]! * k * x[1]!;
    k = k * 3;
  }
  return s;
}
function wide(x: Float64Array, n: number): number {
  let k = 1;
  let s = 0;
  for (let i = 0; i < n; i++) {
    s = s * 0.5 + x[0]! * k * x[1]!;
    k = k * 65536;
  }
  return s;
}

test("integer locals travel on the int stack: the adjoint restores them as integers and the gradient is exact", () => {
  const E = compile(tripled, { wrt: [0] });
  const adjoint = E.source.slice(E.source.indexOf("function reverse"));
  assert.match(adjoint, /for \([^]*k = \$is\[--\$ip\]/, "k is restored from the int stack inside the loop");
  // s = x0 x1 (1/8 + 3/4 + 9/2 + 27) = 32.375 x0 x1: ds/dx0 = 32.375 x1, ds/dx1 = 32.375 x0.
  const g = E.grad(Float64Array.from([0.5, -2]), 4) as Float64Array;
  assert.equal(Array.from(g), [-64.75, 16.1875]);
});

test("an integer local past 2^31 is refused in reverse mode with an error saying so, never restored wrapped", () => {
  const E = compile(wide, { wrt: [0] });
  const x = Float64Array.from([0.5, -2]);
  // Within range (k ends at 2^16): s = x0 x1.
  assert.equal(Array.from(E.grad(x, 1) as Float64Array), [-2, 0.5]);
  assert.throws(() => E.grad(x, 3), /compile\(wide\)\.grad: an integer local of f left the 32-bit range/);
  // Forward mode saves nothing, so it still answers: ds/dx0 = x1 (1/4 + 2^16/2 + 2^32).
  assert.is(E.jvp([x, 3], [Float64Array.from([1, 0])]).tangent, -2 * (0.25 + 32768 + 2 ** 32));
});

// A packed lower triangle read row by row through a running offset, `at += row + 1`, and a
// second offset stepped by a name the loop changes in between (`at2 -= step` after `step` grows).
function packed(x: Float64Array, d: number): number {
  let s = 0;
  let at = 0;
  let at2 = x.length - 1;
  let step = 0;
  for (let row = 0; row < d; row++) {
    let z = 0;
    for (let col = 0; col <= row; col++) z += x[at + col]! * (col + 1);
    at += row + 1;
    step = step + 1;
    s += z * z + x[at2]! * 0.5;
    at2 -= step;
  }
  return s;
}
function packedOps(x: Lifted[], d: number): Lifted | number {
  let s: Lifted | number = 0;
  let at = 0;
  let at2 = x.length - 1;
  let step = 0;
  for (let row = 0; row < d; row++) {
    let z: Lifted | number = 0;
    for (let col = 0; col <= row; col++) z = add(z, mul(x[at + col]!, col + 1));
    at += row + 1;
    step = step + 1;
    s = add(s, add(mul(z, z), mul(x[at2]!, 0.5)));
    at2 -= step;
  }
  return s;
}

test("running integer offsets stepped by expressions are undone by computing, not saved; gradients agree", () => {
  const E = compile(packed, { wrt: [0] });
  const sweep = E.source.slice(E.source.indexOf("function sweep"), E.source.indexOf("function reverse"));
  const adjoint = E.source.slice(E.source.indexOf("function reverse"));
  assert.match(adjoint, /at = at - \(row \+ 1\);/, "at's step undone from the row counter");
  assert.match(adjoint, /at2 = at2 \+ step;/, "at2's step undone from step's value at that statement");
  const rows = sweep.slice(sweep.indexOf("while (row < d)"), sweep.indexOf("row = row + 1;"));
  assert.ok(rows.includes("at = at + (row + 1);"), "the row loop of the sweep");
  assert.not.match(rows, /\$is\[\$ip\+\+\]/, "nothing is pushed on the int stack on every row");
  // 4 rows of a packed triangle: 10 entries, and x[9 - (1 + 2 + 3)] = x[3] is the last at2 reads.
  agreeOnGradient(packed, packedOps, Float64Array.from({ length: 10 }, (_, j) => Math.sin(j + 1)), [4]);
});

// Counters stepping by -1, 3 and -2 (one loop with a continue, one with a break): the
// first two are counted loops (trip counts computed from init and bound in the adjoint);
// the break guards the third one's step, so its trips are counted and saved.
function strided(x: Float64Array, n: number): number {
  let s = 0;
  for (let i = x.length - 1; i >= 0; i--) s = s + x[i]! * x[i]!;
  for (let i = 0; i < n; i += 3) {
    if (x[i]! > 1) continue;
    s = s + Math.sin(x[i]!) * s;
  }
  for (let i = x.length - 1; i >= 0; i -= 2) {
    s = s * 0.5 + x[i]!;
    if (s > 3) break;
  }
  return s;
}
function stridedOps(x: Lifted[], n: number): Lifted | number {
  let s: Lifted | number = 0;
  for (let i = x.length - 1; i >= 0; i--) s = add(s, mul(x[i]!, x[i]!));
  for (let i = 0; i < n; i += 3) {
    if (gt(x[i]!, 1)) continue;
    s = add(s, mul(sin(x[i]!), s));
  }
  for (let i = x.length - 1; i >= 0; i -= 2) {
    s = add(mul(s, 0.5), x[i]!);
    if (gt(s, 3)) break;
  }
  return s;
}

test("loops counted by their counters (steps -1, 3, -2, with continue and break): gradients agree with Var, Dual and differences", () => {
  const source = compile(strided, { wrt: [0] }).source;
  assert.match(source, /let \$r\d+ = x\.length - 1 \+ 1;/);
  assert.match(source, /let \$r\d+ = Math\.ceil\(\(n\) \/ 3\);/);
  assert.match(source, /\$is\[\$ip\+\+\] = \$n\d+;/);
  agreeOnGradient(strided, stridedOps, X, [7]);
});

test.run();
