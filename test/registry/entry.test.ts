import { test } from "uvu";
import * as assert from "uvu/assert";
import { dual, variable, tensor, findOp, defineOp, sin, add, Dual, Tensor, TypeMismatchError, type Var } from "../../lib/index.ts";
import { apply } from "../../lib/registry/op.ts";
import { makeEntry } from "../../lib/registry/entry.ts";

const mulOp = findOp("mul")!;
const sinOp = findOp("sin")!;

// Generated, or its closure twin under DUALTAPE_NO_CODEGEN=1 (scripts/test.mjs runs this file both ways).
test("makeEntry: a binary entry multiplies numbers, Duals (tangent y·dx), Vars (grad y) and Tensors", () => {
  const f = makeEntry(2, (a: number, b: number) => a * b, { op: mulOp }, apply);
  assert.is(f(3, 4), 12);
  const d = f(dual(3), 4) as Dual;
  assert.is(d.value, 12);
  assert.is(d.tangent, 4);
  const x = variable(3);
  (f(2, x) as Var).backward();
  assert.is(x.grad, 2);
  assert.equal((f(tensor([1, 2]), 3) as Tensor).toArray(), [3, 6]);
});

test("makeEntry: a unary entry applies sin to a number and differentiates a Dual (cos 0 = 1)", () => {
  const f = makeEntry(1, Math.sin, { op: sinOp }, apply);
  assert.is(f(0), 0);
  assert.is((f(dual(0)) as Dual).tangent, 1);
});

// Too many arguments: the entry checks one extra parameter (not `arguments`).
test("sin(1, 2) throws TypeMismatchError (sin takes one argument), as a custom structural op called with too many does", () => {
  assert.throws(() => (sin as unknown as (...a: number[]) => number)(1, 2), (e: unknown) => e instanceof TypeMismatchError);
});

test("add(1, 2, 3) throws TypeMismatchError instead of returning 3", () => {
  assert.throws(() => (add as unknown as (...a: number[]) => number)(1, 2, 3), (e: unknown) => e instanceof TypeMismatchError);
});

test("a defineOp elementwise op of arity 1 called with two arguments throws TypeMismatchError", () => {
  const twice = defineOp({ name: "entry_twice", arity: 1, value: (x) => 2 * x, partials: () => [2] });
  assert.throws(() => (twice as unknown as (...a: number[]) => number)(1, 5), (e: unknown) => e instanceof TypeMismatchError);
});

test.run();
