import { test } from "uvu";
import * as assert from "uvu/assert";
import { candidateSteps, firstMinimum, withSharedRounding, roundingError } from "../../lib/check/steps.ts";

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

test("firstMinimum skips flat estimates (both sides equal) when another step saw f change, and keeps them when none did", () => {
  const e = (value: number, error: number, flat: number) => ({ value: Float64Array.of(value), error: Float64Array.of(error), flat: Uint8Array.of(flat) });
  // Below f's resolution the difference vanished: 0 with a tiny claimed error, under a real slope of -1.
  assert.equal(Array.from(firstMinimum([e(0, 1e-30, 1), e(0, 1e-40, 1), e(-1, 1e-11, 0)])), [-1]);
  // Every step flat: the slope is 0 (cos at 0, x² at 0).
  assert.equal(Array.from(firstMinimum([e(0, 1e-30, 1), e(0, 1e-12, 1)])), [0]);
  // Per element: the flag of one output does not affect another.
  const two = (v: number[], err: number[], flat: number[]) => ({ value: Float64Array.from(v), error: Float64Array.from(err), flat: Uint8Array.from(flat) });
  assert.equal(Array.from(firstMinimum([two([0, 1], [1e-30, 1e-12], [1, 0]), two([-1, 1], [1e-11, 1e-10], [0, 0])])), [-1, 1]);
});

test("withSharedRounding charges each estimate's smallest step with rounding at the largest |f| any step saw", () => {
  const est = (error: number, scale: number, step: number) => ({ value: Float64Array.of(1), error: Float64Array.of(error), scale: Float64Array.of(scale), step });
  // A narrow step saw |f| ~ 1e-17 (a cancellation); a wide one saw 1e-3.
  const [narrow, wide] = withSharedRounding([est(1e-40, 1e-17, 1e-17), est(1e-11, 1e-3, 1e-4)]);
  assert.is(narrow!.error[0], 1e-40 + roundingError(1e-3, 1e-17), "the narrow step's claim now carries the wide scale");
  assert.is(wide!.error[0], 1e-11 + roundingError(1e-3, 1e-4));
  assert.ok(narrow!.error[0]! > wide!.error[0]!, "so the wide step wins");
  // Estimates without a step (a caller-given h) pass through unchanged.
  const plain = { value: Float64Array.of(2), error: Float64Array.of(3) };
  assert.is(withSharedRounding([plain])[0], plain);
});

test.run();
