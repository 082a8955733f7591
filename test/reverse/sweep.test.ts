import { test } from "uvu";
import * as assert from "uvu/assert";
import { Tape, Var, Tensor, mul, add, sub, sin, exp, div, where, GraphError } from "../../lib/index.ts";
import { sweep, adjointOf, replayValues, sweepDifferentiable } from "../../lib/reverse/sweep.ts";
import { close } from "../support/close.ts";
import { vec } from "../support/tensors.ts";
import { leaf } from "../support/tape.ts";

/** f(x, y) = exp(x y) - y / x with hand partials. */
function build(tape: Tape, x0: number, y0: number) {
  const x = leaf(tape, x0);
  const y = leaf(tape, y0);
  const f = sub(exp(mul(x, y)), div(y, x)) as Var;
  const e = Math.exp(x0 * y0);
  return { x, y, f, dx: y0 * e + y0 / (x0 * x0), dy: x0 * e - 1 / x0 };
}

test("sweep(tape, [f], [1]) gives the hand partials of f = exp(x y) - y / x at each leaf", () => {
  const tape = new Tape();
  const { x, y, f, dx, dy } = build(tape, 0.7, -1.2);
  const adj = sweep(tape, [f.id], [1]);
  close(adjointOf(tape, adj, x.id) as number, dx, 1e-14);
  close(adjointOf(tape, adj, y.id) as number, dy, 1e-14);
  assert.is(adj.reached[x.id], 1);
});

test("sweep scales by the seed: seed 3 triples the adjoints", () => {
  const tape = new Tape();
  const { x, f, dx } = build(tape, 0.7, -1.2);
  close(adjointOf(tape, sweep(tape, [f.id], [3]), x.id) as number, 3 * dx, 1e-14);
});

test("sweep from several outputs adds their seeded adjoints", () => {
  const tape = new Tape();
  const x = leaf(tape, 2);
  const a = mul(x, x) as Var;
  const b = sin(x) as Var;
  const adj = sweep(tape, [a.id, b.id], [1, 10]);
  close(adjointOf(tape, adj, x.id) as number, 4 + 10 * Math.cos(2), 1e-14);
});

test("nodes the sweep never reaches have adjoint 0 and reached 0", () => {
  const tape = new Tape();
  const x = leaf(tape, 2);
  const unused = leaf(tape, 5);
  const y = mul(x, 3) as Var;
  const adj = sweep(tape, [y.id], [1]);
  assert.is(adj.reached[unused.id], 0);
  assert.is(adjointOf(tape, adj, unused.id), 0);
});

test("sweep passes Tensor adjoints through extended entries, reducing broadcasts", () => {
  const tape = new Tape();
  const t = leaf(tape, vec(1, 2, 3));
  const s = leaf(tape, 2);
  const y = mul(t, s) as Var;
  const adj = sweep(tape, [y.id], [vec(1, 1, 1)]);
  assert.equal((adjointOf(tape, adj, t.id) as Tensor).toArray(), [2, 2, 2]);
  assert.is(adjointOf(tape, adj, s.id), 6);
});

test("sweep through a ternary extended entry sends the gradient to the selected side only", () => {
  const tape = new Tape();
  const a = leaf(tape, 2);
  const b = leaf(tape, 3);
  const y = where(0, a, mul(b, b)) as Var;
  const adj = sweep(tape, [y.id], [1]);
  assert.is(adjointOf(tape, adj, a.id), 0);
  assert.is(adjointOf(tape, adj, b.id), 6);
});

test("sweep runs the hooks on a node and uses their replacement", () => {
  const tape = new Tape();
  const x = leaf(tape, 2);
  const q = mul(x, x) as Var;
  const y = mul(q, 5) as Var;
  tape.addHook(q.id, (g) => add(g, 1));
  const adj = sweep(tape, [y.id], [1]);
  assert.is(adjointOf(tape, adj, x.id), (5 + 1) * 4);
});

test("sweep refuses to cross a freed node with GraphError naming retainGraph", () => {
  const tape = new Tape();
  const x = leaf(tape, 2);
  const old = mul(x, x) as Var;
  tape.clear();
  const y = mul(old, 3) as Var;
  try {
    sweep(tape, [y.id], [1]);
    assert.unreachable("no error");
  } catch (e) {
    assert.instance(e, GraphError);
    assert.match((e as Error).message, /^backward: the graph behind this value was freed by an earlier backward\(\); pass \{ retainGraph: true \}/);
  }
});

test("replayValues recomputes every node's value from the leaves and constants", () => {
  const tape = new Tape();
  const { f } = build(tape, 0.7, -1.2);
  const t = leaf(tape, vec(1, 2));
  const u = mul(t, 3) as Var;
  const vals = replayValues(tape, u.id);
  assert.is(vals[f.id], f.value);
  assert.is(vals[0], 0.7);
  assert.is(vals[u.id], u.value);
  assert.is(vals.length, u.id + 1);
});

test("sweepDifferentiable returns recorded adjoints whose own sweep gives second derivatives", () => {
  const tape = new Tape();
  const x = leaf(tape, 1.5);
  const f = sin(mul(x, x)) as Var; // f' = 2x cos x^2, f'' = 2 cos x^2 - 4 x^2 sin x^2
  const g = sweepDifferentiable(tape, [f.id], [1]).get(x.id) as Var;
  assert.instance(g, Var);
  close(g.value as number, 3 * Math.cos(2.25), 1e-14);
  const adj = sweep(tape, [g.id], [1]);
  close(adjointOf(tape, adj, x.id) as number, 2 * Math.cos(2.25) - 4 * 2.25 * Math.sin(2.25), 1e-13);
});

test("sweepDifferentiable covers constants on either side: f = (3 - x) / (x * 2)", () => {
  const tape = new Tape();
  const x = leaf(tape, 2);
  const f = div(sub(3, x), mul(x, 2)) as Var; // f = 3/(2x) - 1/2, f' = -3/(2x^2), f'' = 3/x^3
  const g = sweepDifferentiable(tape, [f.id], [1]).get(x.id) as Var;
  close(g.value as number, -3 / 8, 1e-14);
  close(adjointOf(tape, sweep(tape, [g.id], [1]), x.id) as number, 3 / 8, 1e-14);
});

test("sweepDifferentiable also refuses a freed node", () => {
  const tape = new Tape();
  const x = leaf(tape, 2);
  const old = mul(x, x) as Var;
  tape.clear();
  const y = mul(old, 3) as Var;
  assert.throws(() => sweepDifferentiable(tape, [y.id], [1]), (e: unknown) => e instanceof GraphError);
});

test.run();
