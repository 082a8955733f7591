/**
 * The elementwise ops of lib/ops/exponential.ts: the generic checks of
 * test/support/scalar-rules.ts against the hand-derived formulas below.
 */
import { test } from "uvu";
import { exp, expm1, log, log10, log1p, log2 } from "../../lib/index.ts";
import * as exponential from "../../lib/ops/exponential.ts";
import { scalarRuleTests } from "../support/scalar-rules.ts";

const LN2 = Math.log(2);
const LN10 = Math.log(10);

scalarRuleTests("exponential", exponential, {
  exp: { fn: exp, value: Math.exp, d1: Math.exp, at: [-2, 0, 3] },
  expm1: { fn: expm1, value: Math.expm1, d1: Math.exp, at: [-2, 1e-9, 3] },
  log: { fn: log, value: Math.log, d1: (x) => 1 / x, at: [0.1, 1, 7] },
  log1p: { fn: log1p, value: Math.log1p, d1: (x) => 1 / (1 + x), at: [-0.5, 1e-9, 7] },
  log2: { fn: log2, value: Math.log2, d1: (x) => 1 / (x * LN2), at: [0.1, 1, 8] },
  log10: { fn: log10, value: Math.log10, d1: (x) => 1 / (x * LN10), at: [0.1, 1, 1000] },
}, {});

test.run();
