/**
 * Which last loops a fused reverse pass may run trip by trip: the loops
 * found, the ones refused (each for one reason, with the function written
 * so that only that reason applies), the affine indices of stores and the
 * linear tails whose coefficient seeds the sum.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { emit } from "../../lib/source/compile.ts";
import { normalize } from "../../lib/source/normalize.ts";
import { activity } from "../../lib/source/activity.ts";
import { integerLocals } from "../../lib/source/invert.ts";
import { fusion, affine, linearIn } from "../../lib/source/fusable.ts";
import type { Expr, Stmt } from "../../lib/source/ir.ts";

function fusionOf(f: (...a: never[]) => unknown) {
  const fn = normalize(emit(f, { wrt: [0] }).fn);
  const act = activity(fn);
  return fusion(fn, integerLocals(fn, act), act.vars);
}

/** The value of the first assignment to `name` in f's body (normalized). */
function valueOf(f: (...a: never[]) => unknown, name: string): Expr {
  const fn = normalize(emit(f, { wrt: [0] }).fn);
  let found: Expr | null = null;
  const visit = (stmts: readonly Stmt[]) => stmts.forEach((s) => {
    if (s.k === "assign" && s.name === name && found === null) found = s.value;
    if (s.k === "loop") visit(s.body);
    if (s.k === "if") { visit(s.then); visit(s.else); }
  });
  visit(fn.body);
  if (found === null) throw new Error(`no assignment to ${name}`);
  return found;
}

test("residual pairs, each trip writing its own two elements: fused, with the trip's locals private", () => {
  function pairs(x: Float64Array, n: number): Float64Array {
    const out = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const a = x[i]! * 2;
      let b = 0;
      if (a > 0) b = Math.sin(a); else b = a * a;
      out[2 * i] = a * b;
      out[2 * i + 1] = b - x[i]!;
    }
    return out;
  }
  const f = fusionOf(pairs);
  assert.ok(f !== null);
  assert.is(f!.sum, null);
  assert.is(f!.counter, "i");
  // a's only write, and b's first, are first writes of the trip; b's writes in the branches are not.
  const first = [...f!.firstWrites].map((s) => (s as Stmt & { k: "assign" }).name).sort();
  assert.equal(first, ["a", "b"]);
});

test("a sum returned scaled by a number or divided by a parameter: fused, the coefficient kept", () => {
  function halved(x: Float64Array, n: number): number {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const r = Math.sin(x[i]!) - 1;
      s += r * r;
    }
    return 0.5 * s;
  }
  function mean(x: Float64Array, n: number): number {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i]! * x[i]!;
    return s / n - 1;
  }
  const h = fusionOf(halved);
  assert.is(h?.sum, "s");
  assert.equal(h?.scale, { k: "num", v: 0.5 });
  const m = fusionOf(mean);
  assert.is(m?.sum, "s");
  assert.is(m?.scale?.k, "op");
});

test("refused: the result read after the loop other than linearly", () => {
  function squared(x: Float64Array, n: number): number {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i]!;
    return s * s;
  }
  assert.is(fusionOf(squared), null);
});

test("refused: a recurrence (a name a trip reads before it writes)", () => {
  function recurrence(x: Float64Array, n: number): number {
    let s = 0;
    let t = 1;
    for (let i = 0; i < n; i++) {
      s += t * x[i]!;
      t = t * 0.5 + x[i]!;
    }
    return s;
  }
  assert.is(fusionOf(recurrence), null);
});

test("refused: a sum that the loop also reads", () => {
  function reads(x: Float64Array, n: number): number {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.sin(s) * x[i]!;
    return s;
  }
  assert.is(fusionOf(reads), null);
});

test("refused: a name assigned on one branch only and read after it", () => {
  function oneBranch(x: Float64Array, n: number): number {
    let s = 0;
    let b = 0;
    for (let i = 0; i < n; i++) {
      if (x[i]! > 0) b = x[i]!;
      s += b;
    }
    return s;
  }
  assert.is(fusionOf(oneBranch), null);
});

test("refused: stores that two trips can make meet, and an array the loop reads", () => {
  function overlapping(x: Float64Array, n: number): Float64Array {
    const out = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) {
      out[i] = x[i]!;
      out[i + 1] = x[i]! * 2;
    }
    return out;
  }
  function readsBack(x: Float64Array, n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 1; i < n; i++) out[i] = out[i - 1]! + x[i]!;
    return out;
  }
  assert.is(fusionOf(overlapping), null);
  assert.is(fusionOf(readsBack), null);
});

test("refused: a store inside a nested loop (it writes an element per nested trip)", () => {
  function nested(x: Float64Array, n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < 2; j++) out[i] = x[i]! * j;
    }
    return out;
  }
  assert.is(fusionOf(nested), null);
});

test("a loop that is not last, or a last statement that is no loop, is not fused", () => {
  function notLast(x: Float64Array, n: number): number {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i]!;
    let t = 0;
    t = s * 2;
    return t;
  }
  assert.is(fusionOf(notLast), null);
  assert.is(fusionOf((x: number) => x * x), null);
});

test("affine: a·i + b in the counter, or null", () => {
  const f = (x: Float64Array, i: number) => x[3 * i + 1]! + x[2 - i]! + x[(i + 1) * 2]! + x[i * i]! + x[i * 0.5]!;
  const fn = normalize(emit(f, { wrt: [0] }).fn);
  const reads: Expr[] = [];
  const walk = (e: Expr): void => {
    if (e.k === "read") reads.push(e.index);
    if (e.k === "op") e.args.forEach(walk);
  };
  walk((fn.body[0] as Stmt & { k: "assign" }).value);
  assert.equal(reads.map((e) => affine(e, "i")), [{ a: 3, b: 1 }, { a: -1, b: 2 }, { a: 2, b: 2 }, null, null]);
});

test("linearIn: the coefficient of s, or null when s is read twice, nonlinearly or beside a changing name", () => {
  const tail = (x: Float64Array, s: number, n: number) => -(2 * (s - x.length)) / n + 3;
  const d = linearIn(valueOf(tail, "$ret"), "s", (k) => k === "n");
  // -(2 (s - len)) / n + 3 has derivative -2 / n in s: at n = 4, -0.5.
  assert.ok(d !== null);
  const evaluate = (e: Expr): number => {
    if (e.k === "num") return e.v;
    if (e.k === "var") return e.name === "n" ? 4 : NaN;
    if (e.k === "op") {
      const v = e.args.map(evaluate);
      return { mul: () => v[0]! * v[1]!, div: () => v[0]! / v[1]!, neg: () => -v[0]! }[e.op.name as "mul" | "div" | "neg"]();
    }
    return NaN;
  };
  assert.is(evaluate(d!), -0.5);
  assert.is(linearIn(valueOf((s: number) => s * s, "$ret"), "s", () => true), null);
  assert.is(linearIn(valueOf((s: number) => Math.sin(s), "$ret"), "s", () => true), null);
  assert.is(linearIn(valueOf((s: number, t: number) => s * t, "$ret"), "s", (k) => k !== "t"), null);
  assert.is(linearIn(valueOf((s: number, t: number) => t / s, "$ret"), "s", () => true), null);
});

test.run();
