/**
 * The compiled tensor path of compileGrad (lib/compile/plan.ts): fused
 * loops, pooled buffers, generic steps, guards. Truth: hand-derived
 * gradients and the uncompiled gradient. Where code generation is switched
 * off (DUALTAPE_NO_CODEGEN=1) there is no plan and the same calls replay
 * through the interpreter: the values are checked in both runs.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  compileGrad, grad, gt, defineOp, primal, sum, mean, exp, log, sin, cos, tanh, mul, add, sub, square, matmul, relu, randn, Tensor, max, stopGradient,
  type Lifted, type Value,
} from "../../lib/index.ts";
import { countComputes } from "../support/spy.ts";
import { canGenerate } from "../../lib/codegen.ts";
import { close } from "../support/close.ts";

const on = canGenerate();
const vec = (xs: number[]) => new Tensor(Float64Array.from(xs), [xs.length]);

function closeAll(got: Tensor, want: ArrayLike<number>, rel = 1e-12): void {
  assert.is(got.size, want.length);
  for (let i = 0; i < want.length; i++) close(got.data[i], want[i], rel, `element ${i}`);
}

test("lse: the gradient is softmax(x), at the recording point and at new inputs", () => {
  const g = compileGrad((x: Lifted) => log(sum(exp(x))));
  for (const xs of [[0.5, -1, 2, 0.25], [3, 1, -2, 0], [0, 0, 0, 0]]) {
    const z = xs.reduce((s, v) => s + Math.exp(v), 0);
    closeAll(g(vec(xs)) as Tensor, xs.map((v) => Math.exp(v) / z));
  }
  assert.is(g.recordings, 1);
  assert.is(g.plan !== null, on);
});

test("a chain of k elementwise ops and the sum it feeds compile to ONE generated loop", () => {
  const k = 6;
  const g = compileGrad((x: Lifted) => sum(tanh(sin(mul(add(square(cos(x)), 0.5), x)))));
  const xs = [0.3, -0.7, 1.1];
  g(vec(xs));
  const got = g(vec(xs)) as Tensor;
  // d/dx tanh(sin((cos²x + 0.5) x)) by hand.
  const want = xs.map((x) => {
    const u = (Math.cos(x) ** 2 + 0.5) * x;
    const du = -2 * Math.cos(x) * Math.sin(x) * x + Math.cos(x) ** 2 + 0.5;
    return (1 - Math.tanh(Math.sin(u)) ** 2) * Math.cos(u) * du;
  });
  closeAll(got, want);
  if (!on) return assert.is(g.plan, null);
  const plan = g.plan!;
  assert.is(plan.steps.length, 1);
  const step = plan.steps[0];
  assert.ok(step.kind === "group" && step.group.members.length === k && step.group.reduce >= 0);
  // One forward loop (which also accumulates the sum) and one backward loop, nothing else.
  assert.is(plan.sources.length, 2);
  for (const src of plan.sources) assert.is(src.match(/for \(/g)?.length, 1);
  assert.match(plan.sources[0], /acc \+=/);
});

test("buffers are reused by liveness: the pool is smaller than the number of intermediates", () => {
  const W = randn([6, 6], { seed: 9 });
  const layer = (v: Value) => tanh(matmul(W, v));
  const f = (x: Lifted) => sum(sin(layer(layer(layer(matmul(W, x))))));
  const g = compileGrad(f);
  const x = randn([6], { seed: 1 });
  g(x);
  closeAll(g(x) as Tensor, (grad(f)(x) as Tensor).data);
  if (!on) return;
  const plan = g.plan!;
  const intermediates = 4 + 4 + 1; // matmuls, elementwise ops, the sum
  assert.ok(plan.poolSize < intermediates, `pool ${plan.poolSize} of ${intermediates}`);
  assert.ok(plan.poolSize < plan.buffered, `pool ${plan.poolSize}, buffered ${plan.buffered}`);
});

test("llsq vector form: gradient -A^T (s - A x) through a generic matmul step and a fused square-sum", () => {
  const n = 9, m = 3;
  const A = randn([n, m], { seed: 2 });
  const s = randn([n], { seed: 3 });
  const g = compileGrad((x: Lifted) => mul(0.5, sum(square(sub(s, matmul(A, x))))));
  g(randn([m], { seed: 4 }));
  const x = randn([m], { seed: 5 });
  const r = Array.from({ length: n }, (_, i) => s.data[i] - A.data.slice(i * m, i * m + m).reduce((t, a, j) => t + a * x.data[j], 0));
  const want = Array.from({ length: m }, (_, j) => -r.reduce((t, ri, i) => t + A.data[i * m + j] * ri, 0));
  closeAll(g(x) as Tensor, want);
  if (on) assert.ok(g.plan!.steps.some((st) => st.kind === "generic"));
});

test("MLP with a broadcast bias and relu: compiled gradients == uncompiled gradients for every weight", () => {
  const X = randn([5, 4], { seed: 3 }), Y = randn([5, 2], { seed: 4 });
  const loss = ([w1, c1, w2]: Lifted[]) => mean(square(sub(matmul(relu(add(matmul(X, w1), c1)), w2), Y)));
  const g = compileGrad(loss);
  const at = (seed: number) => [randn([4, 3], { seed }), randn([3], { seed: seed + 1 }), randn([3, 2], { seed: seed + 2 })];
  // A list of Tensors is a pytree input; the typed list form takes numbers, hence the casts.
  g(at(10) as never);
  const w = at(20);
  const got = g(w as never) as unknown as Tensor[];
  const want = grad(loss)(w as never) as unknown as Tensor[];
  got.forEach((t, k) => closeAll(t, want[k].data));
  assert.is(g.recordings, 1);
});

test("a flipped guarded comparison records again; the same branch replays", () => {
  const f = (x: Lifted) => (gt(sum(x), 0) ? sum(exp(x)) : sum(sin(x)));
  const g = compileGrad(f);
  closeAll(g(vec([1, 2])) as Tensor, [Math.exp(1), Math.exp(2)]);
  closeAll(g(vec([0.5, 0.25])) as Tensor, [Math.exp(0.5), Math.exp(0.25)]);
  assert.is(g.recordings, 1);
  closeAll(g(vec([-1, -2])) as Tensor, [Math.cos(-1), Math.cos(-2)]);
  assert.is(g.recordings, 2);
  closeAll(g(vec([-3, 1])) as Tensor, [Math.cos(-3), Math.cos(1)]);
  assert.is(g.recordings, 2);
});

test("valueAndGrad returns the value computed by the plan", () => {
  const g = compileGrad((x: Lifted) => sum(square(x)));
  g(vec([1, 2, 3]));
  const { value, grad: d } = g.valueAndGrad(vec([2, -1, 0.5]));
  close(value as number, 4 + 1 + 0.25);
  closeAll(d as Tensor, [4, -2, 1]);
});

test("a 1-element Tensor value is the caller's own: the next call does not overwrite it", () => {
  const g = compileGrad((x: Lifted) => exp(x));
  g(vec([0]));
  const first = g.valueAndGrad(vec([1])).value as Tensor;
  g.valueAndGrad(vec([2]));
  close(first.data[0], Math.E);
});

test("an op whose rule reads values without a mask runs its scalar kernel in the fused loop: gradient 2|x|", () => {
  const signedSquare = defineOp({
    name: "planTestSignedSquare", arity: 1,
    value: (x) => x * Math.abs(x),
    // Numbers read directly (a symbol makes Math.abs NaN), Tensors through the algebra: right on both, not emittable.
    partials: (A, [x]) => {
      const p = primal(x);
      return [p instanceof Tensor ? A.mul(2, A.abs(x)) : 2 * Math.abs(p as number)];
    },
  });
  const g = compileGrad((x: Lifted) => sum(sin(signedSquare(x))));
  const xs = [0.5, -0.75, 1.25];
  g(vec([1, 1, 1]));
  closeAll(g(vec(xs)) as Tensor, xs.map((x) => Math.cos(x * Math.abs(x)) * 2 * Math.abs(x)));
  if (on) assert.match(g.plan!.sources.join("\n"), /q\d+\(/);
});

/** lse with the max shift cut, as JAX's logsumexp writes it. */
const shiftedLse = (x: Lifted): Value => {
  const a = stopGradient(max(x));
  return add(a, log(sum(exp(sub(x, a)))));
};

test("lse with the shift a = stopGradient(max(x)): one recording, the plan recomputes the shift (a stale one overflows exp at x = 800), the gradient is softmax at new inputs", () => {
  const g = compileGrad(shiftedLse);
  for (const xs of [[0.5, -1, 2, 0.25], [30, 1, -2, 0], [800, 801, 799, 0]]) {
    const m = Math.max(...xs);
    const z = xs.reduce((s, v) => s + Math.exp(v - m), 0);
    const r = g.valueAndGrad(vec(xs));
    close(primal(r.value) as number, m + Math.log(z), 1e-14);
    closeAll(r.grad as Tensor, xs.map((v) => Math.exp(v - m) / z), 1e-14);
    closeAll(r.grad as Tensor, (grad(shiftedLse)(vec(xs)) as Tensor).data, 1e-15);
  }
  assert.is(g.recordings, 1);
  assert.is(g.plan !== null, on);
});

test("the cut stops every cotangent at the shift: the plan's backward never runs max's transpose, and its forward computes max once", () => {
  const g = compileGrad(shiftedLse);
  g(vec([1, 2, 3]));
  const vjp = (max as unknown as { op: { structural: { vjp: (...a: never[]) => unknown } } }).op.structural;
  const before = vjp.vjp;
  let pulls = 0;
  vjp.vjp = ((...a: never[]) => (pulls++, before(...a))) as typeof before;
  try {
    const { calls } = countComputes("max", () => g(vec([4, -1, 2])));
    assert.is(calls, 1);
  } finally {
    vjp.vjp = before;
  }
  assert.is(pulls, 0);
});

test("a cut of an elementwise value inside a fused loop: sum(exp(x) * stopGradient(exp(x))) has gradient exp(2x), at new inputs too", () => {
  const f = (x: Lifted): Value => {
    const e = exp(x);
    return sum(mul(e, stopGradient(e)));
  };
  const g = compileGrad(f);
  for (const xs of [[0.1, -0.4, 0.9], [1, 2, -3]]) {
    const r = g.valueAndGrad(vec(xs));
    close(primal(r.value) as number, xs.reduce((s, v) => s + Math.exp(2 * v), 0), 1e-14);
    closeAll(r.grad as Tensor, xs.map((v) => Math.exp(2 * v)), 1e-14);
  }
  assert.is(g.recordings, 1);
});

test("a cut on the output's path: sum(x) + stopGradient(sum(x * x)) has value Σx + Σx² and gradient 1 at new inputs", () => {
  const g = compileGrad((x: Lifted): Value => add(sum(x), stopGradient(sum(mul(x, x)))));
  g(vec([1, 2]));
  const r = g.valueAndGrad(vec([3, -4]));
  close(primal(r.value) as number, -1 + 25, 1e-15);
  closeAll(r.grad as Tensor, [1, 1]);
  assert.is(g.recordings, 1);
});

test.run();
