/**
 * Packed branch decisions: the ifs of one tree (no loop between them) share
 * one pushed integer. Gradients are checked against the same programs in
 * dualtape ops (Var and Dual) and central differences; the generated sweep
 * is checked for how many integers it pushes.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { add, mul, sin, gt, type Lifted } from "../../lib/index.ts";
import { branchBits, MAX_BRANCH_BITS } from "../../lib/source/branch-bits.ts";
import type { Stmt } from "../../lib/source/ir.ts";
import { agreeOnGradient, sweepOf } from "../support/source.ts";

const X = Float64Array.from([0.3, -1.2, 0.8, 1.7, -0.4, 2.1, 0.9]);

const when = (then: Stmt[], otherwise: Stmt[] = []): Stmt => ({ k: "if", test: { k: "num", v: 1 }, then, else: otherwise });
const loop = (body: Stmt[]): Stmt => ({ k: "loop", id: 0, test: { k: "num", v: 1 }, body, update: [] });


test("branchBits counts the decisions of the longest path: nesting adds, siblings add, loops start afresh", () => {
  assert.is(branchBits([]), 0);
  assert.is(branchBits([when([when([when([])])])]), 3);
  assert.is(branchBits([when([when([]), when([])], [when([])])]), 3, "two in sequence in one branch, one in the other");
  assert.is(branchBits([when([]), when([])]), 2);
  assert.is(branchBits([when([loop([when([when([])])])])]), 1, "ifs in a loop are not in the tree");
  assert.is(MAX_BRANCH_BITS, 30);
});


// Three nested decisions per trip, a sibling pair, and an if inside an inner loop.
function nested(x: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (x[i]! > 0) {
      if (s > 1) {
        s = s * 0.5 + x[i]!;
      } else {
        if (x[i]! > 1) s = s + x[i]! * x[i]!;
        else s = s + Math.sin(x[i]!);
      }
      if (s > 2) s = s - x[i]!;
    } else {
      for (let j = 0; j < 2; j++) {
        if (s > 0) s = s * x[i]!;
      }
    }
  }
  return s;
}
function nestedOps(x: Lifted[], n: number): Lifted | number {
  let s: Lifted | number = 0;
  for (let i = 0; i < n; i++) {
    if (gt(x[i]!, 0)) {
      if (gt(s, 1)) {
        s = add(mul(s, 0.5), x[i]!);
      } else {
        if (gt(x[i]!, 1)) s = add(s, mul(x[i]!, x[i]!));
        else s = add(s, sin(x[i]!));
      }
      if (gt(s, 2)) s = add(s, mul(-1, x[i]!));
    } else {
      for (let j = 0; j < 2; j++) {
        if (gt(s, 0)) s = mul(s, x[i]!);
      }
    }
  }
  return s;
}

test("nested and sibling ifs share one pushed path per trip; an inner loop packs its own trips; gradients agree", () => {
  const sweep = sweepOf(nested);
  // One push at the end of the outer body, one at the end of the inner loop's body.
  assert.is(sweep.match(/\$is\[\$ip\+\+\] = \$p\d+;/g)?.length, 2, sweep);
  assert.not.match(sweep, /\$is\[\$ip\+\+\] = [01];/, "no decision pushed on its own");
  for (const n of [7, 4, 1]) agreeOnGradient(nested, nestedOps, X, [n]);
  agreeOnGradient(nested, nestedOps, X.map((v) => -v), [7]);
});

// A body whose path could record 32 decisions (more than a packed path holds): it falls
// back to one push per decision.
const DEPTH = 31;
const deepBody = [
  "let s = x[0];",
  "if (x[1] > 0) {",
  ...Array.from({ length: DEPTH }, (_, k) => `  if (s > ${(k % 5) * 0.2}) { s = s * x[${k % 7}] * 0.9 + 0.1; } else { s = s + x[${(k + 3) % 7}]; }`),
  "}",
  "return s;",
].join("\n");
const deep = new Function("x", "n", deepBody) as (x: Float64Array, n: number) => number;
function deepOps(x: Lifted[]): Lifted | number {
  let s: Lifted | number = x[0]!;
  if (gt(x[1]!, 0)) {
    for (let k = 0; k < DEPTH; k++) {
      if (gt(s, (k % 5) * 0.2)) s = add(mul(mul(s, x[k % 7]!), 0.9), 0.1);
      else s = add(s, x[(k + 3) % 7]!);
    }
  }
  return s;
}

test("a body deeper than a packed path holds pushes its decisions one by one: gradients still agree", () => {
  assert.match(sweepOf(deep), /\$is\[\$ip\+\+\] = 1;/);
  assert.is(branchBits([{ k: "if", test: { k: "num", v: 1 }, then: Array.from({ length: DEPTH }, () => when([])), else: [] }]), DEPTH + 1);
  const xs = Float64Array.from([0.5, 0.9, 1.01, 0.97, 1.02, 0.99, 1.0]);
  agreeOnGradient(deep, (x) => deepOps(x), xs, [0]);
  agreeOnGradient(deep, (x) => deepOps(x), xs.map((v, i) => (i === 1 ? v : -v * 0.3)), [0]);
});

test.run();
