/**
 * The adjoint sweep in lanes: the line transform on small bodies (by
 * hand), and compiled pullbacks of several cotangents against one pullback
 * each and against hand-derived gradients, with number and array wrt
 * entries, buffers to write into, and bad calls.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile } from "../../lib/index.ts";
import { laneLines, laneName, REVERSE_LANES } from "../../lib/source/reverse-lanes.ts";
import { closeAll } from "../support/close.ts";

test("laneLines repeats each adjoint line per lane and leaves primal lines alone", () => {
  assert.equal(laneLines(["y = $fs[--$fp];", "const $t1 = y$b;", "const $t2 = y * 2;", "x$b += $t1 * $t2;"], 2), [
    "y = $fs[--$fp];",
    "const $t1l0 = y$b0;",
    "const $t1l1 = y$b1;",
    "const $t2 = y * 2;",
    "x$b0 += $t1l0 * $t2;",
    "x$b1 += $t1l1 * $t2;",
  ]);
  assert.is(laneName("x$b", 3), "x$b3");
});

test("laneLines: a temporary declared before the adjoint line that sums into it is one per lane", () => {
  const body = ["const $t2 = z$b[i];", "let $t3 = 0;", "$t3 += $t2 * y[i];", "z$b[i] = $t3;"];
  assert.equal(laneLines(body, 2), [
    "const $t2l0 = z$b0[i];", "const $t2l1 = z$b1[i];",
    "let $t3l0 = 0;", "let $t3l1 = 0;",
    "$t3l0 += $t2l0 * y[i];", "$t3l1 += $t2l1 * y[i];",
    "z$b0[i] = $t3l0;", "z$b1[i] = $t3l1;",
  ]);
});

test("laneLines refuses an adjoint line that moves a stack pointer (it would pop once per lane)", () => {
  assert.throws(() => laneLines(["x$b += $fs[--$fp];"], 2), /internal error: an adjoint line moves a stack pointer/);
});

// y = [k x0 y1, x1 sin k, x0 x1 + y0]: an array and a number in wrt, and an array that is not.
const scaled = (x: Float64Array, k: number, y: Float64Array) => [k * x[0]! * y[1]!, x[1]! * Math.sin(k), x[0]! * x[1]! + y[0]!];
const X = Float64Array.from([2, 3]);
const Y = Float64Array.from([5, 7]);
const K = 0.5;
/** By hand: the gradients of w . f in x and k for cotangent w. */
function byHand(w: readonly number[]): [number[], number] {
  const dx = [w[0]! * K * Y[1]! + w[2]! * X[1]!, w[1]! * Math.sin(K) + w[2]! * X[0]!];
  const dk = w[0]! * X[0]! * Y[1]! + w[1]! * X[1]! * Math.cos(K);
  return [dx, dk];
}

test(`pullbacks: ${2 * REVERSE_LANES + 1} cotangents (lanes sweeps and a single one) equal the hand gradients and pullback's`, () => {
  const C = compile(scaled, { wrt: [0, 1] });
  const v = C.vjp([X, K, Y]);
  const cts = Array.from({ length: 2 * REVERSE_LANES + 1 }, (_, s) => [1 + s, -s, 0.5 * s]);
  const all = v.pullbacks(cts) as [Float64Array, number][];
  assert.is(all.length, cts.length);
  all.forEach(([dx, dk], s) => {
    const [hx, hk] = byHand(cts[s]!);
    closeAll(dx, hx, 1e-12);
    assert.ok(Math.abs(dk - hk) < 1e-12, `cotangent ${s}: d/dk ${dk} vs ${hk}`);
    const [ox, ok] = v.pullback(cts[s]!) as [Float64Array, number];
    closeAll(dx, ox, 1e-15);
    assert.is(dk, ok);
  });
});

test("pullbacks write into the buffers given per cotangent, and reverse-mode Jacobians use lanes", () => {
  const C = compile(scaled, { wrt: [0, 1] });
  const v = C.vjp([X, K, Y]);
  const cts = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  const into = cts.map(() => [new Float64Array(2).fill(9), null]);
  const got = v.pullbacks(cts, into) as [Float64Array, number][];
  got.forEach(([dx], s) => {
    assert.ok(dx === into[s]![0], `cotangent ${s}: its own buffer`);
    closeAll(dx, byHand(cts[s]!)[0], 1e-12);
  });
  const [Jx, Jk] = C.jacobian([X, K, Y], { mode: "reverse" }) as number[][][];
  cts.forEach((w, r) => {
    const [hx, hk] = byHand(w);
    closeAll(Jx![r]!, hx, 1e-12);
    assert.ok(Math.abs(Jk![r]![0]! - hk) < 1e-12, `row ${r}`);
  });
});

test("pullbacks: bad calls name the problem and the fix", () => {
  const C = compile(scaled, { wrt: [0, 1] });
  const v = C.vjp([X, K, Y]);
  assert.throws(() => v.pullbacks([1, 0, 0] as never), /compile\(scaled\)\.vjp: the cotangent is number 1 for a result of length 3/);
  assert.throws(() => v.pullbacks(5 as never), /pullbacks takes an array of cotangents, got number 5/);
  assert.throws(() => v.pullbacks([[1, 0, 0]], []), /pullbacks' into is array\(0\) for 1 cotangents; pass one into-entry per cotangent/);
  const shared = new Float64Array(2);
  assert.throws(() => v.pullbacks([[1, 0, 0], [0, 1, 0]], [[shared, null], [shared, null]]), /two into-entries of pullbacks share their memory/);
});

test.run();
