import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  vmap, randn, index, sum, mean, prod, max, min, logsumexp, norm, matmul, dot, outer, transpose, reshape, broadcastTo,
  sumToShape, slice, padZeros, concat, stack, allOps, Tensor, type Lifted, type Value,
} from "../../lib/index.ts";
import { countComputes } from "../support/spy.ts";

const BUILT_IN = ["sum", "mean", "prod", "max", "min", "logsumexp", "norm", "matmul", "dot", "outer", "transpose", "reshape",
  "broadcastTo", "sumToShape", "index", "slice", "padZeros", "concat", "stack"];

function flat(v: Value): number[] {
  return typeof v === "number" ? [v] : Array.from((v as Tensor).data);
}

/** vmap(f)(args) row b equals f on example b, exactly (the same kernels on the same numbers). */
function rowsMatch(label: string, f: (...xs: Lifted[]) => Value, args: Tensor[], inAxes: (number | null)[]): void {
  const out = vmap(f as never, { inAxes })(...args) as Tensor;
  const size = args.find((_, k) => inAxes[k] !== null)!.shape[0]!;
  assert.is(out.shape[0], size, `${label}: batch extent`);
  for (let b = 0; b < size; b++) {
    const ex = args.map((a, k) => (inAxes[k] === null ? a : index(a, b))) as unknown as Lifted[];
    const want = flat(f(...ex));
    const got = flat(index(out, b));
    assert.equal(got, want, `${label}: example ${b}`);
  }
}

test("every built-in structural op declares a batch rule, so none takes the per-example fallback", () => {
  const structural = allOps().filter((op) => op.structural !== null && BUILT_IN.includes(op.name));
  assert.is(structural.length, BUILT_IN.length);
  for (const op of structural) assert.type(op.structural!.batch, "function", op.name);
});

test("reductions: vmap over axis, every axis and keepdims equals the reduction of each example", () => {
  const X = randn([3, 4, 2], { seed: 1 });
  for (const r of [sum, mean, prod, max, min, logsumexp, norm]) {
    rowsMatch(`${String(r.name)} all`, (x) => r(x), [X], [0]);
    rowsMatch(`${String(r.name)} axis 0`, (x) => r(x, 0), [X], [0]);
    rowsMatch(`${String(r.name)} axis -1 keepdims`, (x) => r(x, -1, true), [X], [0]);
    rowsMatch(`${String(r.name)} all keepdims`, (x) => r(x, null, true), [X], [0]);
  }
});

test("matmul: every combination of batched and shared operands and of 1-D, 2-D and 3-D examples", () => {
  const cases: [number[], number[]][] = [[[2, 3], [3, 4]], [[3], [3, 4]], [[2, 3], [3]], [[3], [3]], [[2, 2, 3], [3, 4]], [[2, 3], [5, 3, 4]], [[3], [2, 3, 4]]];
  for (const [sa, sb] of cases) {
    const A = randn([4, ...sa], { seed: 2 });
    const B = randn([4, ...sb], { seed: 3 });
    const a0 = index(A, 0) as Tensor;
    const b0 = index(B, 0) as Tensor;
    const mm = (a: Lifted, b: Lifted) => matmul(a, b);
    rowsMatch(`matmul ${sa} x ${sb} both`, mm, [A, B], [0, 0]);
    rowsMatch(`matmul ${sa} x ${sb} left`, mm, [A, b0], [0, null]);
    rowsMatch(`matmul ${sa} x ${sb} right`, mm, [a0, B], [null, 0]);
  }
});

test("dot, outer and transpose batch on either operand", () => {
  const A = randn([3, 4], { seed: 4 });
  const B = randn([3, 4], { seed: 5 });
  const C = randn([3, 2], { seed: 6 });
  for (const axes of [[0, 0], [0, null], [null, 0]] as (number | null)[][]) {
    const pick = (t: Tensor, k: number) => (axes[k] === null ? (index(t, 0) as Tensor) : t);
    rowsMatch(`dot ${axes}`, (a, b) => dot(a, b), [pick(A, 0), pick(B, 1)], axes);
    rowsMatch(`outer ${axes}`, (a, b) => outer(a, b), [pick(A, 0), pick(C, 1)], axes);
  }
  rowsMatch("transpose", (x) => transpose(x, [2, 0, 1]), [randn([2, 3, 4, 2], { seed: 7 })], [0]);
  rowsMatch("transpose default", (x) => transpose(x), [randn([2, 3, 4], { seed: 7 })], [0]);
});

test("shape ops: reshape, broadcastTo, sumToShape, index, slice and padZeros per example", () => {
  const X = randn([3, 2, 3], { seed: 8 });
  rowsMatch("reshape", (x) => reshape(x, [3, -1]), [X], [0]);
  rowsMatch("broadcastTo", (x) => broadcastTo(x, [4, 2, 3]), [X], [0]);
  rowsMatch("broadcastTo stretch", (x) => broadcastTo(x, [2, 2, 3]), [randn([3, 1, 3], { seed: 9 })], [0]);
  rowsMatch("sumToShape", (x) => sumToShape(x, [3]), [X], [0]);
  rowsMatch("sumToShape keep rank", (x) => sumToShape(x, [1, 3]), [X], [0]);
  rowsMatch("index", (x) => index(x, -1), [X], [0]);
  rowsMatch("index of a vector", (x) => index(x, 1), [randn([3, 4], { seed: 10 })], [0]);
  rowsMatch("slice", (x) => slice(x, 1, 3, 1), [X], [0]);
  rowsMatch("padZeros", (x) => padZeros(x, 1, 2, 0), [X], [0]);
});

test("concat and stack join batched and shared parts", () => {
  const X = randn([3, 2, 2], { seed: 11 });
  const Y = randn([3, 1, 2], { seed: 12 });
  const y0 = index(Y, 0) as Tensor;
  rowsMatch("concat both", (a, b) => concat([a, b], 0), [X, Y], [0, 0]);
  rowsMatch("concat shared", (a, b) => concat([a, b], 0), [X, y0], [0, null]);
  rowsMatch("concat axis -1", (a, b) => concat([a, b], -1), [X, X], [0, 0]);
  rowsMatch("stack", (a, b) => stack([a, b], 1), [X, index(X, 1) as Tensor], [0, null]);
  rowsMatch("stack of scalars", (a, b) => stack([sum(a), sum(b)]), [X, X], [0, 0]);
});

test("a batched matmul calls the matmul kernel once per batch, not once per example", () => {
  const X = randn([16, 5], { seed: 13 });
  const W = randn([3, 5], { seed: 14 });
  const { calls } = countComputes("matmul", () => vmap((x: Lifted) => matmul(W, x))(X));
  assert.is(calls, 1);
});

test.run();
