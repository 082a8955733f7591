import { test } from "uvu";
import * as assert from "uvu/assert";
import { candidateSteps, firstMinimum } from "../../lib/check/steps.ts";

const SCALE = Math.cbrt(Number.EPSILON);

test("candidateSteps(x, s, k) runs from s max(1, |x|) down to s min(1, |x|), largest first, at most 8", () => {
  for (const x of [0, 0.5, 3, 1e6, -1e6, 1e-300, 1e300]) {
    const steps = candidateSteps(x, SCALE, 2);
    assert.ok(steps.length >= 1 && steps.length <= 8, `${x}: ${steps.length} steps`);
    steps.forEach((h, k) => k > 0 && assert.ok(h < steps[k - 1]!, `${x}: decreasing`));
    assert.ok(Math.abs(steps[0]! - SCALE * Math.max(1, Math.abs(x))) <= 1e-12 * steps[0]!, `${x}: top`);
    // Every step keeps x ± h/k resolvable: at least 4 ulps of x.
    for (const h of steps) assert.ok(x + h / 2 !== x && x - h / 2 !== x, `${x}: step ${h} resolvable`);
  }
  assert.is(candidateSteps(1e-300, SCALE, 2).at(-1), SCALE * 1e-300);
  assert.is(candidateSteps(1e6, SCALE, 2).at(-1), SCALE);
  assert.equal(candidateSteps(0, SCALE, 2), [SCALE]);
});

test("firstMinimum walks up from the smallest step and stops after the first minimum, skipping a spuriously small estimate further up", () => {
  const e = (value: number, error: number) => ({ value: Float64Array.of(value), error: Float64Array.of(error) });
  // Rounding-dominated, then the minimum, then truncation grows; the widest step aliases (tiny error, wrong value).
  assert.equal(Array.from(firstMinimum([e(1.1, 1e-6), e(1.0, 1e-10), e(0.9, 1e-5), e(0.0, 1e-12)])), [1.0]);
  // NaN below (a step left f's domain) is skipped until a finite estimate is found.
  assert.equal(Array.from(firstMinimum([e(NaN, 1), e(2, 1e-9), e(NaN, 1), e(7, 1e-20)])), [2]);
  assert.ok(Number.isNaN(firstMinimum([e(NaN, 1), e(NaN, 1)])[0]!));
});

test.run();
