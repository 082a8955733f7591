// Forward mode's partial-times-tangent product: a zero tangent stays exactly zero, so every
// direction of a multi-lane pass equals the same direction pushed alone.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { jacfwd, jacobian, jvp, allOps, sqrt, add, mul, log, tensor, Tensor, type Lifted, type Value } from "../../lib/index.ts";
import { term, tangentTerm } from "../../lib/registry/tangent-term.ts";

const same = (a: unknown, b: unknown) => JSON.stringify(a, (_k, v) => (typeof v === "number" ? String(v) : v)) === JSON.stringify(b, (_k, v) => (typeof v === "number" ? String(v) : v));

test("term(p, t) is 0 for a zero tangent whatever p is, and p * t otherwise", () => {
  assert.is(term(Infinity, 0), 0);
  assert.is(term(NaN, 0), 0);
  assert.is(term(Infinity, 2), Infinity);
  assert.is(term(3, -2), -6);
  const t = tangentTerm(tensor([Infinity, 2, NaN]), tensor([0, 1, 0])) as Tensor;
  assert.equal(Array.from(t.data), [0, 2, 0]);
  assert.equal(Array.from((tangentTerm(Infinity, tensor([0, 1])) as Tensor).data), [0, Infinity]);
});

test("jacfwd(x => [sqrt(x0) + x1])([0, 5]) is [[Infinity, 1]] with any chunk, as jacobian 'auto' and 'forward'", () => {
  const f = (x: Lifted[]) => [add(sqrt(x[0]!), x[1]!)];
  // d sqrt(x0)/dx0 at 0 is +Infinity; d/dx1 is 1 (sqrt's infinite slope must not leak into x1's lane).
  for (const chunk of [1, 2, 8]) assert.equal(jacfwd(f, { chunk })([0, 5]), [[Infinity, 1]]);
  assert.equal(jacobian(f, { mode: "forward" })([0, 5]), [[Infinity, 1]]);
  assert.equal(jacobian(f)([0, 5]), [[Infinity, 1]]);
});

test("jacfwd(x => [x0 x1])([Infinity, 2]) is [[2, Infinity]]: the partial x1 = 2 and x0 = Infinity", () => {
  const f = (x: Lifted[]) => [mul(x[0]!, x[1]!)];
  for (const chunk of [1, 2]) assert.equal(jacfwd(f, { chunk })([Infinity, 2]), [[2, Infinity]]);
});

test("jvp with a zero direction for x0 ignores x0's infinite partial: d/dx1 (sqrt(x0) + x1) = 1", () => {
  const f = (x: Lifted[]) => [add(sqrt(x[0]!), x[1]!)];
  assert.equal(jvp(f, [0, 5], [0, 1]).tangent, [1]);
});

test("jacfwd of sqrt and log on tensor([0, 1]) is diagonal with the exact slopes, lane for lane", () => {
  for (const [f, d0] of [[sqrt, Infinity], [log, Infinity]] as const) {
    const want = [[d0, 0], [0, f === sqrt ? 0.5 : 1]];
    for (const chunk of [1, 2]) assert.equal((jacfwd((x: Lifted) => f(x), { chunk })(tensor([0, 1])) as Tensor).toArray(), want);
  }
});

test("for every elementwise op at special points (0, -0, ±Infinity, NaN), each lane of a chunk equals the one-lane result", () => {
  const specials = [0, -0, 1, -1, Infinity, -Infinity, NaN, 0.5];
  for (const op of allOps()) {
    const ew = op.elementwise;
    if (ew === null || op.name.startsWith("_") || op.arity > 3) continue;
    const call = (x: Lifted[]) => [add(invoke(op.name, x.slice(0, op.arity)), x[op.arity]!)];
    for (const a of specials) {
      const x = [a, ...[2, 0.5].slice(0, op.arity - 1), 3];
      const chunked = jacfwd(call)(x);
      const alone = jacfwd(call, { chunk: 1 })(x);
      assert.ok(same(chunked, alone), `${op.name} at ${x.join(", ")}: ${JSON.stringify(chunked)} vs ${JSON.stringify(alone)}`);
      // The last input enters by addition only: its column is exactly 1.
      assert.is((alone as number[][])[0]![op.arity], 1, `${op.name}: the added input's lane`);
    }
  }
});

/** Calls the op as a method of its first argument (every op is a method of Dual and Var). */
function invoke(name: string, args: Lifted[]): Value {
  return (args[0] as unknown as Record<string, (...a: Value[]) => Value>)[name]!(...args.slice(1));
}

test.run();
