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
  // One sweep for the rows, plus the forward pass that gives jacobian its value.
  assert.is(sinCalls(() => (rev = E.jacobian([X, N], { mode: "reverse" }) as number[][])), 2 * N);
  rev.forEach((row, r) => closeAll(row, fwd[r]!, 1e-12));
  const h = 1e-6;
  for (let i = 0; i < N; i++) {
    const up = X.slice(); up[i]! += h;
    const dn = X.slice(); dn[i]! -= h;
    const a = waves(up, N), b = waves(dn, N);
    for (let r = 0; r < N; r++) assert.ok(Math.abs((a[r]! - b[r]!) / (2 * h) - rev[r]![i]!) < 1e-6 * (1 + Math.abs(rev[r]![i]!)), `J[${r}][${i}]`);
  }
});

test.run();
