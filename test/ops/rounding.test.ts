/**
 * The elementwise ops of lib/ops/rounding.ts: the generic checks of
 * test/support/scalar-rules.ts against the hand-derived formulas below, and
 * each op's convention at its jumps.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ceil, floor, fmod, round, trunc } from "../../lib/index.ts";
import * as rounding from "../../lib/ops/rounding.ts";
import { scalarRuleTests, fwd, rev, gradAt, type U, type B } from "../support/scalar-rules.ts";

scalarRuleTests("rounding", rounding, {
  floor: { fn: floor, value: Math.floor, d1: () => 0, at: [-2.5, 0.3, 3.7] },
  ceil: { fn: ceil, value: Math.ceil, d1: () => 0, at: [-2.5, 0.3, 3.7] },
  round: { fn: round, value: Math.round, d1: () => 0, at: [-2.3, 0.3, 3.7] },
  trunc: { fn: trunc, value: Math.trunc, d1: () => 0, at: [-2.5, 0.3, 3.7] },
}, {
  fmod: { fn: fmod, value: (a, b) => a % b, d: (a, b) => [1, -Math.trunc(a / b)], at: [[7.5, 2], [-3.3, 1.5], [0.5, 4]] },
});

test("floor, ceil, round and trunc have derivative 0 at their jumps too", () => {
  for (const f of [floor, ceil, trunc] as U[]) {
    assert.is(fwd(f, 2), 0);
    assert.is(rev(f, 2), 0);
  }
  assert.is(fwd(round as U, 2.5), 0);
});

test("fmod(a, b) is a % b (sign of a); partials 1 and -trunc(a / b) between jumps", () => {
  assert.is(fmod(-7.5, 2), -1.5);
  assert.equal(gradAt(fmod as B, -7.5, 2), [1, 3]);
});

test.run();
