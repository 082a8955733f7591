/**
 * Sparse Jacobians of compiled functions: the sparsity pass finds the
 * hand-known patterns (banded, block-diagonal, with a number entry, past 32
 * columns), the coloring is proper, and the compressed Jacobian equals the dense forward and reverse
 * ones and the hand Jacobian. Misuse names the call and the fix.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile, DualtapeError, precompiled } from "../../lib/index.ts";
import type { Prebuilt } from "../../lib/source/prebuilt.ts";
import { writePrecompiled } from "../../lib/source/plugin/write.ts";
import { PATTERN_BITS } from "../../lib/source/sparsity.ts";
import { emit } from "../../lib/source/compile.ts";
import { closeMat } from "../support/close.ts";
import { tridiagonal, tridiagonalJacobian, rowsOf, assertProperColoring } from "../support/sparse-fixtures.ts";

test("a tridiagonal function: the pattern is the band, three colors, and the sparse Jacobian is the hand one", () => {
  const n = 2 * PATTERN_BITS + 7;
  const x = Float64Array.from({ length: n }, (_, i) => Math.cos(0.7 * i));
  const C = compile(tridiagonal, { wrt: [0] });
  const s = C.sparsity([x, n]);
  assert.is(s.rows, n);
  assert.is(s.cols, n);
  assert.equal(rowsOf(s), Array.from({ length: n }, (_, i) => [i - 1, i, i + 1].filter((j) => j >= 0 && j < n)));
  assert.is(s.colorCount, 3);
  assertProperColoring(s);
  const want = tridiagonalJacobian(x);
  closeMat(C.jacobian([x, n], { sparse: true }) as number[][], want);
  closeMat(C.jacobian([x, n], { mode: "forward", sparse: true }) as number[][], want);
  const flat = C.jacobian([x, n], { mode: "forward", sparse: true, flat: true }) as Float64Array;
  const dense = C.jacobian([x, n], { mode: "forward", flat: true }) as Float64Array;
  assert.equal([...flat], [...dense], "the compressed columns give the dense forward Jacobian exactly");
});

test("blocks of two outputs per observation, with a shared number input: colors = block width + 1", () => {
  const f = (v: Float64Array, s: number, p: number) => {
    const out = new Float64Array(2 * p);
    for (let i = 0; i < p; i++) {
      const a = v[3 * i];
      const b = v[3 * i + 1];
      const c = v[3 * i + 2];
      out[2 * i] = s * a * b + Math.exp(c);
      out[2 * i + 1] = a / (1 + b * b) - c;
    }
    return out;
  };
  const p = 15;
  const v = Float64Array.from({ length: 3 * p }, (_, i) => 0.1 * ((i % 7) - 3));
  const s0 = 1.3;
  const C = compile(f, { wrt: [0, 1] });
  const sp = C.sparsity([v, s0, p]);
  // Columns: v's 3p, then s.
  assert.is(sp.cols, 3 * p + 1);
  rowsOf(sp).forEach((cols, r) => {
    const i = Math.floor(r / 2);
    assert.equal(cols, r % 2 === 0 ? [3 * i, 3 * i + 1, 3 * i + 2, 3 * p] : [3 * i, 3 * i + 1, 3 * i + 2], `row ${r}`);
  });
  assert.is(sp.colorCount, 4);
  assertProperColoring(sp);
  const sparse = C.jacobian([v, s0, p], { sparse: true }) as number[][][];
  const reverse = C.jacobian([v, s0, p], { mode: "reverse" }) as number[][][];
  closeMat(sparse[0]!, reverse[0]!);
  closeMat(sparse[1]!, reverse[1]!);
  const a = v[0]!, b = v[1]!;
  assert.ok(Math.abs(sparse[0]![0]![1]! - s0 * a) < 1e-15, "d out0 / d v1 = s a");
  assert.ok(Math.abs(sparse[0]![1]![1]! - (-2 * a * b) / (1 + b * b) ** 2) < 1e-15, "d out1 / d v1 = -2ab / (1 + b²)²");
});

test("a partial that is zero only at the point keeps its column in the pattern; a constant-zero one does not", () => {
  const f = (x: Float64Array) => [x[0] * x[1], Math.floor(x[2]) + x[3], 0 * x[4]];
  const C = compile(f, { wrt: [0] });
  const s = C.sparsity([Float64Array.of(2, 0, 1.5, 1, 1)]);
  assert.equal(rowsOf(s), [[0, 1], [3], []]);
  const J = C.jacobian([Float64Array.of(2, 0, 1.5, 1, 1)], { sparse: true }) as number[][];
  assert.equal(J, [[0, 2, 0, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 0, 0]]);
});

test("the pattern follows the branch taken at the point", () => {
  const f = (x: Float64Array) => {
    if (x[0] > 0) return [x[1] * x[1], x[2]];
    return [x[2], x[3]];
  };
  const C = compile(f, { wrt: [0] });
  assert.equal(rowsOf(C.sparsity([Float64Array.of(1, 2, 3, 4)])), [[1], [2]]);
  assert.equal(rowsOf(C.sparsity([Float64Array.of(-1, 2, 3, 4)])), [[2], [3]]);
});

test("a number result: one row", () => {
  const C = compile((x: Float64Array, n: number) => {
    let s = 0;
    for (let i = 0; i < n; i += 2) s += x[i] * x[i];
    return s;
  }, { wrt: [0] });
  const x = Float64Array.of(1, 2, 3, 4, 5);
  const s = C.sparsity([x, 5]);
  assert.equal(rowsOf(s), [[0, 2, 4]]);
  assert.is(s.colorCount, 3);
  assert.equal(C.jacobian([x, 5], { sparse: true }), [[2, 0, 6, 0, 10]]);
});

test("explain with sparse counts colors", () => {
  const C = compile(tridiagonal, { wrt: [0] });
  const x = new Float64Array(40).fill(0.5);
  assert.match(C.explain([x, 40]).reason, /^40 inputs in 10 forward passes/);
  assert.match(C.explain([x, 40], { sparse: true }).reason, /^40 inputs in 3 colors in 1 forward pass/);
});

test("misuse: a non-boolean sparse, unknown explain options, a bundle without the pass", () => {
  const C = compile(tridiagonal, { wrt: [0] });
  const x = new Float64Array(4);
  const refused = (fn: () => unknown, pattern: RegExp) => assert.throws(fn, (e: unknown) => e instanceof DualtapeError && pattern.test((e as Error).message));
  refused(() => C.jacobian([x, 4], { sparse: "yes" as unknown as boolean }), /sparse/);
  refused(() => C.explain([x, 4], { colors: 3 } as never), /colors/);
  // A bundle written before the sparsity pass existed: the plugin's record with the pass taken out.
  const withoutPass = (record: Prebuilt) => precompiled({ ...record, make: (rt) => ({ ...record.make(rt), pattern: undefined }) });
  const text = writePrecompiled(emit(tridiagonal, { wrt: [0] }), "tridiagonal", "withoutPass");
  const old = new Function("withoutPass", `return ${text};`)(withoutPass) as ReturnType<typeof compile>;
  closeMat(old.jacobian([Float64Array.of(1, 2, 3), 3]) as number[][], tridiagonalJacobian(Float64Array.of(1, 2, 3)));
  refused(() => old.sparsity([x, 4]), /compile\(tridiagonal\)\.sparsity: this precompiled function was written by an older dualtape\/esbuild, without a sparsity pass.*rebuild the bundle/);
  refused(() => old.jacobian([x, 4], { sparse: true }), /compile\(f\)\.jacobian: this precompiled function was written by an older dualtape\/esbuild/);
});

test.run();
