/**
 * Adjoint loops run several trips at once, reads first: which loops group,
 * that the reads of a group come before its writes, that a group never moves
 * a read above a write to the same element, and gradients checked against
 * the same programs in dualtape ops (Var and Dual) and central differences
 * at trip counts that leave every remainder.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { add, mul, sub, compile, type Lifted } from "../../lib/index.ts";
import { findOp } from "../../lib/source/registry.ts";
import { counterOffset, counterStep, boundsCounter, shifted, UNROLL } from "../../lib/source/unroll.ts";
import type { Expr } from "../../lib/source/ir.ts";
import { agreeOnGradient, adjointOf, sweepOf, forwardOf } from "../support/source.ts";

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

test("counterStep reads c = c ± integer literal; boundsCounter wants a bound the counter moves toward", () => {
  assert.equal(counterStep({ k: "assign", name: "i", value: op("add", v("i"), num(1)) }), { name: "i", by: 1 });
  assert.equal(counterStep({ k: "assign", name: "i", value: op("sub", v("i"), num(2)) }), { name: "i", by: -2 });
  assert.is(counterStep({ k: "assign", name: "i", value: op("add", v("i"), num(0.5)) }), null);
  assert.is(counterStep({ k: "assign", name: "i", value: op("add", v("j"), num(1)) }), null);
  const rel = (r: "<" | "<=" | ">" | ">=", a: Expr, b: Expr): Expr => ({ k: "rel", rel: r, a, b });
  assert.ok(boundsCounter(rel("<", op("add", v("i"), num(1)), v("n")), "i", 1));
  assert.ok(boundsCounter(rel(">", v("n"), v("i")), "i", 1));
  assert.ok(boundsCounter(rel(">=", v("i"), num(1)), "i", -1));
  assert.not.ok(boundsCounter(rel("<", v("i"), v("n")), "i", -1), "moving away from the bound");
  assert.not.ok(boundsCounter(rel("<", v("i"), { k: "read", arr: "a", index: num(0) }), "i", 1), "a bound read from an array");
  assert.not.ok(boundsCounter(rel("<", v("i"), op("add", v("i"), v("n"))), "i", 1), "a bound that moves with the counter");
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

/** The first loop of forward code or a sweep that runs four trips at once (its test looks three trips ahead), split at its first element store. */
function forwardGroup(code: string): { reads: string; writes: string } | null {
  const m = /while \([^)]*[+-] 3 [^)]*\) \{\n/.exec(code);
  if (m === null) return null;
  const lines = code.slice(m.index + m[0].length, code.indexOf("\n    }", m.index)).split("\n");
  const split = lines.findIndex((l) => /^\s*[\w$]+\[[^\]]+\] = |^\s*\$fs\[/.test(l));
  return { reads: lines.slice(0, split).join("\n"), writes: lines.slice(split).join("\n") };
}

// Explicit Euler steps down a chain (bench/source.ts's chain): each trip reads the element
// below the one it writes, which the next trip (one lower) has not written yet. The length
// comes from x (an integer), so the loop that starts at n - 1 has an integer counter.
function euler(x: Float64Array): number {
  const n = x.length;
  const y = new Float64Array(n);
  y[0] = 1;
  for (let s = 0; s < 4; s++) {
    for (let i = n - 1; i >= 1; i--) y[i] = y[i]! + 0.25 * (x[i]! * y[i - 1]! - y[i]!);
    y[0] = y[0]! + 0.25 * x[0]! * y[0]!;
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += y[i]! * y[i]!;
  return total;
}
function eulerOps(x: Lifted[]): Lifted | number {
  const n = x.length;
  const y: (Lifted | number)[] = new Array(n).fill(0);
  y[0] = 1;
  for (let s = 0; s < 4; s++) {
    for (let i = n - 1; i >= 1; i--) y[i] = add(y[i]!, mul(0.25, add(mul(x[i]!, y[i - 1]!), mul(-1, y[i]!))));
    y[0] = add(y[0]!, mul(mul(0.25, x[0]!), y[0]!));
  }
  let total: Lifted | number = 0;
  for (let i = 0; i < n; i++) total = add(total, mul(y[i]!, y[i]!));
  return total;
}

test("forward mode and the forward sweep run element-store loops four trips at a time, reads first, each element read once; derivatives agree at every remainder", () => {
  for (const code of [forwardOf(euler), sweepOf(euler)]) {
    const g = forwardGroup(code);
    assert.ok(g !== null, code);
    assert.not.match(g!.reads, /\] = /, "no element is written among the reads");
    assert.not.match(g!.writes, /= [\w$]+\[[^\]]+\];/, "no element is read among the writes");
    const reads = g!.reads.match(/= (\w+\$?d?\[[^\]]+\]);/g) ?? [];
    assert.is(new Set(reads).size, reads.length, "each element once");
  }
  // The sweep saves each old y[i] in trip order.
  assert.match(sweepOf(euler), /\$fs\[\$fp\+\+\] = \$t\d+;\n\s*y\[i\] = [^\n]*\n\s*\$fs\[\$fp\+\+\] = \$t\d+;\n\s*y\[i - 1\] = /);
  const x = Float64Array.from({ length: 10 }, (_, i) => 0.6 + 0.25 * Math.cos(1.7 * i));
  for (const n of [1, 2, 4, 5, 6, 7, 8, 10]) agreeOnGradient(euler, eulerOps, x.subarray(0, n));
});

// Each trip reads the element the trip before wrote: grouped, a read would come before that store.
function prefix(x: Float64Array, n: number): number {
  const y = new Float64Array(n);
  y[0] = x[0]!;
  for (let i = 1; i < n; i++) y[i] = y[i - 1]! * 0.5 + x[i]! * x[i]!;
  return y[n - 1]!;
}
function prefixOps(x: Lifted[], n: number): Lifted | number {
  const y: (Lifted | number)[] = new Array(n).fill(0);
  y[0] = x[0]!;
  for (let i = 1; i < n; i++) y[i] = add(mul(y[i - 1]!, 0.5), mul(x[i]!, x[i]!));
  return y[n - 1]!;
}

test("a loop whose trips read what the trip before stored keeps one trip at a time in forward mode and the sweep; derivatives agree", () => {
  assert.is(forwardGroup(forwardOf(prefix)), null, forwardOf(prefix));
  assert.is(forwardGroup(sweepOf(prefix)), null, sweepOf(prefix));
  const x = Float64Array.from({ length: 9 }, (_, i) => 0.3 + 0.1 * i);
  agreeOnGradient(prefix, prefixOps, x, [9]);
});

// Counters stepped by 2 and 3, up and down, with <=, < and >= bounds and offsets of ±1 and -2.
function stepTwo(x: Float64Array, n: number): number {
  const c = new Float64Array(n);
  for (let i = 0; i + 1 < n; i += 2) c[i] = x[i]! * x[i + 1]!;
  for (let i = n - 1; i >= 2; i -= 2) c[i] = c[i - 2]! * 0.5 + x[i]!;
  let s = 0;
  for (let j = 0; j <= n - 1; j += 3) s = s + c[j]! * x[j]!;
  for (let j = 1; j < n; j += 2) s = s - c[j]! * c[j - 1]!;
  return s;
}
function stepTwoOps(x: Lifted[], n: number): Lifted | number {
  const c: (Lifted | number)[] = new Array(n).fill(0);
  for (let i = 0; i + 1 < n; i += 2) c[i] = mul(x[i]!, x[i + 1]!);
  for (let i = n - 1; i >= 2; i -= 2) c[i] = add(mul(c[i - 2]!, 0.5), x[i]!);
  let s: Lifted | number = 0;
  for (let j = 0; j <= n - 1; j += 3) s = add(s, mul(c[j]!, x[j]!));
  for (let j = 1; j < n; j += 2) s = sub(s, mul(c[j]!, c[j - 1]!));
  return s;
}
test("loops stepped by 2 or 3, rising and falling, group with their offsets in steps; derivatives agree at every remainder", () => {
  const source = compile(stepTwo, { wrt: [0] }).source;
  assert.match(source, /i = i \+ 8;/, "the rising store loop moves four steps of 2 at a time");
  const x = Float64Array.from({ length: 23 }, (_, i) => 0.3 + 0.2 * Math.sin(1.1 * i));
  for (const n of [1, 2, 3, 5, 8, 9, 12, 17, 23]) agreeOnGradient(stepTwo, stepTwoOps, x.subarray(0, n), [n]);
});

test.run();
