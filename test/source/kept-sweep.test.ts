import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile } from "../../lib/index.ts";
import { closeAll } from "../support/close.ts";

// Writes into its argument and into local arrays that later statements read: the adjoint
// sweep restores them as it runs, so a second pullback must not see what the first left.
function waves(x: Float64Array, n: number): Float64Array {
  x[0] = x[0]! * 2;
  const y = new Float64Array(n);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = Math.sin(x[i]!) * x[(i + 1) % n]!;
  for (let i = 0; i < n; i++) z[i] = y[i]! * y[i]! + x[i]!;
  for (let i = 0; i < n; i++) z[i] = z[i]! * y[(i + 2) % n]!;
  return z;
}

/** Calls of Math.sin while `body` runs (the forward sweep calls it n times; the adjoint pops its values). */
function sinCalls(body: () => void): number {
  const sin = Math.sin;
  let calls = 0;
  Math.sin = (v: number) => {
    calls++;
    return sin(v);
  };
  try {
    body();
  } finally {
    Math.sin = sin;
  }
  return calls;
}

const X = Float64Array.from([0.4, -1.1, 0.7, 1.9, -0.3]);
const N = X.length;
const unit = (r: number) => Float64Array.from({ length: N }, (_, i) => (i === r ? 1 : 0));

test("vjp: every pullback runs only the adjoint sweep, and each row equals the forward-mode Jacobian's", () => {
  const E = compile(waves, { wrt: [0] });
  const J = E.jacobian([X, N], { mode: "forward" }) as number[][];
  let v: ReturnType<typeof E.vjp> | null = null;
  assert.is(sinCalls(() => (v = E.vjp([X, N]))), N, "one forward sweep");
  const rows: Float64Array[] = [];
  assert.is(sinCalls(() => { for (let r = 0; r < N; r++) rows.push(v!.pullback(unit(r)) as Float64Array); }), 0, "no forward sweep in pullbacks");
  rows.forEach((row, r) => closeAll(row, J[r]!, 1e-12));
  assert.equal(Array.from(X), [0.4, -1.1, 0.7, 1.9, -0.3], "the argument is left as it was");
});

test("vjp: a pullback after another call took the stacks sweeps again and is still right", () => {
  const E = compile(waves, { wrt: [0] });
  const J = E.jacobian([X, N], { mode: "forward" }) as number[][];
  const v = E.vjp([X, N]);
  closeAll(v.pullback(unit(1)) as Float64Array, J[1]!, 1e-12);
  const other = E.vjp([Float64Array.from([1, 2, 3, 4, 5]), N]);
  assert.is(sinCalls(() => closeAll(v.pullback(unit(3)) as Float64Array, J[3]!, 1e-12)), N, "swept again");
  assert.is(sinCalls(() => closeAll(v.pullback(unit(4)) as Float64Array, J[4]!, 1e-12)), 0, "then owns the stacks again");
  const J2 = E.jacobian([Float64Array.from([1, 2, 3, 4, 5]), N], { mode: "forward" }) as number[][];
  closeAll(other.pullback(unit(2)) as Float64Array, J2[2]!, 1e-12);
});

test("jacobian in reverse mode sweeps forward once for all rows, and agrees with forward mode and differences", () => {
  const E = compile(waves, { wrt: [0] });
  const fwd = E.jacobian([X, N], { mode: "forward" }) as number[][];
  let rev: number[][] = [];
  // One sweep for all the rows, and no pass only for the value.
  assert.is(sinCalls(() => (rev = E.jacobian([X, N], { mode: "reverse" }) as number[][])), N);
  rev.forEach((row, r) => closeAll(row, fwd[r]!, 1e-12));
  const h = 1e-6;
  for (let i = 0; i < N; i++) {
    const up = X.slice(); up[i]! += h;
    const dn = X.slice(); dn[i]! -= h;
    const a = waves(up, N), b = waves(dn, N);
    for (let r = 0; r < N; r++) assert.ok(Math.abs((a[r]! - b[r]!) / (2 * h) - rev[r]![i]!) < 1e-6 * (1 + Math.abs(rev[r]![i]!)), `J[${r}][${i}]`);
  }
});

test("vjp: a pullback into given buffers overwrites them with the gradient and returns them", () => {
  const E = compile(waves, { wrt: [0] });
  const J = E.jacobian([X, N], { mode: "forward" }) as number[][];
  const v = E.vjp([X, N]);
  const into = new Float64Array(N).fill(99);
  for (const r of [3, 1, 3]) {
    const got = v.pullback(unit(r), into);
    assert.ok(got === into, "the buffer itself is returned");
    closeAll(into, J[r]!, 1e-12);
  }
  // Several wrt entries: one buffer per array entry, null for a number.
  const scaled = (x: Float64Array, k: number, y: Float64Array) => [k * x[0]! * y[1]!, x[1]! * Math.sin(k)];
  const S = compile(scaled, { wrt: [0, 1, 2] });
  const x = Float64Array.from([2, 3]), y = Float64Array.from([5, 7]);
  const gx = new Float64Array(2).fill(-1), gy = new Float64Array(2).fill(-1);
  const [rx, rk, ry] = S.vjp([x, 0.5, y]).pullback([1, 10], [gx, null, gy]) as [Float64Array, number, Float64Array];
  assert.ok(rx === gx && ry === gy, "the buffers themselves are returned");
  // By hand: d/dx = [k y1, 10 sin k], d/dk = x0 y1 + 10 x1 cos k, d/dy = [0, k x0].
  closeAll(gx, [0.5 * 7, 10 * Math.sin(0.5)], 1e-12);
  assert.ok(Math.abs(rk - (2 * 7 + 10 * 3 * Math.cos(0.5))) < 1e-12, `d/dk ${rk}`);
  closeAll(gy, [0, 0.5 * 2], 1e-12);
});

test("vjp: a pullback's into is checked, naming the entry and the fix", () => {
  const E = compile(waves, { wrt: [0] });
  const x = X.slice();
  const v = E.vjp([x, N]);
  assert.throws(() => v.pullback(unit(0), new Float64Array(N + 1)), /compile\(waves\)\.vjp: into entry 0 is .* for argument 0 of length 5.*pass a Float64Array of length 5/s);
  assert.throws(() => v.pullback(unit(0), [0, 0, 0, 0, 0]), /into entry 0 is .*pass a Float64Array of length 5/s);
  assert.throws(() => v.pullback(unit(0), x), /into entry 0 shares its memory with an argument/);
  const S = compile((a: Float64Array, k: number) => [a[0]! * k], { wrt: [0, 1] });
  const w = S.vjp([Float64Array.from([1]), 2]);
  assert.throws(() => w.pullback([1], new Float64Array(1)), /into is .*pass an array with one entry per wrt argument/s);
  assert.throws(() => w.pullback([1], [new Float64Array(1)]), /into has 1 entries for 2 wrt arguments/);
  assert.throws(() => w.pullback([1], [new Float64Array(1), new Float64Array(1)]), /into entry 1 is .*argument 1 is a number.*pass null there/s);
  const shared = new Float64Array(1);
  const T = compile((a: Float64Array, b: Float64Array) => [a[0]! * b[0]!], { wrt: [0, 1] });
  assert.throws(() => T.vjp([Float64Array.from([1]), Float64Array.from([2])]).pullback([1], [shared, shared]), /into entry 0 shares its memory with an argument or another entry/);
});

test.run();
