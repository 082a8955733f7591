/**
 * Adjoint loops run several trips at once, reads first: which loops group,
 * that the reads of a group come before its writes, that a group never moves
 * a read above a write to the same element, and gradients checked against
 * the same programs in dualtape ops (Var and Dual) and central differences
 * at trip counts that leave every remainder.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { add, mul, type Lifted } from "../../lib/index.ts";
import { findOp } from "../../lib/source/registry.ts";
import { counterOffset, shifted, UNROLL } from "../../lib/source/unroll.ts";
import type { Expr } from "../../lib/source/ir.ts";
import { agreeOnGradient, adjointOf } from "../support/source.ts";

const v = (name: string): Expr => ({ k: "var", name });
const num = (x: number): Expr => ({ k: "num", v: x });
const op = (name: string, ...args: Expr[]): Expr => ({ k: "op", op: findOp(name)!, args });

test("counterOffset reads c, c + k, k + c and c - k, and nothing else", () => {
  assert.is(counterOffset(v("i"), "i"), 0);
  assert.is(counterOffset(op("add", v("i"), num(2)), "i"), 2);
  assert.is(counterOffset(op("add", num(3), v("i")), "i"), 3);
  assert.is(counterOffset(op("sub", v("i"), num(1)), "i"), -1);
  assert.is(counterOffset(op("sub", num(1), v("i")), "i"), null);
  assert.is(counterOffset(op("mul", num(2), v("i")), "i"), null);
  assert.is(counterOffset(op("add", v("i"), v("j")), "i"), null);
  assert.is(counterOffset(v("j"), "i"), null);
});

test("shifted folds the shift into an index's offset and leaves other names alone", () => {
  const e: Expr = op("mul", { k: "read", arr: "x", index: op("sub", v("i"), num(1)) }, v("h"));
  const s = shifted(e, "i", -2) as Expr & { k: "op" };
  assert.equal(s.args[0], { k: "read", arr: "x", index: op("sub", v("i"), num(3)) });
  assert.equal(s.args[1], v("h"));
  assert.equal(shifted(v("i"), "i", 0), v("i"));
  assert.equal(shifted(v("i"), "i", 4), op("add", v("i"), num(4)));
});

/** The first grouped loop of an adjoint: its body split at its first element write. */
function group(adjoint: string): { reads: string; writes: string } | null {
  const at = adjoint.indexOf(`-= ${UNROLL})`);
  if (at < 0) return null;
  const lines = adjoint.slice(at, adjoint.indexOf("}", at)).split("\n");
  const split = lines.findIndex((l) => /^\s*[\w$]+\[[^\]]+\] (\+)?= /.test(l));
  return { reads: lines.slice(0, split).join("\n"), writes: lines.slice(split).join("\n") };
}

// RK-like steps (ode's shape): a multiply loop, and an update of a scratch array that
// is overwritten every step, so the adjoint restores it.
function stages(x: Float64Array, n: number): number {
  const k = new Float64Array(n);
  const tmp = new Float64Array(n);
  const y = new Float64Array(n);
  for (let step = 0; step < 3; step++) {
    k[0] = x[0]!;
    for (let i = 1; i < n; i++) k[i] = x[i]! * tmp[i - 1]!;
    for (let i = 0; i < n; i++) tmp[i] = y[i]! + 0.25 * k[i]!;
    for (let i = 0; i < n; i++) y[i] = y[i]! + 0.5 * tmp[i]! * x[i]!;
  }
  return y[n - 1]! + y[0]!;
}
function stagesOps(x: Lifted[], n: number): Lifted | number {
  const k: (Lifted | number)[] = new Array(n).fill(0);
  const tmp: (Lifted | number)[] = new Array(n).fill(0);
  const y: (Lifted | number)[] = new Array(n).fill(0);
  for (let step = 0; step < 3; step++) {
    k[0] = x[0]!;
    for (let i = 1; i < n; i++) k[i] = mul(x[i]!, tmp[i - 1]!);
    for (let i = 0; i < n; i++) tmp[i] = add(y[i]!, mul(0.25, k[i]!));
    for (let i = 0; i < n; i++) y[i] = add(y[i]!, mul(mul(0.5, tmp[i]!), x[i]!));
  }
  return add(y[n - 1]!, y[0]!);
}

test("element-store loops group four trips, pops and reads before restores, clears and increments; gradients agree at every remainder", () => {
  const adjoint = adjointOf(stages);
  const g = group(adjoint);
  assert.ok(g !== null, adjoint);
  assert.not.match(g!.reads, /\] (\+)?= /, "no element is written among the reads");
  assert.not.match(g!.writes, /\$fs\[--\$fp\]|= [\w$]+\$b\[/, "nothing is popped or read from an adjoint among the writes");
  // tmp's restores are grouped too: its loop pops four old values in a row.
  assert.ok((adjoint.match(/const \$t\d+ = \$fs\[--\$fp\];\n(\s*const \$t\d+ = [^\n]+;\n)*?\s*const \$t\d+ = \$fs\[--\$fp\];/g) ?? []).length >= 1, adjoint);
  const x = Float64Array.from({ length: 11 }, (_, i) => 0.4 + 0.3 * Math.sin(2.1 * i));
  for (const n of [1, 3, 4, 5, 6, 7, 8, 11]) agreeOnGradient(stages, stagesOps, x.subarray(0, n), [n]);
});

// The adjoint of c[i] = b[i - 1] · x[i] increments b's adjoint one element below the one
// the next trip of b[i] = x[i] · x[i] reads: grouped, a read would pass a write to its element.
function chained(x: Float64Array, n: number): number {
  const b = new Float64Array(n);
  const c = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    b[i] = x[i]! * x[i]!;
    c[i] = b[i - 1]! * x[i]!;
  }
  let s = 0;
  for (let i = 0; i < n; i++) s = s + c[i]! * x[i]! + b[i]!;
  return s;
}
function chainedOps(x: Lifted[], n: number): Lifted | number {
  const b: (Lifted | number)[] = new Array(n).fill(0);
  const c: (Lifted | number)[] = new Array(n).fill(0);
  for (let i = 1; i < n; i++) {
    b[i] = mul(x[i]!, x[i]!);
    c[i] = mul(b[i - 1]!, x[i]!);
  }
  let s: Lifted | number = 0;
  for (let i = 0; i < n; i++) s = add(add(s, mul(c[i]!, x[i]!)), b[i]!);
  return s;
}

test("a body where a grouped read would pass a write to the same element keeps one trip at a time; gradients agree", () => {
  const adjoint = adjointOf(chained);
  assert.not.match(adjoint, /-= 4\)/, adjoint);
  const x = Float64Array.from({ length: 9 }, (_, i) => 0.5 + 0.2 * i);
  agreeOnGradient(chained, chainedOps, x, [9]);
});

test.run();
