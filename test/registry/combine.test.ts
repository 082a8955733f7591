import { test } from "uvu";
import * as assert from "uvu/assert";
import { dual, Tensor, Dual, PerturbationError } from "../../lib/index.ts";
import { accumulate, plus, scaled, reduceLike, ZERO_LANES } from "../../lib/registry/combine.ts";
import { G } from "../../lib/registry/op.ts";
import { throwsKind } from "../support/errors.ts";
import { vec } from "../support/tensors.ts";

const lanes = (...v: number[]) => Float64Array.from(v);

test("accumulate(null, p, t) = p t and accumulate(acc, p, t) = acc + p t on numbers", () => {
  assert.is(accumulate(null, 2, 3), 6);
  assert.is(accumulate(1, 2, 3), 7);
});

test("accumulate on a Tensor tangent multiplies and adds elementwise", () => {
  const a = accumulate(null, 2, vec(1, 2)) as Tensor;
  assert.equal(a.toArray(), [2, 4]);
  const b = accumulate(a, vec(1, -1), vec(3, 3)) as Tensor;
  assert.equal(b.toArray(), [5, 1]);
});

test("accumulate with a Dual partial gives a Dual (a differentiable tangent)", () => {
  const r = accumulate(null, dual(2, 1), 3) as Dual;
  assert.instance(r, Dual);
  assert.is(r.value, 6);
  assert.is(r.tangent, 3);
  const s = accumulate(1, dual(2, 1), 3) as Dual;
  assert.is(s.value, 7);
});

test("accumulate on lanes scales each lane into a fresh array, never the tangent passed in", () => {
  const t = lanes(1, 2, 3);
  const a = accumulate(null, 2, t) as Float64Array;
  assert.is.not(a, t);
  assert.equal(Array.from(a), [2, 4, 6]);
  assert.equal(Array.from(t), [1, 2, 3]);
  const b = accumulate(a, -1, lanes(1, 1, 1)) as Float64Array;
  assert.equal(Array.from(b), [1, 3, 5]);
});

test("accumulate with the all-zero lanes leaves the accumulator as it is", () => {
  assert.is(accumulate(null, 5, ZERO_LANES), null);
  const acc = lanes(1, 2);
  assert.is(accumulate(acc, 5, ZERO_LANES), acc);
  assert.is(ZERO_LANES.length, 0);
});

test("accumulate onto the all-zero lanes starts a new array", () => {
  const r = accumulate(ZERO_LANES, 3, lanes(1, 2)) as Float64Array;
  assert.is.not(r, ZERO_LANES);
  assert.equal(Array.from(r), [3, 6]);
  assert.is(ZERO_LANES.length, 0);
});

test("accumulate refuses lanes with a non-scalar partial: PerturbationError from jacfwd", () => {
  throwsKind(() => accumulate(null, vec(1, 2), lanes(1, 0)), PerturbationError, "jacfwd", /multi-lane tangent met a non-scalar partial/);
  throwsKind(() => accumulate(null, dual(1), lanes(1, 0)), PerturbationError, "jacfwd", /single-lane jvp/);
});

test("plus(null, b) = b; plus adds numbers and Tensors", () => {
  const t = vec(1, 2);
  assert.is(plus(null, t), t);
  assert.is(plus(2, 3), 5);
  assert.equal((plus(t, vec(10, 20)) as Tensor).toArray(), [11, 22]);
  assert.equal((plus(1, t) as Tensor).toArray(), [2, 3]);
});

test("scaled(p, g) = p g for numbers, Tensors and Duals", () => {
  assert.is(scaled(2, 3), 6);
  assert.equal((scaled(vec(1, 2), 3) as Tensor).toArray(), [3, 6]);
  assert.is((scaled(dual(2, 1), 3) as Dual).tangent, 3);
});

test("reduceLike keeps a contribution that already has the operand's shape", () => {
  assert.is(reduceLike(4, 2), 4);
  const c = vec(1, 2);
  assert.is(reduceLike(c, vec(0, 0)), c);
});

test("reduceLike spreads a number contribution over a Tensor operand", () => {
  const r = reduceLike(3, new Tensor(new Float64Array(4), [2, 2])) as Tensor;
  assert.equal(r.toArray(), [[3, 3], [3, 3]]);
});

test("reduceLike sums a broadcast contribution back to the operand's shape", () => {
  const c = new Tensor(Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3]);
  assert.equal((reduceLike(c, vec(0, 0, 0)) as Tensor).toArray(), [5, 7, 9]);
  assert.is(reduceLike(c, 7), 21);
  assert.equal((reduceLike(c, new Tensor(new Float64Array(2), [2, 1])) as Tensor).toArray(), [[6], [15]]);
});

test("reduceLike reduces a Lifted tensor contribution through sumToShape, or names that op when it is missing", () => {
  const c = dual(new Tensor(Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3]), new Tensor(Float64Array.of(1, 1, 1, 1, 1, 1), [2, 3]));
  if (G.sumToShape === undefined) {
    throwsKind(() => reduceLike(c, vec(0, 0, 0)), PerturbationError, "backward", /cannot reduce a 2x3 contribution.*sumToShape/);
  } else {
    const r = reduceLike(c, vec(0, 0, 0)) as Dual;
    assert.equal((r.value as Tensor).toArray(), [5, 7, 9]);
    assert.equal((r.tangent as Tensor).toArray(), [2, 2, 2]);
  }
});

test.run();
