/**
 * Scatter into-entries: gradients added at given positions, by the fused
 * pass's scattered variant and by the two-sweep path (more cotangents than
 * one fused pass takes), checked against the plain gradients placed by
 * hand; the source rewrite; and every refusal's message.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile, scatter, DualtapeError } from "../../lib/index.ts";
import { scatteredSource } from "../../lib/source/scatter-into.ts";
import { throwsKind } from "../support/errors.ts";

function pairs(x: Float64Array, n: number): Float64Array {
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    out[2 * i] = x[i]! * Math.sin(x[i]!);
    out[2 * i + 1] = x[i]! * x[(i + 1) % n]!;
  }
  return out;
}

const X = Float64Array.from([0.3, -1.2, 0.8, 1.7, -0.4]);
const N = X.length;
const EVEN = Float64Array.from({ length: 2 * N }, (_, k) => (k % 2 === 0 ? 1 : 0));
const ODD = Float64Array.from({ length: 2 * N }, (_, k) => (k % 2 === 1 ? 1 : 0));
/** Row block j of a 2 x N Jacobian laid out [even row entries, odd row entries] per input, interleaved: 2j and 2j + 1. */
const AT_EVEN = Int32Array.from({ length: N }, (_, j) => 2 * j);
const AT_ODD = Int32Array.from({ length: N }, (_, j) => 2 * j + 1);

test("two scatters into one array: each gradient lands at its positions, added to what the array held", () => {
  const R = compile(pairs, { wrt: [0] });
  const [ge, go] = R.pullbacks([X, N], [EVEN, ODD]) as Float64Array[];
  const vals = new Float64Array(2 * N).fill(1);
  const got = R.pullbacks([X, N], [EVEN, ODD], [scatter(vals, AT_EVEN), scatter(vals, AT_ODD)]) as Float64Array[];
  assert.is(got[0], vals);
  assert.is(got[1], vals);
  // Each entry's terms are added into the 1 one by one: equal to 1 + the gradient up to rounding.
  for (let j = 0; j < N; j++) {
    assert.ok(Math.abs(vals[2 * j]! - (1 + ge![j]!)) <= 1e-15 * (1 + Math.abs(ge![j]!)), `even row, input ${j}`);
    assert.ok(Math.abs(vals[2 * j + 1]! - (1 + go![j]!)) <= 1e-15 * (1 + Math.abs(go![j]!)), `odd row, input ${j}`);
  }
});

test("positions shared by two cotangents add up; three cotangents (two sweeps) scatter the same", () => {
  const R = compile(pairs, { wrt: [0] });
  const [ge, go] = R.pullbacks([X, N], [EVEN, ODD]) as Float64Array[];
  const shared = new Float64Array(N);
  const at = Int32Array.from({ length: N }, (_, j) => j);
  R.pullbacks([X, N], [EVEN, ODD], [scatter(shared, at), scatter(shared, at)]);
  shared.forEach((v, j) => assert.ok(Math.abs(v - (ge![j]! + go![j]!)) <= 1e-15 * Math.abs(v), `shared ${j}`));
  const three = new Float64Array(3 * N);
  const row = (r: number) => scatter(three, Int32Array.from({ length: N }, (_, j) => 3 * j + r));
  R.pullbacks([X, N], [EVEN, ODD, EVEN], [row(0), row(1), row(2)]);
  for (let j = 0; j < N; j++) {
    assert.is(three[3 * j], ge![j]);
    assert.is(three[3 * j + 1], go![j]);
    assert.is(three[3 * j + 2], ge![j]);
  }
});

test("a function without a fused pass scatters through the two-sweep path", () => {
  // s is read after the loop nonlinearly: no fused pass.
  const C = compile((x: Float64Array, n: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i]! * x[i]!;
    return s * s;
  }, { wrt: [0] });
  assert.not.match(C.source, /function fused\(/);
  const g = C.grad(X, N) as Float64Array;
  const vals = new Float64Array(2 * N);
  C.pullback([X, N], 1, scatter(vals, AT_ODD));
  for (let j = 0; j < N; j++) {
    assert.is(vals[2 * j], 0);
    assert.is(vals[2 * j + 1], g[j]);
  }
});

test("the positions are copied when the scatter is made", () => {
  const R = compile(pairs, { wrt: [0] });
  const at = Int32Array.from(AT_EVEN);
  const vals = new Float64Array(2 * N);
  const s = scatter(vals, at);
  at.fill(1);
  R.pullback([X, N], EVEN, s);
  const ge = R.pullback([X, N], EVEN) as Float64Array;
  for (let j = 0; j < N; j++) assert.is(vals[2 * j], ge[j]);
});

test("the source rewrite indexes each named adjoint through its positions, nested indices included, and adds them as parameters", () => {
  const src = "function fused(v, v$b0, xv$b0, $seed) { v$b0[a[i] + 1] += 2; xv$b0[k] += v$b0[v$b0[j]]; }";
  assert.is(scatteredSource(src, ["v$b0"]),
    "function fused(v, v$b0, xv$b0, $seed, v$b0$at) { v$b0[v$b0$at[a[i] + 1]] += 2; xv$b0[k] += v$b0[v$b0$at[v$b0[v$b0$at[j]]]]; }");
});

test("scatter refuses positions outside the array, non-integers and other kinds", () => {
  const vals = new Float64Array(4);
  throwsKind(() => scatter(vals, [0, 4]), DualtapeError, "scatter", /at\[1\] is number 4, not a position in an array of length 4.*0\.\.3/);
  throwsKind(() => scatter(vals, [0.5]), DualtapeError, "scatter", /at\[0\] is number 0\.5.*integer/);
  throwsKind(() => scatter([1, 2] as never, [0]), DualtapeError, "scatter", /array is .*pass the Float64Array/);
  throwsKind(() => scatter(vals, "01" as never), DualtapeError, "scatter", /at is .*Int32Array/);
});

test("pullbacks refuse a scatter of another length, of an argument f writes, sharing memory with an argument or a Float64Array entry", () => {
  const R = compile(pairs, { wrt: [0] });
  const vals = new Float64Array(2 * N);
  throwsKind(() => R.pullback([X, N], EVEN, scatter(vals, [0, 1])), DualtapeError, "compile(pairs).pullback", /scatters 2 positions for argument 0 of length 5.*make it with 5 positions/);
  const W = compile((x: Float64Array, n: number) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) { x[i] = x[i]! * 2; out[i] = x[i]!; }
    return out;
  }, { wrt: [0] });
  throwsKind(() => W.pullback([X, N], new Float64Array(N), scatter(vals, AT_EVEN)), DualtapeError, "compile(f).pullback", /argument 0 \('x'\) is written by f.*pass a Float64Array/);
  const both = new Float64Array(3 * N);
  const xs = both.subarray(0, N);
  xs.set(X);
  throwsKind(() => R.pullback([xs, N], EVEN, scatter(both, AT_EVEN)), DualtapeError, "compile(pairs).pullback", /shares its memory with an argument/);
  const plain = new Float64Array(N);
  throwsKind(() => R.pullbacks([X, N], [EVEN, ODD], [plain, scatter(new Float64Array(plain.buffer), Int32Array.from(AT_EVEN, (v) => v >> 1))]), DualtapeError, "compile(pairs).pullbacks", /scatter's array shares its memory with a Float64Array into-entry/);
  // vjp's pullbacks take Float64Arrays only.
  assert.throws(() => R.vjp([X, N]).pullback(EVEN, scatter(vals, AT_EVEN)), /into entry 0 is/);
});

test("a scatter for a function of matrices or objects is refused", () => {
  const M = compile((p: { w: Float64Array }, n: number) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = p.w[i]! * 2;
    return out;
  }, { wrt: [0] });
  throwsKind(() => M.pullback([{ w: X }, N], new Float64Array(N), { w: scatter(new Float64Array(N), AT_EVEN.map((v) => v >> 1)) }), DualtapeError, "compile(f).pullback", /./);
});

test.run();
