/**
 * Jacobians by forward mode in chunks of LANES directions: the columns
 * agree with hand-derived Jacobians and with reverse mode (rows), for
 * direction counts that do not fill the last chunk, several wrt entries of
 * both kinds, loops, branches and arrays the function overwrites.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile } from "../../lib/index.ts";
import { LANES } from "../../lib/source/lanes.ts";
import { chooseMode, COMPILED_COST } from "../../lib/source/jacobian.ts";
import { closeMat } from "../support/close.ts";

test("n = 2 LANES + 1 inputs, 3 outputs: forward columns equal the hand Jacobian and the reverse rows", () => {
  const n = 2 * LANES + 1;
  const f = (x: Float64Array, n: number) => {
    let s = 0;
    let p = 1;
    let q = 0;
    for (let i = 0; i < n; i++) {
      s += x[i] * x[i];
      if (i % 2 === 0) p *= Math.sin(x[i]);
      q += Math.exp(-x[i]) * (i + 1);
    }
    return [s, p, q];
  };
  const C = compile(f, { wrt: [0] });
  const x = Float64Array.from({ length: n }, (_, i) => 0.3 + 0.1 * i);
  const evens = [...x].filter((_, i) => i % 2 === 0);
  const prod = evens.reduce((a, b) => a * Math.sin(b), 1);
  const want = [
    [...x].map((v) => 2 * v),
    [...x].map((v, i) => (i % 2 === 0 ? (prod / Math.sin(v)) * Math.cos(v) : 0)),
    [...x].map((v, i) => -Math.exp(-v) * (i + 1)),
  ];
  closeMat(C.jacobian([x, n], { mode: "forward" }) as number[][], want);
  closeMat(C.jacobian([x, n], { mode: "reverse" }) as number[][], want);
});

test("several wrt entries (an array and a number) share chunks", () => {
  // y_i = a * x_i^2 + x_{i-1} for i >= 1, y_0 = a * x_0^2.
  const f = (x: Float64Array, a: number) => {
    const y = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) y[i] = a * x[i] * x[i] + (i > 0 ? x[i - 1] : 0);
    return y;
  };
  const C = compile(f, { wrt: [0, 1] });
  const x = Float64Array.from([1, -2, 0.5, 3, 0.25, -1]);
  const a = 0.7;
  const Jx = [...x].map((_, i) => [...x].map((v, j) => (i === j ? 2 * a * v : j === i - 1 ? 1 : 0)));
  const Ja = [...x].map((v) => [v * v]);
  const [fx, fa] = C.jacobian([x, a], { mode: "forward" }) as number[][][];
  closeMat(fx, Jx);
  closeMat(fa, Ja);
  const [rx, ra] = C.jacobian([x, a], { mode: "reverse" }) as number[][][];
  closeMat(rx, Jx);
  closeMat(ra, Ja);
});

test("a function that overwrites its argument: every chunk starts from the caller's values", () => {
  const f = (x: Float64Array) => {
    for (let i = 0; i < x.length; i++) x[i] = x[i] * x[i];
    return [x[0] + x[x.length - 1], x[1] * x[2]];
  };
  const C = compile(f, { wrt: [0] });
  const x = Float64Array.from([1, 2, 3, 4, 5, 6]);
  closeMat(C.jacobian([x], { mode: "forward" }) as number[][], [[2, 0, 0, 0, 0, 12], [0, 2 * 2 * 9, 2 * 3 * 4, 0, 0, 0]]);
  assert.equal([...x], [1, 2, 3, 4, 5, 6]);
});

test("the lanes code computes each partial once for all lanes", () => {
  const C = compile((x: Float64Array) => [Math.sin(x[0] * x[1])], { wrt: [0] });
  // One Math.cos for the partial of sin, shared by the LANES tangent lines.
  const lanes = C.source.split("\n\n").find((part) => part.includes(`$d${LANES - 1}`) || part.includes(`* ${LANES} + ${LANES - 1}`));
  assert.ok(lanes !== undefined, "the lanes function is in source");
  assert.is(lanes!.match(/Math\.cos/g)?.length, 1);
});

test("'auto' counts forward passes of LANES directions: n = LANES inputs cost one pass", () => {
  // ceil(n / LANES) * forward against m * reverse, from the measured constants.
  const at = (n: number, m: number) => chooseMode(n, m).mode;
  const passes = (n: number) => Math.ceil(n / LANES);
  for (const [n, m] of [[LANES, 2], [LANES + 1, 2], [40, 3], [40, 100], [1, 1], [1000, 1]]) {
    assert.is(at(n, m), passes(n) * COMPILED_COST.forward <= m * COMPILED_COST.reverse ? "forward" : "reverse", `${n} x ${m}`);
  }
  // One pass covers LANES inputs: with m = 2 outputs, LANES inputs go forward when one pass is cheaper than two reverse passes.
  assert.is(at(LANES, 2), COMPILED_COST.forward <= 2 * COMPILED_COST.reverse ? "forward" : "reverse");
  assert.match(chooseMode(LANES + 1, 2).reason, new RegExp(`2 forward passes of ${LANES} directions`));
});

test.run();
