/**
 * The adjoint of one assignment: a value the result never uses on the path
 * taken has a zero adjoint, and reverse mode sends nothing from it, as the
 * Var tape never visits it. Sending it would multiply 0 by partials that
 * are infinite there (sqrt and log at 0), which is NaN. Forward mode adds
 * a zero tangent through such partials as 0, as Dual does.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile, grad, jacrev, jacfwd, sqrt, log, mul, add, type Lifted } from "../../lib/index.ts";
import { zeroSkipped, mayOverflow } from "../../lib/source/adjoint.ts";
import { checkFunction } from "../../lib/source/check.ts";
import { parseFunction } from "../../lib/source/parse.ts";
import { activity } from "../../lib/source/activity.ts";

test("a value left unused by a continue contributes 0, as the Var tape and forward mode give", () => {
  const plain = (x: number[]) => {
    let s = 0;
    for (let i = 0; i < x.length; i++) {
      const l = Math.log(x[i]!);
      if (!Number.isFinite(l)) continue;
      s += l * l;
    }
    return s;
  };
  const lifted = (x: Lifted[]) => {
    let s: Lifted | number = 0;
    for (const xi of x) {
      const l = log(xi);
      if (!Number.isFinite(l.value as number)) continue;
      s = add(s, mul(l, l));
    }
    return s as Lifted;
  };
  const x = [0.5, 0, 2];
  const C = compile(plain, { wrt: [0] });
  const want = grad(lifted)(x) as number[];
  assert.equal(want, [2 * Math.log(0.5) / 0.5, 0, 2 * Math.log(2) / 2]);
  assert.equal(C.grad(x), want);
  assert.equal((C.jacobian([x], { mode: "forward" }) as number[][])[0], want);
});

/** Two outputs: a root used by the first only when x[2] > 0, a log by the second only when it is finite. */
function pair(x: number[]): Float64Array {
  const out = new Float64Array(2);
  const r = Math.sqrt(x[0]!);
  const l = Math.log(x[1]!);
  out[0] = x[2]! > 0 ? r * x[2]! : x[2]!;
  out[1] = l > -1e300 ? l : x[2]!;
  return out;
}
function pairOps(x: Lifted[]): Lifted[] {
  const r = sqrt(x[0]!);
  const l = log(x[1]!);
  return [(x[2]!.value as number) > 0 ? mul(r, x[2]!) : x[2]!, (l.value as number) > -1e300 ? l : x[2]!];
}

test("each adjoint lane tests its own adjoint: a row that uses the root gets its infinite entry, the other row 0", () => {
  const C = compile(pair, { wrt: [0] });
  for (const x of [[0, 0, -1], [0, 0, 1], [4, 0, 1]]) {
    const byVar = jacrev(pairOps)(x) as number[][];
    // Reverse mode takes both rows in one sweep of two lanes; a row at a time takes the one-lane adjoint.
    assert.equal(C.jacobian([x], { mode: "reverse" }), byVar, `by rows at ${x}`);
    assert.equal(C.vjp([x]).pullback(Float64Array.from([0, 1])), byVar[1], `one row at ${x}`);
    // Forward mode multiplies the root's infinite partial by the other directions' zero tangents, as Dual does.
    assert.equal(C.jacobian([x], { mode: "forward" }), jacfwd(pairOps)(x), `by columns at ${x}`);
  }
  // By hand: at (0, 0, -1) neither value is used; at (0, 0, 1) the first row reaches the root,
  // d/dx0 = x2 / (2 sqrt(0)) = Infinity and d/dx2 = sqrt(0) = 0, and the log is still unused.
  assert.equal(C.jacobian([[0, 0, -1]], { mode: "reverse" }), [[0, 0, 1], [0, 0, 1]]);
  assert.equal(C.jacobian([[0, 0, 1]], { mode: "reverse" }), [[Infinity, 0, 0], [0, 0, 1]]);
});

test("an element summed into itself with a deferred neighbour's increment (a[i] = a[i] * log(a[i - 1])), unused: 0, not NaN", () => {
  const plain = (x: number[]) => {
    const a = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) a[i] = x[i]!;
    for (let i = 1; i < x.length; i++) a[i] = a[i]! * Math.log(a[i - 1]!);
    return a[0]! * 2;
  };
  const C = compile(plain, { wrt: [0] });
  assert.equal(C.grad([0, 0.5, 0.7]), [2, 0, 0]);
  // Where every element is used, the same statement's gradient against differences of the plain function.
  const used = (x: number[]) => {
    const a = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) a[i] = x[i]!;
    for (let i = 1; i < x.length; i++) a[i] = a[i]! * Math.log(a[i - 1]!);
    return a[x.length - 1]!;
  };
  const x = [1.7, 2.5, 0.7];
  const g = compile(used, { wrt: [0] }).grad(x) as number[];
  const h = 1e-6;
  x.forEach((_, k) => {
    const up = x.slice(), dn = x.slice();
    up[k]! += h;
    dn[k]! -= h;
    const fd = (used(up) - used(dn)) / (2 * h);
    assert.ok(Math.abs(g[k]! - fd) <= 1e-6 * Math.max(1, Math.abs(fd)), `entry ${k}: ${g[k]} against ${fd}`);
  });
});

test("the test is written only where an op's partials may be infinite (no finitePartials in the registry)", () => {
  const fnOf = (text: string) => {
    const fn = checkFunction(parseFunction(text), {});
    fn.params[0]!.wrt = 0;
    return fn;
  };
  const valueOf = (text: string) => {
    const fn = fnOf(text);
    const ret = fn.body[fn.body.length - 1]!;
    return { value: (ret as unknown as { value: never }).value, act: activity(fn) };
  };
  const sums = valueOf("function f(x, y) { return x * y + Math.sin(x) - Math.max(x, y); }");
  assert.is(mayOverflow(sums.value, sums.act), false);
  for (const op of ["Math.log(x)", "x / y", "Math.sqrt(x)", "Math.exp(x)", "x ** 2"]) {
    const e = valueOf(`function f(x, y) { return 2 * ${op}; }`);
    assert.is(mayOverflow(e.value, e.act), true, op);
  }
  // An op on inactive values only (y is not differentiated) needs no test.
  const inactive = valueOf("function f(x, y) { return x * Math.log(y); }");
  assert.is(mayOverflow(inactive.value, inactive.act), false);
  assert.equal(zeroSkipped("$t1", ["x$b += $t1;"]), ["if ($t1 !== 0) { // adjoint of $t1", "  x$b += $t1;", "} // adjoint of $t1"]);
  assert.equal(zeroSkipped("$t1", []), []);
});

test.run();
