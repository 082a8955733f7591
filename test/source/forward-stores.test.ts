/**
 * Store-to-load forwarding: which reads take the stored name or literal,
 * what ends a forwarding, and derivatives of programs it changes checked
 * against the same programs in dualtape ops and central differences.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { add, mul, type Lifted } from "../../lib/index.ts";
import { parseFunction } from "../../lib/source/parse.ts";
import { checkFunction } from "../../lib/source/check.ts";
import { forwardStores } from "../../lib/source/forward-stores.ts";
import type { Expr, Stmt } from "../../lib/source/ir.ts";
import { agreeOnGradient, sweepOf } from "../support/source.ts";

const bodyOf = (src: string): Stmt[] => forwardStores(checkFunction(parseFunction(src), {})).body;
/** The array reads left in an expression, as "a[...]" names. */
function readsIn(e: Expr, out: string[] = []): string[] {
  if (e.k === "read") { out.push(e.arr); readsIn(e.index, out); }
  else if (e.k === "op") e.args.forEach((a) => readsIn(a, out));
  return out;
}
const returned = (body: Stmt[]): Expr => (body.at(-1) as Stmt & { k: "return"; value: Expr }).value;

test("a read right after a store of a name or literal at the same index takes the stored value", () => {
  const body = bodyOf("function f(x, k) { const a = new Float64Array(3); a[k] = x; a[0] = 2; return a[k] * a[k] + a[0]; }");
  // a[0] = 2 may have overwritten a[k] (k could be 0): only a[0] is forwarded.
  assert.equal(readsIn(returned(body)), ["a", "a"]);
  const same = bodyOf("function f(x, k) { const a = new Float64Array(3); a[k + 1] = x; return a[k + 1] * 3; }");
  assert.equal(readsIn(returned(same)), []);
});

test("assigning a name the index or the value reads, an if or a loop ends forwarding; a computed value is not forwarded", () => {
  const cases = [
    "function f(x, k) { const a = new Float64Array(3); a[k] = x; k = k - 1; return a[k]; }",
    "function f(x, k) { const a = new Float64Array(3); let y = x; a[k] = y; y = 2; return a[k]; }",
    "function f(x, k) { const a = new Float64Array(3); a[k] = x; if (x > 0) { x = 1; } return a[k]; }",
    "function f(x, k) { const a = new Float64Array(3); a[k] = x; for (let i = 0; i < 2; i++) { a[i] = i; } return a[k]; }",
    "function f(x, k) { const a = new Float64Array(3); a[k] = x * 2; return a[k]; }",
  ];
  for (const src of cases) assert.equal(readsIn(returned(bodyOf(src))), ["a"], src);
});

// gmm's pattern: a row's dot product stored, then squared from the array.
function rows(x: Float64Array, d: number): number {
  const qx = new Float64Array(d);
  let sq = 0;
  for (let row = 0; row < d; row++) {
    let z = 0;
    for (let col = 0; col <= row; col++) z = z + x[row * d + col]! * x[col]!;
    qx[row] = z;
    sq = sq + qx[row]! * qx[row]!;
  }
  return sq + qx[0]!;
}
function rowsOps(x: Lifted[], d: number): Lifted | number {
  let sq: Lifted | number = 0;
  let first: Lifted | number = 0;
  for (let row = 0; row < d; row++) {
    let z: Lifted | number = 0;
    for (let col = 0; col <= row; col++) z = add(z, mul(x[row * d + col]!, x[col]!));
    if (row === 0) first = z;
    sq = add(sq, mul(z, z));
  }
  return add(sq, first);
}

test("an array read only right after its stores stops carrying derivatives: nothing of it is saved; gradients agree", () => {
  const sweep = sweepOf(rows);
  // qx[0] is read after the loop, so qx stays active, but the loop reads z, not qx[row].
  assert.not.match(sweep, /\$fs\[\$fp\+\+\] = qx/, sweep);
  const x = Float64Array.from({ length: 16 }, (_, i) => Math.sin(0.7 * i + 0.2));
  for (const d of [1, 3, 4]) agreeOnGradient(rows, rowsOps, x.subarray(0, d * d), [d]);
});

test.run();
