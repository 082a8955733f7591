/**
 * Sets of directions, the sparsity pass's tangents past SETS_FROM inputs:
 * unions by hand, the operand returned itself when it holds the others,
 * and the limit past which the pass gives up.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { unionOfSets, SET_LIMIT, TooDense } from "../../lib/source/direction-sets.ts";

test("unionOfSets: sorted unions, 0 as the empty set", () => {
  assert.equal(unionOfSets([1, 4], 0, [2, 4]), [1, 2, 4]);
  assert.equal(unionOfSets([5], [0], [3, 9]), [0, 3, 5, 9]);
  assert.is(unionOfSets(0, 0), 0);
  assert.is(unionOfSets(), 0);
});

test("unionOfSets returns an operand that holds all the others itself (no new array)", () => {
  const big = [1, 2, 3, 7];
  assert.is(unionOfSets(big, [2, 7]), big);
  assert.is(unionOfSets([3], big), big);
  assert.is(unionOfSets(big, big), big);
});

test("a union past SET_LIMIT columns throws TooDense", () => {
  const full = Array.from({ length: SET_LIMIT }, (_, j) => j);
  assert.is(unionOfSets(full, [5]), full, "at the limit: fine");
  assert.throws(() => unionOfSets(full, [SET_LIMIT]), (e: unknown) => e instanceof TooDense && /more than 2048 inputs/.test((e as Error).message));
});

test.run();
