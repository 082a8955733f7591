/**
 * Printing: String(x), console.log(x) and util.inspect(x) of Tensor, Dual and
 * Var give one short line; expected strings are written out by hand.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { inspect } from "node:util";
import { tensor, arange, zeros, variable, dual, mul, sum, Tensor, Var, Dual } from "../../lib/index.ts";

test("String(tensor) prints NaN, Infinity, -Infinity and -0 as such (not null)", () => {
  assert.is(String(tensor([NaN, Infinity, -Infinity, -0, 1.5])), "Tensor[5] [NaN,Infinity,-Infinity,-0,1.5]");
});

test("a tensor of at most 24 elements prints every element; a 0-d tensor prints its number", () => {
  assert.is(String(tensor([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16], [17, 18, 19, 20], [21, 22, 23, 24]])),
    "Tensor[6,4] [[1,2,3,4],[5,6,7,8],[9,10,11,12],[13,14,15,16],[17,18,19,20],[21,22,23,24]]");
  assert.is(String(tensor(7)), "Tensor[] 7");
});

test("a large tensor prints the first and last 3 of each long axis around ...", () => {
  assert.is(String(arange(100)), "Tensor[100] [0,1,2,...,97,98,99]");
  const t = arange(70).reshape([7, 10]) as Tensor;
  assert.is(String(t), "Tensor[7,10] [[0,1,2,...,7,8,9],[10,11,12,...,17,18,19],[20,21,22,...,27,28,29],...,"
    + "[40,41,42,...,47,48,49],[50,51,52,...,57,58,59],[60,61,62,...,67,68,69]]");
  // short axes of a large tensor are not cut
  assert.is(String(zeros([25, 2])).split("...").length, 2);
});

test("util.inspect and console.log of a Tensor show its summary, not its fields", () => {
  const t = tensor([1, 2]);
  assert.is(inspect(t), "Tensor[2] [1,2]");
  assert.is(inspect({ t }), "{ t: Tensor[2] [1,2] }");
});

test("util.inspect(var) shows value, shape and gradFn, never the tape", () => {
  const x = variable(arange(30));
  const y = mul(x, 2);
  assert.is(inspect(y), "Var(Tensor[30] [0,2,4,...,54,56,58], gradFn=mul)");
  assert.is(inspect(x), "Var(Tensor[30] [0,1,2,...,27,28,29])");
  const s = sum(y) as Var;
  assert.is(inspect([s]), "[ Var(870, gradFn=sum) ]");
  assert.not.match(inspect({ s }, { depth: 10 }), /tape|Float64Array/i);
});

test("String(var) of a leaf shows its grad once it has one; a Var that records nothing says so", () => {
  const x = variable(2);
  mul(x, 3).backward();
  assert.is(String(x), "Var(2, grad=3)");
  assert.is(String(variable(1, { requiresGrad: false })), "Var(1, requiresGrad=false)");
  assert.is(String(variable(NaN)), "Var(NaN)");
});

test("util.inspect(dual) shows value and tangent, tensors with their shapes", () => {
  assert.is(inspect(dual(2, 1)), "Dual(2, 1)");
  assert.is(inspect(dual(tensor([NaN, Infinity]), tensor([1, -0]))), "Dual(Tensor[2] [NaN,Infinity], Tensor[2] [1,-0])");
  assert.is(inspect(dual(-Infinity, [1, NaN])), "Dual(-Infinity, [1, NaN])");
});

test("the classes carry their public names", () => {
  assert.is(Tensor.name, "Tensor");
  assert.is(Var.name, "Var");
  assert.is(Dual.name, "Dual");
});

test.run();
