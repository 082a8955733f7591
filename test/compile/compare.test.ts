/**
 * The guarded comparisons gt, ge, lt, le and eq: outside compileGrad they
 * compare primal values; they refuse a Tensor of more than one element.
 * (Their guards inside compileGrad are tested in compile-grad.test.ts.)
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { gt, ge, lt, le, eq, sub, dual, variable, tensor, TypeMismatchError } from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";

test("guarded comparisons outside compileGrad simply compare primal values", () => {
  assert.ok(gt(2, 1));
  assert.not.ok(lt(2, 1));
  assert.ok(gt(sub(3, 1), 1));
});

test("gt, ge, lt, le and eq compare the primal values of Duals, Vars and one-element Tensors", () => {
  assert.equal([gt(dual(2, 5), 2), ge(dual(2, 5), 2), lt(variable(1), 2), le(variable(2), 2), eq(tensor([3]), 3)], [false, true, true, true, true]);
});

test("gt of a Tensor of two elements throws TypeMismatchError: it is not a scalar", () => {
  throwsKind(() => gt(tensor([1, 2]), 0), TypeMismatchError, "gt", /not a scalar/);
});

test.run();
