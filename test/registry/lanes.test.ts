import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  jacfwd, jacrev, hessian, tensor, mul, sum, matmul, sin, stack, reshape, transpose, exp, logsumexp, dual,
  Tensor, type Lifted,
} from "../../lib/index.ts";
import { TensorLanes, isLanes, laneOf } from "../../lib/registry/lanes.ts";
import { closeMat } from "../support/close.ts";
import { countComputes } from "../support/spy.ts";

test("jacfwd on a Tensor input with 2 lanes per pass equals the hand-derived Jacobian of sin(A x) * |x|²", () => {
  const A = [[1, 2, 3], [4, 5, 6]];
  const f = (x: Lifted) => mul(sin(matmul(tensor(A), x)), sum(mul(x, x)));
  const x = [0.1, -0.2, 0.3];
  const s = x.reduce((p, v) => p + v * v, 0);
  const hand = A.map((row) => {
    const ax = row.reduce((p, a, k) => p + a * x[k]!, 0);
    return row.map((a, k) => Math.cos(ax) * a * s + Math.sin(ax) * 2 * x[k]!);
  });
  for (const chunk of [1, 2, 3, 8]) closeMat((jacfwd(f, { chunk })(tensor(x)) as Tensor).toArray() as number[][], hand);
});

test("lanes from scalar inputs pass through stack, reshape and transpose like jacrev: d sum(M ⊙ Mᵀ) = [2x0, 2x2, 2x1, 2x3]", () => {
  const h = (v: Lifted[]) => {
    const M = reshape(stack(v), [2, 2]);
    return [sum(mul(M, transpose(M)))];
  };
  assert.equal(jacfwd(h)([1, 2, 3, 4]), [[2, 6, 4, 8]]);
  assert.equal(jacrev(h)([1, 2, 3, 4]), [[2, 6, 4, 8]]);
});

test("jacfwd of logsumexp(stack(exp(v))) equals softmax(exp v) * exp v and jacrev", () => {
  const g = (v: Lifted[]) => logsumexp(stack(v.map((vi) => exp(vi))));
  const v = [0.1, 0.2, 0.3];
  const e = v.map(Math.exp);
  const z = e.reduce((p, q) => p + Math.exp(q), 0);
  const hand = e.map((ei) => (Math.exp(ei) / z) * ei);
  const fwd = jacfwd(g)(v) as number[];
  fwd.forEach((d, i) => assert.ok(Math.abs(d - hand[i]!) < 1e-14, `${d} vs ${hand[i]}`));
  assert.equal(fwd, jacrev(g)(v));
});

test("hessian on a Tensor input uses lanes: H of sum(t³) is diag(6t)", () => {
  assert.equal((hessian((t: Lifted) => sum(mul(mul(t, t), t)))(tensor([1, 2, 3])) as Tensor).toArray(), [[6, 0, 0], [0, 12, 0], [0, 0, 18]]);
});

test("TensorLanes reports its lane count and shape; laneOf reads one lane", () => {
  const l = new TensorLanes(tensor([[1, 2], [3, 4], [5, 6]]));
  assert.is(l.count, 3);
  assert.equal(l.laneShape, [2]);
  assert.equal((laneOf(l, 2) as Tensor).toArray(), [5, 6]);
  assert.is(laneOf(Float64Array.of(7, 8), 1), 8);
  assert.is(laneOf(new Float64Array(0), 0), null);
  assert.ok(isLanes(l) && isLanes(new Float64Array(2)) && !isLanes(3));
});

test("a multi-lane scalar Dual times a tensor gives tensor lanes: dual(2, [1, 0]) * [1, 2, 3]", () => {
  const d = mul(dual(2, [1, 0]), tensor([1, 2, 3]));
  assert.equal(d.tangents.map((t) => (t as Tensor).toArray()), [[1, 2, 3], [0, 0, 0]]);
});


test("jacfwd pushes all lanes through a structural op in one call: matmul runs twice per pass (value and lanes), not once per lane", () => {
  const W = tensor(Array.from({ length: 6 }, (_, i) => Array.from({ length: 10 }, (_, j) => Math.sin(i + 2 * j))));
  const at = tensor(Array.from({ length: 10 }, (_, j) => j / 10));
  const { result, calls } = countComputes("matmul", () => jacfwd((x: Lifted) => sin(matmul(W, x)), { chunk: 8 })(at));
  const J = result as Tensor;
  assert.is(calls, 4); // 2 passes (8 + 2 lanes), each one primal matmul and one matmul of all lanes
  const rev = jacrev((x: Lifted) => sin(matmul(W, x)))(at) as Tensor;
  J.data.forEach((v, i) => assert.ok(Math.abs(v - rev.data[i]!) <= 1e-15 * Math.max(1, Math.abs(v))));
});

test.run();
