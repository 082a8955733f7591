import { test } from "uvu";
import * as assert from "uvu/assert";
import { Tape, Var, Tensor, mul, variable, TypeMismatchError, PerturbationError, type Lifted, type Output } from "../../lib/index.ts";
import { trace, outputNode, outputValue, inputCotangents } from "../../lib/reverse/trace.ts";
import { vec } from "../support/tensors.ts";

test("trace makes one leaf per input item on the tape and passes them in the user's structure", () => {
  const tape = new Tape();
  let seen: unknown = null;
  const tr = trace("grad", tape, ((x: Lifted[]) => ((seen = x), mul(x[0]!, x[1]!))) as (x: never) => Output, [2, 3]);
  assert.is(tr.inp.array, true);
  assert.is(tr.leaves.length, 2);
  assert.equal(seen, tr.leaves);
  tr.leaves.forEach((l, i) => {
    assert.ok(l.isLeaf && l.tape === tape);
    assert.is(l.id, i);
  });
  assert.is(tr.out.array, false);
  assert.is((tr.out.items[0] as Var).value, 6);
  assert.equal(tape.leaves, tr.leaves);
});

test("trace passes a single Var for a number or Tensor input", () => {
  const tape = new Tape();
  let seen: unknown = null;
  const tr = trace("grad", tape, ((x: Lifted) => ((seen = x), x)) as (x: never) => Output, vec(1, 2));
  assert.is(tr.inp.array, false);
  assert.instance(seen, Var);
  assert.is(seen, tr.leaves[0]);
  assert.is((seen as Var).value, tr.inp.items[0]);
});

test("outputNode is the node of a Var of this tape, -1 otherwise", () => {
  const tape = new Tape();
  const tr = trace("grad", tape, ((x: Lifted) => [mul(x, 2), 5, variable(1)]) as (x: never) => Output, 1);
  const [a, b, c] = tr.out.items;
  assert.is(outputNode(tape, a!), (a as Var).id);
  assert.is(outputNode(tape, b!), -1);
  assert.is(outputNode(tape, c!), -1);
});

test("outputNode refuses a value from a tape or transform nested inside (higher level), naming the api", () => {
  const outer = new Tape();
  const inner = new Tape();
  const v = new Var(1, inner, -1, -1, true);
  inner.registerLeaf(v);
  for (const [api, call] of [["grad", () => outputNode(outer, v)], ["jacrev", () => outputNode(outer, v, "jacrev")]] as const) {
    try {
      call();
      assert.unreachable("no error");
    } catch (e) {
      assert.instance(e, PerturbationError);
      assert.match((e as Error).message, new RegExp(`^${api}: f returned a Dual or Var created by a transform nested inside it; `));
    }
  }
});

test("outputValue strips this tape's Var and leaves other values alone", () => {
  const tape = new Tape();
  const tr = trace("grad", tape, ((x: Lifted) => [mul(x, 2), 5]) as (x: never) => Output, 4);
  assert.is(outputValue(tape, tr.out.items[0]!), 8);
  assert.is(outputValue(tape, tr.out.items[1]!), 5);
  const other = variable(7);
  assert.is(outputValue(tape, other), other);
});

test("inputCotangents sweeps from output nodes and returns the gradient in the input's structure", () => {
  const tape = new Tape();
  const tr = trace("grad", tape, ((x: Lifted[]) => mul(x[0]!, x[1]!)) as (x: never) => Output, [2, 3]);
  const y = tr.out.items[0]!;
  assert.equal(inputCotangents(tape, tr, [outputNode(tape, y)], [1]), [3, 2]);
  assert.equal(inputCotangents(tape, tr, [outputNode(tape, y)], [10]), [30, 20]);
});

test("inputCotangents gives zeros in the input's structure when no output depends on it", () => {
  const tape = new Tape();
  const tr = trace("grad", tape, (() => 3) as (x: never) => Output, vec(1, 2));
  const g = inputCotangents(tape, tr, [-1], [1]) as Tensor;
  assert.equal(g.toArray(), [0, 0]);
  const tape2 = new Tape();
  const tr2 = trace("grad", tape2, ((x: Lifted[]) => mul(x[0]!, 2)) as (x: never) => Output, [1, 5]);
  assert.equal(inputCotangents(tape2, tr2, [outputNode(tape2, tr2.out.items[0]!)], [1]), [2, 0]);
});

test("trace reports a bad input under the calling api", () => {
  try {
    trace("jacrev", new Tape(), ((x: Lifted) => x) as (x: never) => Output, "x");
    assert.unreachable("no error");
  } catch (e) {
    assert.instance(e, TypeMismatchError);
    assert.match((e as Error).message, /^jacrev: the input is string "x"; /);
  }
});

test("trace reports a bad result under the calling api", () => {
  try {
    trace("vjp", new Tape(), (() => "y") as unknown as (x: never) => Output, 1);
    assert.unreachable("no error");
  } catch (e) {
    assert.instance(e, TypeMismatchError);
    assert.match((e as Error).message, /^vjp: f returned string "y"; /);
  }
});

test.run();
