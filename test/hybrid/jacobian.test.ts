import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  jacobian, explainJacobian, estimateCosts, measuredCosts, mul, add, sin, exp, Tensor,
  TypeMismatchError, type Lifted, type CostModel,
} from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";
import { closeMat } from "../support/close.ts";
import { vec } from "../support/tensors.ts";
import { countComputes } from "../support/spy.ts";
import { noGrad, variable, defineOp, grad, hessian, hvp, where, gt, lt, sum, tensor, compileGrad, isGradEnabled, ShapeError, matmul, tanh, type Var } from "../../lib/index.ts";

/** f: R^3 -> R^2, f = [x0 x1 x2, exp(x0) + sin(x2)]. */
const f = (x: Lifted[]) => [mul(mul(x[0]!, x[1]!), x[2]!), add(exp(x[0]!), sin(x[2]!))];
const J = ([a, b, c]: number[]) => [[b! * c!, a! * c!, a! * b!], [Math.exp(a!), 0, Math.cos(c!)]];
const X = [0.4, -1.5, 2.2];
/** 1 input, 1000 outputs. */
const tall = (x: Lifted) => Array.from({ length: 1000 }, (_, i) => mul(x, i));
/** 1000 inputs, 1 output. */
const wide = (x: Lifted[]) => x.reduce((s: Lifted, v) => add(s, mul(v, v)), mul(x[0]!, 0));
const ones = (n: number) => Array.from({ length: n }, () => 1);

test("jacobian in 'forward', 'reverse' and 'auto' mode all equal the hand-derived Jacobian", () => {
  for (const mode of ["forward", "reverse", "auto"] as const) closeMat(jacobian(f, { mode })(X) as number[][], J(X));
  closeMat(jacobian(f)(X) as number[][], J(X));
});

test("jacobian's modes agree on a Tensor -> Tensor function", () => {
  const g = (t: Lifted) => mul(sin(t), t);
  const a = jacobian(g, { mode: "forward" })(vec(0.5, 1.5)) as Tensor;
  const b = jacobian(g, { mode: "reverse" })(vec(0.5, 1.5)) as Tensor;
  assert.equal(a.shape, [2, 2]);
  closeMat(a.toArray() as number[][], b.toArray() as number[][]);
});

test("'auto' picks forward for n = 1, m = 1000 and reverse for n = 1000, m = 1", () => {
  const t = explainJacobian(tall, 2);
  assert.is(t.mode, "forward");
  assert.is(t.n, 1);
  assert.is(t.m, 1000);
  const w = explainJacobian(wide, ones(1000));
  assert.is(w.mode, "reverse");
  assert.is(w.n, 1000);
  assert.is(w.m, 1);
});

test("explainJacobian reports the cost model's estimates and a reason naming n and m", () => {
  const c = explainJacobian(f, X);
  const est = estimateCosts(3, 2, measuredCosts);
  assert.is(c.n, 3);
  assert.is(c.m, 2);
  assert.is(c.forwardCost, est.forward);
  assert.is(c.reverseCost, est.reverse);
  assert.is(c.mode, est.forward <= est.reverse ? "forward" : "reverse");
  assert.match(c.reason, /n = 3 inputs against m = 2 outputs/);
  assert.match(explainJacobian(tall, 2).reason, /forward pass/);
  assert.match(explainJacobian(wide, ones(1000)).reason, /recording once plus 1 sweep/);
});

test("jacobian.explain is explainJacobian", () => {
  assert.is(jacobian.explain, explainJacobian);
});

test("a custom cost model changes the choice", () => {
  const cheapForward: CostModel = { forwardPass: 1, forwardPerLane: 0, record: 1e6, sweep: 1, chunk: 4 };
  const cheapReverse: CostModel = { forwardPass: 1e6, forwardPerLane: 1, record: 1, sweep: 1, chunk: 4 };
  assert.is(explainJacobian(f, X, cheapForward).mode, "forward");
  assert.is(explainJacobian(f, X, cheapReverse).mode, "reverse");
  closeMat(jacobian(f, { costModel: cheapForward })(X) as number[][], J(X));
  closeMat(jacobian(f, { costModel: cheapReverse })(X) as number[][], J(X));
});

test("'auto' evaluates f once more to learn m, and only once per input size", () => {
  let calls = 0;
  const counted = (x: Lifted[]) => ((calls++), f(x));
  const cheapReverse: CostModel = { forwardPass: 1e6, forwardPerLane: 1, record: 1, sweep: 1, chunk: 4 };
  const jac = jacobian(counted, { costModel: cheapReverse });
  jac(X);
  assert.is(calls, 2, "one probe plus one recording");
  jac([1, 2, 3]);
  assert.is(calls, 3, "the probe is cached for this input size");
  jac([1, 2, 3, 4]);
  assert.is(calls, 5, "a new input size is probed again");
});

test("the probe records nothing: 'auto' gives the same Jacobian as the explicit modes afterwards", () => {
  const g = (x: Lifted[]) => [mul(x[0]!, x[1]!)];
  const auto = jacobian(g)([2, 3]);
  assert.equal(auto, [[3, 2]]);
  assert.equal(jacobian(g, { mode: "reverse" })([2, 3]), [[3, 2]]);
});

test("jacobian rejects an unknown mode and a non-function", () => {
  throwsKind(() => jacobian(f, { mode: "sideways" as never }), TypeMismatchError, "jacobian", /mode string "sideways" is not one of 'auto', 'forward', 'reverse'/);
  throwsKind(() => jacobian(null as never), TypeMismatchError, "jacobian", /expected a function, got null/);
});

test("jacobian and explainJacobian reject a bad input", () => {
  throwsKind(() => jacobian(f)("x" as never), TypeMismatchError, "jacobian", /the input is string "x"/);
  throwsKind(() => explainJacobian(f, [1, "2"] as never), TypeMismatchError, "jacobian", /element 1 of the input array/);
});

test("jacobian.explain sees the current output size after f changed it (no stale m)", () => {
  let m = 1;
  const f = (x: Lifted[]) => Array.from({ length: m }, (_, i) => mul(x[0]!, i + 1));
  assert.is(explainJacobian(f, [1, 2]).m, 1);
  m = 5;
  assert.is(explainJacobian(f, [1, 2]).m, 5);
  assert.is(jacobian.explain(f, [1, 2]).m, 5);
});

test("jacobian 'auto' on a Tensor[20] input takes jacfwd's lanes: one pass, and explain says so; a given cost model's chunk still rules", () => {
  const W = tensor(Array.from({ length: 40 }, (_, i) => Array.from({ length: 20 }, (_, j) => Math.sin(i + 2 * j))));
  const x = tensor(Array.from({ length: 20 }, (_, j) => 0.1 * j - 1));
  const f = (v: Lifted) => tanh(matmul(W, v));
  const J = jacobian(f);
  J(x);
  const { result, calls } = countComputes("matmul", () => J(x) as Tensor);
  // One pass: W x once and W times the [20, 20] tangent lanes once.
  assert.is(calls, 2);
  assert.match(explainJacobian(f, x).reason, /1 forward pass of 20 lanes/);
  const custom = jacobian(f, { mode: "forward", costModel: { ...measuredCosts, chunk: 5 } });
  assert.is(countComputes("matmul", () => custom(x)).calls, 8);
  // Against the hand Jacobian (1 - tanh²(W x)) W.
  for (let i = 0; i < 40; i++) {
    let y = 0;
    for (let j = 0; j < 20; j++) y += W.data[i * 20 + j]! * x.data[j]!;
    for (let j = 0; j < 20; j++) assert.ok(Math.abs(result.data[i * 20 + j]! - (1 - Math.tanh(y) ** 2) * W.data[i * 20 + j]!) < 1e-14);
  }
});

test.run();
