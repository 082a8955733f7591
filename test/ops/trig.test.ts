/**
 * The elementwise ops of lib/ops/trig.ts: the generic checks of
 * test/support/scalar-rules.ts against the hand-derived formulas below, and
 * each op's convention where it is not smooth.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { acos, acosh, asin, asinh, atan, atan2, atanh, cos, cosh, sin, sinh, tan, tanh } from "../../lib/index.ts";
import * as trig from "../../lib/ops/trig.ts";
import { scalarRuleTests, gradAt, type B } from "../support/scalar-rules.ts";

scalarRuleTests("trig", trig, {
  sin: { fn: sin, value: Math.sin, d1: Math.cos, at: [-2, 0, 3] },
  cos: { fn: cos, value: Math.cos, d1: (x) => -Math.sin(x), at: [-2, 0.5, 3] },
  tan: { fn: tan, value: Math.tan, d1: (x) => 1 / Math.cos(x) ** 2, at: [-1.2, 0, 0.7] },
  asin: { fn: asin, value: Math.asin, d1: (x) => 1 / Math.sqrt(1 - x * x), at: [-0.9, 0, 0.5] },
  acos: { fn: acos, value: Math.acos, d1: (x) => -1 / Math.sqrt(1 - x * x), at: [-0.9, 0, 0.5] },
  atan: { fn: atan, value: Math.atan, d1: (x) => 1 / (1 + x * x), at: [-3, 0, 0.5] },
  sinh: { fn: sinh, value: Math.sinh, d1: Math.cosh, at: [-2, 0, 3] },
  cosh: { fn: cosh, value: Math.cosh, d1: Math.sinh, at: [-2, 0.5, 3] },
  tanh: { fn: tanh, value: Math.tanh, d1: (x) => 1 / Math.cosh(x) ** 2, at: [-2, 0, 3] },
  asinh: { fn: asinh, value: Math.asinh, d1: (x) => 1 / Math.sqrt(x * x + 1), at: [-2, 0, 3] },
  acosh: { fn: acosh, value: Math.acosh, d1: (x) => 1 / Math.sqrt(x * x - 1), at: [1.5, 2, 5] },
  atanh: { fn: atanh, value: Math.atanh, d1: (x) => 1 / (1 - x * x), at: [-0.9, 0, 0.5] },
}, {
  atan2: {
    fn: atan2, value: Math.atan2, d: (y, x) => [x / (x * x + y * y), -y / (x * x + y * y)], at: [[1, 2], [-1.5, 0.5], [2, -1]],
  },
});

test("atan2 at the origin has NaN partials (no limit there)", () => {
  const [dy, dx] = gradAt(atan2 as B, 0, 0);
  assert.ok(Number.isNaN(dy!) && Number.isNaN(dx!));
});

test.run();
