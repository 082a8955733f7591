/**
 * The timing helpers' bookkeeping, on a clock the test drives: each call
 * advances it by a fixed amount, so the expected medians and ratios are
 * known exactly (no real time is measured).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { measure, compare, alternate } from "../../bench/lib/timing.ts";

/** A fake clock and calls that advance it by `cost` ms each, returning their call count. */
function fakeClock() {
  let now = 0;
  const clock = () => now;
  const call = (cost: number) => {
    let calls = 0;
    return () => { now += cost; return ++calls; };
  };
  return { clock, call };
}

test("measure: the median ms per call on the given clock", () => {
  const { clock, call } = fakeClock();
  assert.is(measure(call(0.5), { clock }).ms, 0.5);
});

test("alternate: the per-round ratio, both medians and the last result of the measured call", () => {
  const { clock, call } = fakeClock();
  const a = alternate(call(0.3), call(0.1), { clock });
  assert.ok(Math.abs(a.ratio - 3) < 1e-9, `ratio ${a.ratio}`);
  assert.ok(Math.abs(a.ms - 0.3) < 1e-12 && Math.abs(a.baseMs - 0.1) < 1e-12, `${a.ms} ${a.baseMs}`);
  assert.ok(a.samples >= 5, "at least minSamples rounds");
  assert.type(a.result, "number");
  assert.ok((a.result as number) > 1, "the measured call's own count, from its last batch");
});

test("alternate: a call of separateMs or more is timed by compare (between two timings of the baseline)", () => {
  const { clock, call } = fakeClock();
  const a = alternate(call(30), call(10), { clock, separateMs: 20 });
  const c = compare(call(30), call(10), { clock });
  assert.is(a.ratio, c.ratio);
  assert.is(a.ratio, 3);
  assert.is(a.samples, c.samples);
});

test.run();
