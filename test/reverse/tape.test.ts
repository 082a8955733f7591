import { test } from "uvu";
import * as assert from "uvu/assert";
import { Tape, Var, Tensor, mul, sub, sin, where, GraphError, defineOp } from "../../lib/index.ts";
import { LEAF, LEAF_OBJ, EXT, DEAD, FIRST_OP, UNARY, CONST_FIRST, CONST_SECOND } from "../../lib/reverse/entry-layout.ts";
import { sweep } from "../../lib/reverse/sweep.ts";
import { findOp } from "../../lib/index.ts";
import { vec } from "../support/tensors.ts";
import { leaf } from "../support/tape.ts";

test("new Tape() is empty at generation 0 with a level above every earlier tape", () => {
  const a = new Tape();
  const b = new Tape();
  assert.is(a.length, 0);
  assert.is(a.gen, 0);
  assert.ok(b.level > a.level);
});

test("Tape.bytesPerEntry is the sum of the entry arrays' element sizes (26), within the 32 B milestone", () => {
  const t = new Tape(4);
  const sum = t.a.BYTES_PER_ELEMENT + t.b.BYTES_PER_ELEMENT + t.pa.BYTES_PER_ELEMENT + t.pb.BYTES_PER_ELEMENT + t.code.BYTES_PER_ELEMENT;
  assert.is(Tape.bytesPerEntry, sum);
  assert.is(Tape.bytesPerEntry, 26);
  assert.ok(Tape.bytesPerEntry <= 32);
});

test("registerLeaf gives a number leaf a LEAF entry holding its value", () => {
  const tape = new Tape();
  const x = leaf(tape, 3);
  assert.is(x.id, 0);
  assert.is(x.gen, 0);
  assert.is(tape.code[0], LEAF);
  assert.is(tape.pa[0], 3);
  assert.equal(tape.leaves, [x]);
  assert.is(tape.opName(0), null);
  assert.ok(tape.isNumericNode(0));
});

test("registerLeaf gives a Tensor leaf an object entry", () => {
  const tape = new Tape();
  const t = vec(1, 2);
  leaf(tape, t);
  assert.is(tape.code[0], LEAF_OBJ);
  assert.is(tape.ext.get(0)!.out, t);
  assert.not.ok(tape.isNumericNode(0));
});

test("a scalar binary op records operand nodes and the partials [y, x] of mul", () => {
  const tape = new Tape();
  const x = leaf(tape, 2);
  const y = leaf(tape, 5);
  const z = mul(x, y) as Var;
  assert.is(z.id, 2);
  assert.is(tape.length, 3);
  assert.is(tape.code[2], findOp("mul")!.id + FIRST_OP);
  assert.equal([tape.a[2], tape.b[2], tape.pa[2], tape.pb[2]], [0, 1, 5, 2]);
  assert.is(tape.opName(2), "mul");
});

test("a constant operand is not a node: its value sits in the free partial slot", () => {
  const tape = new Tape();
  const x = leaf(tape, 2);
  mul(x, 7);
  sub(10, x);
  assert.equal([tape.a[1], tape.b[1], tape.pa[1], tape.pb[1]], [0, CONST_SECOND, 7, 7]);
  assert.equal([tape.a[2], tape.b[2], tape.pa[2], tape.pb[2]], [0, CONST_FIRST, -1, 10]);
});

test("a unary op records one operand and its partial", () => {
  const tape = new Tape();
  const x = leaf(tape, 0.5);
  sin(x);
  assert.equal([tape.a[1], tape.b[1], tape.pa[1]], [0, UNARY, Math.cos(0.5)]);
});

test("tensor ops and ternary ops are extended entries with their operands and cached partials", () => {
  const tape = new Tape();
  const t = leaf(tape, vec(1, 2));
  const c = leaf(tape, 1);
  mul(t, 3);
  where(1, c, 4);
  assert.is(tape.code[2], EXT);
  const e = tape.ext.get(2)!;
  assert.is(e.op!.name, "mul");
  assert.equal(e.nodes, [0, -1]);
  assert.is(e.cache![0], 3);
  assert.is(tape.code[3], EXT);
  assert.equal(tape.ext.get(3)!.nodes, [-1, 1, -1]);
  assert.is(tape.opName(3), "where");
  assert.ok(tape.isNumericNode(3));
  assert.not.ok(tape.isNumericNode(2));
});

test("the tape grows past its capacity and keeps every entry: d/dx (2^60 x) = 2^60", () => {
  const tape = new Tape(2);
  const x = leaf(tape, 1);
  let y: Var = x;
  for (let k = 0; k < 60; k++) y = mul(y, 2) as Var;
  assert.is(tape.length, 61);
  assert.ok(tape.a.length >= 61);
  y.backward();
  assert.is(x.grad, 2 ** 60);
});

test("clear() starts a new generation: length 0, no leaves, handles become stale", () => {
  const tape = new Tape();
  const x = leaf(tape, 2);
  const y = mul(x, x) as Var;
  tape.addHook(1, () => undefined);
  tape.clear();
  assert.is(tape.gen, 1);
  assert.is(tape.length, 0);
  assert.equal(tape.leaves, []);
  assert.is(tape.hooks, null);
  assert.is(y.gradFn, "<freed>");
  assert.is(tape.toString(), "");
});

test("nodeOf re-registers a stale leaf in the current generation", () => {
  const tape = new Tape();
  const x = leaf(tape, 2);
  mul(x, x);
  tape.clear();
  const n = tape.nodeOf(x);
  assert.is(n, 0);
  assert.is(x.gen, 1);
  assert.is(tape.code[0], LEAF);
  const y = mul(x, 3) as Var;
  y.backward();
  assert.is(x.grad, 3);
});

test("nodeOf records a stale computed value as a freed node that toString shows", () => {
  const tape = new Tape();
  const x = leaf(tape, 2);
  const y = mul(x, x) as Var;
  tape.clear();
  const n = tape.nodeOf(y);
  assert.is(tape.code[n], DEAD);
  assert.is(tape.toString(), "%0 = freed value 4");
});

test("free(reached) marks the reached entries freed and keeps the others and their values", () => {
  const tape = new Tape();
  const x = leaf(tape, 2);
  const a = mul(x, 2) as Var;
  const b = mul(x, 3) as Var;
  tape.free(sweep(tape, [a.id], [1]).reached);
  assert.ok(tape.isFreed(a.id));
  assert.not.ok(tape.isFreed(b.id));
  assert.not.ok(tape.isFreed(x.id), "leaves are never freed");
  assert.is(tape.length, 3);
  assert.is(tape.codeAt(a.id), findOp("mul")!.id + FIRST_OP);
  assert.is(tape.opName(a.id), "mul");
  assert.is(a.gradFn, "<freed>");
  assert.is(b.gradFn, "mul");
  assert.equal(tape.toString().split("\n"), ["%0 = leaf 2", "%1 = mul(%0, 2)   partial 2   (freed)", "%2 = mul(%0, 3)   partial 3"]);
});

test("free() clears the tape once every recorded entry is freed", () => {
  const tape = new Tape();
  const x = leaf(tape, 2);
  const a = mul(x, 2) as Var;
  const b = mul(x, 3) as Var;
  tape.free(sweep(tape, [a.id], [1]).reached);
  assert.is(tape.gen, 0);
  tape.free(sweep(tape, [b.id], [1]).reached);
  assert.is(tape.gen, 1);
  assert.is(tape.length, 0);
});

test("a sweep through a freed entry throws GraphError naming retainGraph", () => {
  const tape = new Tape();
  const x = leaf(tape, 2);
  const y = mul(x, x) as Var;
  const z = mul(y, 3) as Var;
  tape.free(sweep(tape, [y.id], [1]).reached);
  assert.throws(() => sweep(tape, [z.id], [1]), (e: unknown) => e instanceof GraphError && /retainGraph/.test((e as Error).message));
});

test("addHook collects hooks per node in hooksMap()", () => {
  const tape = new Tape();
  const h1 = () => undefined;
  const h2 = () => 1;
  assert.is(tape.hooks, null);
  const list = tape.addHook(3, h1);
  tape.addHook(3, h2);
  assert.equal(list, [h1, h2]);
  assert.is(tape.hooksMap().get(3), list);
});

/** Runs `fn` with Float64Array allocation failing, as when the process is out of memory. */
function withoutFloat64Arrays(fn: () => void): void {
  const real = globalThis.Float64Array;
  globalThis.Float64Array = function () {
    throw new RangeError("Array buffer allocation failed");
  } as unknown as Float64ArrayConstructor;
  try {
    fn();
  } finally {
    globalThis.Float64Array = real;
  }
}

test("a failed allocation while the tape grows leaves it consistent: a later graph gets its gradient", () => {
  const tape = new Tape(4);
  const x = leaf(tape, 2);
  let y = x;
  while (tape.length < tape.capacity) y = mul(y, 1) as Var;
  const cap = tape.capacity;
  withoutFloat64Arrays(() => assert.throws(() => mul(y, 3), RangeError));
  assert.is(tape.capacity, cap);
  assert.is(tape.length, cap);
  assert.equal([tape.a.length, tape.b.length, tape.pa.length, tape.pb.length, tape.code.length], [cap, cap, cap, cap, cap]);
  const z = mul(x, 5) as Var;
  z.backward();
  assert.is(x.grad, 5);
});

test("an error while an extended entry is recorded takes no entry: the tape still prints and clears", () => {
  const tape = new Tape();
  const x = leaf(tape, vec(1, 2));
  let armed = false;
  const broken = defineOp({
    name: "tape_test_broken", arity: 1, value: (v) => v,
    partials: () => {
      if (armed) throw new Error("rule failed");
      return [1];
    },
  });
  armed = true;
  assert.throws(() => broken(x), /rule failed/);
  assert.is(tape.length, 1);
  assert.is(tape.toString(), "%0 = leaf Tensor[2] [1,2]");
  const gen = tape.gen;
  (mul(x, vec(3, 4)) as Var).backward(vec(1, 1));
  assert.equal(Array.from((x.grad as Tensor).data), [3, 4]);
  assert.is(tape.gen, gen + 1, "every recorded entry freed: the tape cleared");
});

test.run();
