import { test } from "uvu";
import * as assert from "uvu/assert";
import { erfValue } from "../../lib/ops/special.ts";

// Reference values: published tables of erf (Abramowitz & Stegun 7.1, to double precision).
const KNOWN: [number, number][] = [
  [0.1, 0.1124629160182849],
  [0.5, 0.5204998778130465],
  [1, 0.8427007929497149],
  [1.5, 0.9661051464753108],
  [2, 0.9953222650189527],
  [2.5, 0.999593047982555],
  [2.9, 0.9999589021219005],
  [3, 0.9999779095030014],
  [3.5, 0.9999992569016276],
  [4, 0.9999999845827421],
  [5, 0.9999999999984626],
];

function rel(got: number, want: number): number {
  return Math.abs(got - want) / Math.abs(want);
}

test("erfValue(x) matches the published values to 1e-15 relative on both sides of the series / continued fraction switch", () => {
  for (const [x, want] of KNOWN) {
    assert.ok(rel(erfValue(x), want) <= 1e-15, `erf(${x}) = ${erfValue(x)}, want ${want}`);
  }
});

test("erfValue is odd: erf(-x) = -erf(x)", () => {
  for (const [x] of KNOWN) assert.is(erfValue(-x), -erfValue(x));
  assert.ok(rel(erfValue(-1), -0.8427007929497149) <= 1e-15);
});

test("erfValue(0) = 0 and erf(x) ~ 2x/sqrt(pi) for tiny x", () => {
  assert.is(erfValue(0), 0);
  const x = 1e-10;
  assert.ok(rel(erfValue(x), (2 / Math.sqrt(Math.PI)) * x) <= 1e-15);
});

test("1 - erfValue(x) keeps the tail erfc(x) for x >= 3", () => {
  // erfc(3.5) = 7.430983723414128e-07, erfc(5) = 1.5374597944280351e-12 (published).
  assert.ok(Math.abs(1 - erfValue(3.5) - 7.430983723414128e-7) <= 2e-16);
  assert.ok(Math.abs(1 - erfValue(5) - 1.5374597944280351e-12) <= 2e-16);
});

test("erfValue is continuous and increasing across x = 3", () => {
  const below = erfValue(3 - 1e-12);
  const at = erfValue(3);
  const above = erfValue(3 + 1e-12);
  assert.ok(below <= at && at <= above, `${below} ${at} ${above}`);
  assert.ok(above - below < 1e-15);
});

test("erfValue saturates at +-1 and keeps NaN", () => {
  assert.is(erfValue(6), 1);
  assert.is(erfValue(30), 1);
  assert.is(erfValue(Infinity), 1);
  assert.is(erfValue(-Infinity), -1);
  assert.ok(Number.isNaN(erfValue(NaN)));
});

test("erfValue stays within [-1, 1] and is non-decreasing on a fine grid", () => {
  let prev = -1;
  for (let x = -7; x <= 7; x += 0.01) {
    const v = erfValue(x);
    assert.ok(v >= prev && v <= 1 && v >= -1, `at ${x}: ${v} after ${prev}`);
    prev = v;
  }
});

test.run();
