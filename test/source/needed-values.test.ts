/**
 * The values the sparsity pass computes: those a branch, a loop test or an
 * index reads, and what feeds them. The pass then carries no value work the
 * path does not need (no sin below, where only masks depend on it), and
 * keeps what a branch on a computed value needs (its pattern follows the
 * branch taken).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile } from "../../lib/index.ts";
import { neededValues } from "../../lib/source/needed-values.ts";
import { emit, emitPattern } from "../../lib/source/compile.ts";
import { checkFunction } from "../../lib/source/check.ts";
import { parseFunction } from "../../lib/source/parse.ts";

const fnOf = (f: (...a: never[]) => unknown) => checkFunction(parseFunction(f.toString()), {});

test("tests, indices and what feeds them are needed; values that only reach the result are not", () => {
  const f = (x: Float64Array, corr: Float64Array, n: number) => {
    const out = new Float64Array(n);
    let s = 0;
    for (let i = 0; i < n; i++) {
      const c = corr[i];
      const v = Math.sin(x[c]) * 2;
      s = s + v;
      out[i] = v + s;
    }
    return out;
  };
  const needed = neededValues(fnOf(f));
  for (const name of ["i", "n", "c", "corr"]) assert.ok(needed.has(name), `${name} is needed`);
  for (const name of ["v", "s", "out", "x"]) assert.not.ok(needed.has(name), `${name} is not needed`);
});

test("a branch on a computed value needs that value and everything it is computed from", () => {
  const f = (x: Float64Array) => {
    const t = Math.exp(x[0]) - x[1];
    const u = t * x[2];
    if (u > 1) return [x[3]];
    return [x[4] * x[5]];
  };
  const needed = neededValues(fnOf(f));
  for (const name of ["u", "t", "x"]) assert.ok(needed.has(name), `${name} is needed`);
  const C = compile(f, { wrt: [0] });
  assert.equal([...C.sparsity([Float64Array.of(1, 0, 1, 0, 0, 0)]).colIndex], [3], "u = e > 1: the first branch");
  assert.equal([...C.sparsity([Float64Array.of(0, 0, 1, 0, 0, 0)]).colIndex], [4, 5], "u = 1, not > 1: the second");
});

test("the sparsity pass of a function whose path needs no sin computes none", () => {
  const f = (x: Float64Array, n: number) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.sin(x[i]) * Math.cos(x[(i + 1) % n]);
    return out;
  };
  const pass = emitPattern(emit(f, { wrt: [0] })).source;
  assert.not.match(pass, /Math\.(sin|cos)/);
  const C = compile(f, { wrt: [0] });
  const s = C.sparsity([Float64Array.of(0.1, 0.2, 0.3), 3]);
  assert.equal([...s.colIndex], [0, 1, 1, 2, 0, 2]);
});

test.run();
