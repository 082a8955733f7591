import { test } from "uvu";
import * as assert from "uvu/assert";
import { fitAxis, formatTick, formatCount } from "../../bench/lib/axis.ts";

test("fitAxis(log) spans whole decades and places 10^k at k / decades", () => {
  const ax = fitAxis([3, 4000], "log");
  assert.is(ax.min, 1);
  assert.is(ax.max, 1e4);
  // log10(100) = 2 of the 4 decades from 10^0 to 10^4
  assert.ok(Math.abs(ax.unit(100) - 0.5) < 1e-12);
  assert.ok(Math.abs(ax.unit(3) - Math.log10(3) / 4) < 1e-12);
  assert.equal(ax.ticks.filter((t) => t.major).map((t) => t.label), ["1", "10", "100", "1000", "10⁴"]);
  // 8 minor ticks (2..9) in each of the 4 decades, unlabelled when the axis spans more than 2 decades
  assert.is(ax.ticks.filter((t) => !t.major).length, 32);
  assert.ok(ax.ticks.filter((t) => !t.major).every((t) => t.label === ""));
});

test("fitAxis(log) labels 2 and 5 when it spans at most two decades, and widens a single decade", () => {
  const ax = fitAxis([20, 30], "log");
  assert.is(ax.min, 10);
  assert.is(ax.max, 100);
  assert.equal(ax.ticks.filter((t) => t.label !== "").map((t) => t.value), [10, 20, 50, 100]);
});

test("fitAxis(log) ignores values it cannot show (zero, negative, non-finite) and refuses an empty set", () => {
  assert.is(fitAxis([0, -1, 5, NaN, 50], "log").min, 1);
  assert.throws(() => fitAxis([0, -2], "log"), /no value/);
});

test("fitAxis(linear) rounds out to steps of 1, 2 or 5 times a power of ten", () => {
  const ax = fitAxis([0, 37], "linear");
  assert.is(ax.min, 0);
  assert.is(ax.max, 40);
  assert.equal(ax.ticks.map((t) => t.value), [0, 10, 20, 30, 40]);
  assert.ok(Math.abs(ax.unit(10) - 0.25) < 1e-12);
  const small = fitAxis([0.13, 0.61], "linear");
  assert.equal(small.ticks.map((t) => t.value), [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
});

test("formatTick writes plain numbers in range, powers of ten as superscripts, the rest in exponent form", () => {
  assert.is(formatTick(0), "0");
  assert.is(formatTick(100), "100");
  assert.is(formatTick(0.25), "0.25");
  assert.is(formatTick(1e6), "10⁶");
  assert.is(formatTick(1e-5), "10⁻⁵");
  assert.is(formatTick(3e5), "3.0e+5");
});

test("formatCount uses k and M suffixes", () => {
  assert.is(formatCount(999), "999");
  assert.is(formatCount(250000), "250k");
  assert.is(formatCount(1048575), "1.049M");
});

test.run();
