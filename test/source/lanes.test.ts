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
  // flat: one row-major buffer, x's columns then a's, in every mode.
  const rows = Jx.map((r, i) => [...r, ...Ja[i]!]);
  for (const mode of ["forward", "reverse", "auto"] as const) {
    const flat = C.jacobian([x, a], { mode, flat: true }) as Float64Array;
    assert.ok(flat instanceof Float64Array && flat.length === 6 * 7, `${mode}: a Float64Array of m x (n + 1)`);
    closeMat(rows.map((_, i) => Array.from(flat.subarray(7 * i, 7 * i + 7))), rows);
  }
  assert.throws(() => C.jacobian([x, a], { flat: 1 } as never), /compile\(f\)\.jacobian: flat is number 1, not a boolean/);
  assert.throws(() => C.jacobian([x, a], { mdoe: "forward" } as never), /compile\(f\)\.jacobian: unknown option 'mdoe'; valid options are mode, flat/);
});

test("forward mode learns m from its first pass: no other pass runs", () => {
  let calls = 0;
  const exp = Math.exp;
  const f = (x: Float64Array) => [Math.exp(x[0]!) * x[1]!, x[2]! * x[3]! * x[4]!];
  const C = compile(f, { wrt: [0] });
  const x = Float64Array.from([0.1, 0.2, 0.3, 0.4, 0.5]);
  Math.exp = (v: number) => (calls++, exp(v));
  let J: number[][] = [];
  try {
    J = C.jacobian([x], { mode: "forward" }) as number[][];
  } finally {
    Math.exp = exp;
  }
  assert.is(calls, Math.ceil(5 / LANES), "one exp per forward pass");
  closeMat(J, [[exp(0.1) * 0.2, exp(0.1), 0, 0, 0], [0, 0, 0.4 * 0.5, 0.3 * 0.5, 0.3 * 0.4]]);
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

test("a function that overwrites its argument with a recurrence: each pass gets fresh tangents, as do jvp and sparse passes", () => {
  // x[i] depends on the x[i - 1] just written, so the pass writes tangents into every lane of x's tangent array.
  const f = (x: Float64Array, n: number) => {
    for (let i = 1; i < n; i++) x[i] = x[i] * x[i - 1] + Math.sin(x[i]);
    return [x[n - 1], x[2] * x[5]];
  };
  const n = 2 * LANES + 1;
  const C = compile(f, { wrt: [0] });
  const x = Float64Array.from({ length: n }, (_, i) => 0.1 * (i + 1));
  const central = (row: number, j: number) => {
    const h = 1e-6;
    const up = x.slice();
    const down = x.slice();
    up[j] += h;
    down[j] -= h;
    return ((f(up, n) as number[])[row]! - (f(down, n) as number[])[row]!) / (2 * h);
  };
  const numeric = [0, 1].map((row) => Array.from({ length: n }, (_, j) => central(row, j)));
  closeMat(C.jacobian([x, n], { mode: "forward" }) as number[][], numeric, 1e-8);
  closeMat(C.jacobian([x, n], { mode: "forward", sparse: true }) as number[][], numeric, 1e-8);
  closeMat(C.jacobian([x, n], { mode: "reverse" }) as number[][], numeric, 1e-8);
  const dir = Float64Array.from({ length: n }, (_, i) => (i === 3 ? 1 : 0));
  const tangent = C.jvp([x, n], [dir]).tangent as Float64Array;
  assert.equal([...dir], Array.from({ length: n }, (_, i) => (i === 3 ? 1 : 0)), "jvp leaves the caller's tangent as it was");
  assert.ok(Math.abs(tangent[0]! - numeric[0]![3]!) < 1e-8 && Math.abs(tangent[1]! - numeric[1]![3]!) < 1e-8);
  assert.equal([...x], Array.from({ length: n }, (_, i) => 0.1 * (i + 1)));
});

test("the lanes code computes each partial once for all lanes", () => {
  const C = compile((x: Float64Array) => [Math.sin(x[0] * x[1])], { wrt: [0] });
  // One Math.cos for the partial of sin, shared by the LANES tangent lines.
  const lanes = C.source.split("\n\n").find((part) => part.includes(`$d${LANES - 1}`) || part.includes(`* ${LANES} + ${LANES - 1}`));
  assert.ok(lanes !== undefined, "the lanes function is in source");
  assert.is(lanes!.match(/Math\.cos/g)?.length, 1);
});

test("'auto' counts forward passes of LANES directions, and one forward sweep for all rows", () => {
  const at = (n: number, m: number) => chooseMode(n, m).mode;
  for (let m = 1; m <= 60; m++) {
    // n = LANES inputs cost one pass, like n = 1; LANES + 1 cost two, like 2 LANES.
    assert.is(at(LANES, m), at(1, m), `${LANES} x ${m}`);
    assert.is(at(LANES + 1, m), at(2 * LANES, m), `${LANES + 1} x ${m}`);
  }
  // More outputs never make reverse cheaper; more inputs never make forward cheaper.
  for (const n of [1, 5, 40, 400]) {
    const modes = Array.from({ length: 200 }, (_, m) => at(n, m + 1));
    assert.ok(modes.indexOf("forward") === -1 || modes.slice(modes.indexOf("forward")).every((x) => x === "forward"), `n = ${n}`);
  }
  for (const m of [1, 3, 40]) {
    const modes = Array.from({ length: 400 }, (_, n) => at(n + 1, m));
    assert.ok(modes.indexOf("reverse") === -1 || modes.slice(modes.indexOf("reverse")).every((x) => x === "reverse"), `m = ${m}`);
  }
  assert.is(at(1000, 1), "reverse");
  assert.is(at(1, 1000), "forward");
  const { reason } = chooseMode(LANES + 1, 2);
  assert.match(reason, new RegExp(`2 forward passes of ${LANES} directions x ${COMPILED_COST.forward}`));
  assert.match(reason, new RegExp(`one forward sweep \\(${COMPILED_COST.sweep}\\) and 2 outputs x ${COMPILED_COST.row}`));
});

test.run();
