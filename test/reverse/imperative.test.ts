// Imperative graphs on several tapes (lib/reverse/imperative.ts): a graph
// built before a backward, kept, and combined with one built after it gives
// the same gradients as if everything had been on one tape. Expected values
// are derived by hand from the functions of w.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { variable, gradients, add, mul, sin, sum, tensor, GraphError, type Var, type Tensor } from "../../lib/index.ts";
import { imperativeTape, setLeafValue } from "../../lib/reverse/variable.ts";
import { throwsKind } from "../support/errors.ts";

test("a backward that leaves another graph on the tape starts later graphs on a fresh tape", () => {
  const w = variable(2);
  const kept = mul(w, 3) as Var;
  const before = imperativeTape();
  (mul(w, w) as Var).backward();
  assert.is.not(imperativeTape(), before, "retired");
  assert.is(kept.gradFn, "mul");
  const fresh = mul(w, 5) as Var;
  assert.is(fresh.tape, imperativeTape());
  assert.is.not(fresh.tape, kept.tape);
});

test("a backward that frees its whole tape keeps the tape as the current one", () => {
  const w = variable(2);
  (mul(w, w) as Var).backward();
  const t = imperativeTape();
  (mul(w, w) as Var).backward();
  assert.is(imperativeTape(), t);
  assert.is(t.length, 0);
});

test("values of graphs from before and after a backward combine: d/dw [w², then 3w + 5w] at 2 is 4 + 8", () => {
  const w = variable(2);
  const a = mul(w, 3);
  (mul(w, w) as Var).backward(); // w.grad = 4
  const c = add(a, mul(w, 5)) as Var;
  c.backward();
  assert.is(w.grad, 12);
});

test("an op on a value of a retired graph records on that graph's tape: d(w²·w)/dw = 3w² = 12 at 2", () => {
  const w = variable(2);
  const a = mul(w, w) as Var;
  (mul(w, 1) as Var).backward(); // w.grad = 1, and a's tape is retired
  const d = mul(a, w) as Var;
  assert.is(d.tape, a.tape);
  d.backward();
  assert.is(w.grad, 13);
});

test("values of two retired tapes merge: d/dw (w² + 3w) = 2w + 3 = 7 at 2, after two other backwards", () => {
  const w = variable(2);
  const a = mul(w, w);
  (mul(w, 1) as Var).backward();
  const b = mul(w, 3);
  (mul(w, 1) as Var).backward();
  const c = add(a, b) as Var;
  c.backward();
  assert.is(w.grad, 1 + 1 + 7);
  assert.is((a as Var).gradFn, "<freed>", "handles of the merged-away tape follow the merge");
});

test("gradients() over outputs on two tapes sums both: d/dw (w³ + 2w) = 3w² + 2 = 14 at 2", () => {
  const w = variable(2);
  const a = mul(mul(w, w), w) as Var;
  (mul(w, 1) as Var).backward();
  const b = mul(w, 2) as Var;
  const [g] = gradients([a, b], [w]);
  assert.is(g, 14);
});

test("a gradient penalty on a retired graph: d/dw (d(w³)/dw) = 6w = 12 at 2", () => {
  const w = variable(2);
  const y = mul(mul(w, w), w) as Var;
  (mul(w, 1) as Var).backward(); // w.grad = 1; y's tape retired
  const [g] = gradients(y, w, { createGraph: true });
  assert.is((g as Var).value, 12);
  (g as Var).backward();
  assert.is(w.grad, 1 + 12);
});

test("a hook on a node of a retired graph still runs after its tape merges: d/dw (10·2w + w) at any w is 21", () => {
  const w = variable(2);
  const h = mul(w, 2) as Var;
  h.registerHook((g) => mul(g, 10));
  (mul(w, 1) as Var).backward();
  const c = add(h, mul(w, 1)) as Var;
  c.backward();
  assert.is(w.grad, 1 + 21);
});

test("tensor graphs combine across a backward: d/dW sum(W·x) + sum(W²) = x + 2W", () => {
  const W = variable(tensor([1, 2]));
  const a = sum(mul(W, tensor([3, 4])));
  (sum(W) as Var).backward(); // grad [1, 1]
  const c = add(a, sum(mul(W, W))) as Var;
  c.backward();
  assert.equal(Array.from((W.grad as Tensor).data), [1 + 3 + 2, 1 + 4 + 4]);
});

test("a leaf keeps no retired tape alive: after a retirement it points at the current tape", () => {
  const w = variable(2);
  mul(w, 3); // a graph nobody runs backward
  (mul(w, w) as Var).backward();
  assert.is(w.tape, imperativeTape());
});

test("a graph past 2^16 entries stays on its tape (the terms started on fresh tapes merge into it): d/dw Σ sin(w·k/n) by hand", () => {
  const w = variable(0.5);
  const n = 40_000; // 2n + 1 entries: the tape grows past 2^16 while the sum is built
  let s = mul(w, 0) as Var;
  const first = s.tape;
  for (let k = 0; k < n; k++) s = add(s, sin(mul(w, k / n))) as Var;
  assert.is(s.tape, first, "the sum never left its tape");
  s.backward();
  let expected = 0;
  for (let k = 0; k < n; k++) expected += Math.cos(0.5 * k / n) * k / n;
  assert.ok(Math.abs((w.grad as number) - expected) < 1e-9 * Math.abs(expected));
});

test("a sum whose terms each start on the current tape merges them back a few times, not once per term", () => {
  const xs = Array.from({ length: 70_000 }, (_, k) => variable(k / 70_000));
  let s = sin(xs[0]!) as Var;
  const tapes = new Set([s.tape]);
  for (let k = 1; k < xs.length; k++) {
    s = add(s, sin(xs[k]!)) as Var;
    tapes.add(s.tape);
  }
  assert.ok(tapes.size <= 3, `${tapes.size} tapes`);
  s.backward();
  assert.is(xs[123]!.grad, Math.cos(123 / 70_000));
});

test("a graph on a retired tape whose leaf was then given a new value refuses backward, like one on the current tape", () => {
  const w = variable(2);
  const kept = mul(w, w) as Var; // never run backward before the step
  (mul(w, 3) as Var).backward(); // retires kept's tape
  setLeafValue(w, 5);
  throwsKind(() => kept.backward(), GraphError, "backward", /was given a new value/);
  throwsKind(() => gradients(kept, w), GraphError, "gradients", /was given a new value/);
  const fresh = mul(w, w) as Var;
  fresh.backward();
  assert.is(w.grad, 3 + 10);
});

test.run();
