/**
 * The sparsity pattern past SETS_FROM inputs, from one pass with sets of
 * columns: the band of a tridiagonal function at n = 10^4 and the blocks
 * of ba-shaped residuals, against the hand patterns; and a row denser than
 * SET_LIMIT, for which the mask passes take over.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile } from "../../lib/index.ts";
import { SETS_FROM } from "../../lib/source/sparsity-sets.ts";
import { SET_LIMIT } from "../../lib/source/direction-sets.ts";
import { sparsityOf } from "../../lib/source/sparsity.ts";
import { emit } from "../../lib/source/compile.ts";
import { emitForwardSets } from "../../lib/source/emit-forward.ts";
import { activity } from "../../lib/source/activity.ts";
import { instantiate } from "../../lib/source/runtime.ts";
import { Renderer } from "../../lib/source/sym.ts";
import type { Generated } from "../../lib/source/calls.ts";
import { closeMat } from "../support/close.ts";
import { tridiagonal, tridiagonalJacobian, rowsOf, assertProperColoring } from "../support/sparse-fixtures.ts";

test("a tridiagonal function at n = 10^4: the band, three colors, in one sets pass", () => {
  const n = 10_000;
  const x = Float64Array.from({ length: n }, (_, i) => Math.cos(0.7 * i));
  const C = compile(tridiagonal, { wrt: [0] });
  const s = C.sparsity([x, n]);
  assert.equal(rowsOf(s), Array.from({ length: n }, (_, i) => [i - 1, i, i + 1].filter((j) => j >= 0 && j < n)));
  assert.is(s.colorCount, 3);
  assertProperColoring(s);
  // The sparse Jacobian from that pattern, against the hand one on a smaller grid past SETS_FROM.
  const k = SETS_FROM + 20;
  const y = x.subarray(0, k);
  closeMat(C.jacobian([y, k], { sparse: true }) as number[][], tridiagonalJacobian(y), 1e-14);
});

test("past SETS_FROM columns the sets pass alone gives the pattern: the mask pass never runs", () => {
  const n = SETS_FROM + 1;
  const x = Float64Array.from({ length: n }, (_, i) => Math.cos(0.7 * i));
  const e = emit(tridiagonal, { wrt: [0] });
  const R = new Renderer();
  const sets = { run: instantiate<(...a: unknown[]) => ArrayLike<unknown>>(emitForwardSets(e.fn, activity(e.fn), R), R.constants) };
  const masks = { run: () => { throw new Error("the mask pass ran"); } };
  const g = { fn: e.fn, wrt: e.wrt, sets: () => sets } as unknown as Generated;
  const s = sparsityOf(g, masks, () => [x, n], [n]);
  assert.equal(rowsOf(s), Array.from({ length: n }, (_, i) => [i - 1, i, i + 1].filter((j) => j >= 0 && j < n)));
  // At SETS_FROM columns, the mask passes still run.
  assert.throws(() => sparsityOf(g, masks, () => [x.subarray(0, SETS_FROM), SETS_FROM], [SETS_FROM]), /the mask pass ran/);
});

test("blocks of two rows over fifteen columns each: the pattern by sets, then two row colors", () => {
  const blocks = (v: Float64Array, p: number) => {
    const out = new Float64Array(2 * p);
    for (let i = 0; i < p; i++) {
      let s = 0;
      for (let k = 0; k < 15; k++) s += v[15 * i + k] * (k + 1);
      out[2 * i] = Math.sin(s);
      out[2 * i + 1] = v[15 * i] * v[15 * i + 14];
    }
    return out;
  };
  const p = 2000;
  const v = Float64Array.from({ length: 15 * p }, (_, j) => Math.sin(j));
  const s = compile(blocks, { wrt: [0] }).sparsity([v, p]);
  const want = Array.from({ length: 2 * p }, (_, r) => {
    const o = 15 * Math.floor(r / 2);
    return r % 2 === 0 ? Array.from({ length: 15 }, (_, k) => o + k) : [o, o + 14];
  });
  assert.equal(rowsOf(s), want);
  assert.is(s.colorCount, 15);
});

test("a row that depends on more than SET_LIMIT inputs: the mask passes give the pattern", () => {
  const total = (x: Float64Array, n: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i] * x[i];
    return [s, x[0]];
  };
  const n = SET_LIMIT + 100;
  const x = Float64Array.from({ length: n }, (_, i) => 1 + i);
  const s = compile(total, { wrt: [0] }).sparsity([x, n]);
  assert.equal(rowsOf(s), [Array.from({ length: n }, (_, j) => j), [0]]);
});

test.run();
