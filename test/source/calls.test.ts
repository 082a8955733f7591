import { test } from "uvu";
import * as assert from "uvu/assert";
import { emit } from "../../lib/source/compile.ts";
import { instantiate, newStacks } from "../../lib/source/runtime.ts";
import { runSweep, runReverse, type Generated } from "../../lib/source/calls.ts";

// The product saves its running value at every step (the adjoint of s * x[i] reads s).
function product(x: Float64Array): number {
  let s = 1;
  for (let i = 0; i < x.length; i++) s = s * x[i]!;
  return s;
}

/** The reverse functions of `product` loaded by hand, with a counter on remakeSweep. */
function loaded(): { g: Generated; remade: () => number } {
  const e = emit(product, { wrt: [0] });
  const stacks = newStacks();
  const constants = new Map([...e.reverse.constants, ["$S", stacks]]);
  let remade = 0;
  const g = {
    fn: e.fn, wrt: e.wrt, stacks,
    sweep: instantiate(e.reverse.sweep, constants),
    remakeSweep: () => {
      remade++;
      return instantiate(e.reverse.sweep, constants);
    },
    reverse: instantiate(e.reverse.reverse, constants),
    reverseRes: e.reverse.constants.get("$res") as Float64Array,
    localArrays: e.reverse.constants.get("$A") as (Float64Array | null)[],
  } as unknown as Generated;
  return { g, remade: () => remade };
}

test("runSweep: a sweep that ran past its stacks is replaced by a fresh instance and run again, once per growth", () => {
  const { g, remade } = loaded();
  const small = Float64Array.from([1, 2]);
  const big = Float64Array.from({ length: 5000 }, (_, i) => 1 + 0.001 * Math.sin(i));
  const before = g.sweep;
  runSweep(g, () => [small], "grad");
  assert.is(remade(), 0, "fits: kept");
  assert.is(g.sweep, before);
  const { value } = runSweep(g, () => [big], "grad");
  assert.is(remade(), 1, "overflowed: remade");
  assert.is.not(g.sweep, before);
  assert.is(value, product(big));
  runSweep(g, () => [big], "grad");
  assert.is(remade(), 1, "fits now: kept");
  // The gradient from the remade sweep: the product of the other entries, prod / x_i.
  const { grads } = runReverse(g, () => [big], [big], 1, "grad");
  const p = product(big);
  const got = grads[0] as Float64Array;
  assert.ok(got.every((v, i) => Math.abs(v - p / big[i]!) <= 1e-12 * Math.abs(v)));
});

test.run();
