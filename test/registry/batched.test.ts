import { test } from "uvu";
import * as assert from "uvu/assert";
import { tensor, defineOp, vmap, mul, sin, sum, index, randn, Tensor, PerturbationError, type Lifted } from "../../lib/index.ts";
import { Batched, batchOf, unbatch, applyBatched, wrapLike, examplesAlong } from "../../lib/registry/batched.ts";
import { nextLevel } from "../../lib/registry/level.ts";
import { exampleShape } from "../../lib/registry/lifted.ts";
import { findOp } from "../../lib/registry/op.ts";

test("a Batched value hides its batch axis: exampleShape is one example's shape", () => {
  const b = batchOf(tensor([[1, 2, 3], [4, 5, 6]]), nextLevel());
  assert.is(b.size, 2);
  assert.equal(exampleShape(b), [3]);
  assert.is(b.hiddenAxes, 1);
});

test("an elementwise op on a batch of vectors and a shared matrix pads the batch to broadcast per example", () => {
  const level = nextLevel();
  const X = tensor([[1, 2], [3, 4], [5, 6]]); // 3 examples of [2]
  const M = tensor([[10, 20], [30, 40]]); // shared [2, 2]
  const out = applyBatched(level, 3, findOp("add")!, [new Batched(X, 3, level), M], undefined) as Batched;
  const v = out.value as Tensor;
  assert.equal(v.shape, [3, 2, 2]);
  // example i is x_i + M, broadcast over M's rows
  assert.equal(v.toArray(), [[[11, 22], [31, 42]], [[13, 24], [33, 44]], [[15, 26], [35, 46]]]);
});

test("a custom structural op without a batch rule runs once per example and stacks (the fallback)", () => {
  let calls = 0;
  const rev = defineOp({
    name: "batchedTestReverse", arity: 1,
    compute: ([x]) => {
      calls++;
      const t = x as Tensor;
      return new Tensor(t.data.slice().reverse(), t.shape);
    },
    jvp: (A, _a, _o, [t]) => A.op("batchedTestReverse")(t!),
    vjp: (A, _a, _o, g) => [A.op("batchedTestReverse")(g)],
  });
  const X = tensor([[1, 2, 3], [4, 5, 6]]);
  const out = vmap((x: Lifted) => rev(x))(X) as Tensor;
  assert.equal(out.toArray(), [[3, 2, 1], [6, 5, 4]]);
  assert.is(calls, 2);
});

test("unbatch repeats a value that does not depend on the batch", () => {
  const level = nextLevel();
  assert.equal((unbatch(3, level, 2) as Tensor).toArray(), [3, 3]);
  assert.equal((unbatch(tensor([1, 2]), level, 2) as Tensor).toArray(), [[1, 2], [1, 2]]);
});

test("batches of different sizes at one level are refused", () => {
  const level = nextLevel();
  const a = new Batched(tensor([1, 2]), 2, level);
  const b = new Batched(tensor([1, 2, 3]), 3, level);
  assert.throws(() => applyBatched(level, 2, findOp("mul")!, [a, b], undefined), (e: unknown) => e instanceof PerturbationError && /2 and 3 examples/.test((e as Error).message));
});

test("a batch of a scalar cannot be made", () => {
  assert.throws(() => batchOf(3, nextLevel()), /scalar cannot carry a batch axis/);
});

test("ops are methods on Batched values and route through the batch", () => {
  const X = randn([4, 3], { seed: 5 });
  const out = vmap((x: Lifted) => x.mul(x).sin().sum())(X) as Tensor;
  for (let i = 0; i < 4; i++) {
    const row = index(X, i) as Tensor;
    assert.ok(Math.abs(out.data[i]! - (sum(sin(mul(row, row))) as number)) < 1e-15);
  }
});

test("wrapLike gives plain data computed from a batched primal the same batch levels", () => {
  const outer = nextLevel();
  const inner = nextLevel();
  const data = tensor([[[1, 2]], [[3, 4]]]); // 2 outer examples of 1 inner example of [2]
  const like = new Batched(new Batched(data, 2, outer), 1, inner);
  const w = wrapLike(like, tensor([[[0, 1]], [[1, 0]]])) as Batched;
  assert.is(w.level, inner);
  assert.is((w.value as Batched).level, outer);
  assert.equal(exampleShape(w), [2]);
  assert.is(wrapLike(tensor([1]), 5), 5);
});

test("examplesAlong shifts an axis past the batch axes and flattens each example for a full reduction", () => {
  const b = batchOf(tensor([[1, 2, 3], [4, 5, 6]]), nextLevel());
  assert.is(examplesAlong(b, 0).axis, 1);
  const all = examplesAlong(b, null);
  assert.equal([all.t.shape, all.axis], [[2, 3], 1]);
  assert.equal(examplesAlong(tensor([1, 2]), null).axis, null);
});

test.run();
