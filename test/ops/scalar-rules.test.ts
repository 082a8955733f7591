import { test } from "uvu";
import * as assert from "uvu/assert";
import * as dualtape from "../../lib/index.ts";
import {
  allOps, derivative, grad, hessian, jacrev, jvp, Tensor,
  add, sub, mul, div, neg, pow, square, sqrt, cbrt, reciprocal, abs, sign,
  exp, expm1, log, log1p, log2, log10,
  sin, cos, tan, asin, acos, atan, atan2, sinh, cosh, tanh, asinh, acosh, atanh,
  sigmoid, softplus, relu, erf, hypot, maximum, minimum, where, clamp,
  type Lifted, type Op, type Value,
} from "../../lib/index.ts";
import { close } from "../support/close.ts";
import { central } from "../support/differences.ts";

// Every built-in scalar op: its value against Math (or known constants), its
// derivative by forward and reverse mode against the hand-derived formula
// written here, its second derivative (the rules are differentiable) against
// a central difference of that formula, and its convention at the points
// where it is not smooth.

type U = (x: Lifted) => Lifted;
type B = (a: Value, b: Value) => Lifted;
type T3 = (a: Value, b: Value, c: Value) => Lifted;

const H = 1e-5;

interface UnaryCase {
  fn: unknown;
  value: (x: number) => number;
  d1: (x: number) => number;
  at: number[];
}

const LN2 = Math.log(2);
const LN10 = Math.log(10);
const unary: Record<string, UnaryCase> = {
  neg: { fn: neg, value: (x) => -x, d1: () => -1, at: [-2, 0.5, 3] },
  square: { fn: square, value: (x) => x * x, d1: (x) => 2 * x, at: [-2, 0.5, 3] },
  sqrt: { fn: sqrt, value: Math.sqrt, d1: (x) => 0.5 / Math.sqrt(x), at: [0.25, 2, 9] },
  cbrt: { fn: cbrt, value: Math.cbrt, d1: (x) => 1 / (3 * Math.cbrt(x) ** 2), at: [-8, 0.5, 27] },
  reciprocal: { fn: reciprocal, value: (x) => 1 / x, d1: (x) => -1 / (x * x), at: [-2, 0.5, 3] },
  abs: { fn: abs, value: Math.abs, d1: (x) => (x > 0 ? 1 : -1), at: [-2, 0.5, 3] },
  sign: { fn: sign, value: Math.sign, d1: () => 0, at: [-2, 0.5, 3] },
  exp: { fn: exp, value: Math.exp, d1: Math.exp, at: [-2, 0, 3] },
  expm1: { fn: expm1, value: Math.expm1, d1: Math.exp, at: [-2, 1e-9, 3] },
  log: { fn: log, value: Math.log, d1: (x) => 1 / x, at: [0.1, 1, 7] },
  log1p: { fn: log1p, value: Math.log1p, d1: (x) => 1 / (1 + x), at: [-0.5, 1e-9, 7] },
  log2: { fn: log2, value: Math.log2, d1: (x) => 1 / (x * LN2), at: [0.1, 1, 8] },
  log10: { fn: log10, value: Math.log10, d1: (x) => 1 / (x * LN10), at: [0.1, 1, 1000] },
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
  sigmoid: { fn: sigmoid, value: (x) => 1 / (1 + Math.exp(-x)), d1: (x) => Math.exp(-x) / (1 + Math.exp(-x)) ** 2, at: [-6, 0, 2.5] },
  softplus: { fn: softplus, value: (x) => Math.log1p(Math.exp(x)), d1: (x) => 1 / (1 + Math.exp(-x)), at: [-6, 0, 2.5] },
  relu: { fn: relu, value: (x) => Math.max(x, 0), d1: (x) => (x > 0 ? 1 : 0), at: [-2, 0.5, 3] },
  erf: { fn: erf, value: (x) => (x === 0 ? 0 : NaN), d1: (x) => (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x), at: [-1.5, 0, 0.7] },
};

interface BinaryCase {
  fn: unknown;
  value: (a: number, b: number) => number;
  d: (a: number, b: number) => [number, number];
  at: [number, number][];
}

const binary: Record<string, BinaryCase> = {
  add: { fn: add, value: (a, b) => a + b, d: () => [1, 1], at: [[2, -3], [0.5, 4]] },
  sub: { fn: sub, value: (a, b) => a - b, d: () => [1, -1], at: [[2, -3], [0.5, 4]] },
  mul: { fn: mul, value: (a, b) => a * b, d: (a, b) => [b, a], at: [[2, -3], [0.5, 4]] },
  div: { fn: div, value: (a, b) => a / b, d: (a, b) => [1 / b, -a / (b * b)], at: [[2, -3], [0.5, 4]] },
  pow: { fn: pow, value: (a, b) => a ** b, d: (a, b) => [b * a ** (b - 1), a ** b * Math.log(a)], at: [[2, -1.5], [0.5, 2.5], [3, 2]] },
  atan2: {
    fn: atan2, value: Math.atan2, d: (y, x) => [x / (x * x + y * y), -y / (x * x + y * y)], at: [[1, 2], [-1.5, 0.5], [2, -1]],
  },
  hypot: { fn: hypot, value: Math.hypot, d: (a, b) => [a / Math.hypot(a, b), b / Math.hypot(a, b)], at: [[3, 4], [-1, 0.5]] },
  maximum: { fn: maximum, value: Math.max, d: (a, b) => (a > b ? [1, 0] : [0, 1]), at: [[2, -3], [0.5, 4]] },
  minimum: { fn: minimum, value: Math.min, d: (a, b) => (a < b ? [1, 0] : [0, 1]), at: [[2, -3], [0.5, 4]] },
};

const unaryFn = (name: string) => unary[name]!.fn as U;
const binaryFn = (name: string) => binary[name]!.fn as B;
const fwd = (f: U, x: number) => derivative(f)(x) as number;
const rev = (f: U, x: number) => grad(f)(x);
const gradAt = (f: B, a: number, b: number) => grad((p: Lifted[]) => f(p[0]!, p[1]!))([a, b]);
const grad3 = (f: T3, a: number, b: number, c: number) => grad((p: Lifted[]) => f(p[0]!, p[1]!, p[2]!))([a, b, c]);

test("the tables cover every built-in elementwise op", () => {
  const exported = allOps().filter((o: Op) => o.elementwise !== null && (dualtape as unknown as Record<string, { op?: Op }>)[o.name]?.op === o);
  const covered = new Set([...Object.keys(unary), ...Object.keys(binary), "where", "clamp"]);
  for (const o of exported) assert.ok(covered.has(o.name), `${o.name} has no test row`);
  assert.ok(exported.length >= 40);
});

test("unary op(x) equals its Math counterpart on numbers", () => {
  for (const [name, c] of Object.entries(unary)) {
    if (name === "erf") continue;
    const f = unaryFn(name) as unknown as (x: number) => number;
    for (const x of c.at) close(f(x), c.value(x), 1e-15, `${name}(${x})`);
  }
});

test("unary op'(x) equals the hand-derived derivative by derivative() and by grad()", () => {
  for (const [name, c] of Object.entries(unary)) {
    for (const x of c.at) {
      close(fwd(unaryFn(name), x), c.d1(x), 1e-12, `forward ${name}'(${x})`);
      close(rev(unaryFn(name), x), c.d1(x), 1e-12, `reverse ${name}'(${x})`);
    }
  }
});

test("unary op''(x) by forward over forward and reverse over reverse equals the central difference of the hand formula", () => {
  for (const [name, c] of Object.entries(unary)) {
    const f = unaryFn(name);
    for (const x of c.at) {
      const want = central(c.d1, x, H);
      const ff = derivative((u: Lifted) => derivative(f)(u) as Lifted)(x) as number;
      const rr = grad((u: Lifted) => grad(f)(u as never) as unknown as Lifted)(x);
      close(ff, want, 1e-6, `forward-forward ${name}''(${x})`);
      close(rr, want, 1e-6, `reverse-reverse ${name}''(${x})`);
    }
  }
});

test("unary ops on a Tensor apply elementwise with tangent d1(x) v", () => {
  for (const [name, c] of Object.entries(unary)) {
    const xs = c.at;
    const v = xs.map((_, i) => i + 1);
    const r = jvp(unaryFn(name), new Tensor(Float64Array.from(xs), [xs.length]), new Tensor(Float64Array.from(v), [xs.length]));
    const t = (r.tangent as Tensor).data;
    xs.forEach((x, i) => close(t[i]!, c.d1(x) * v[i]!, 1e-12, `${name} tensor tangent at ${x}`));
  }
});

test("binary op(a, b) equals its Math counterpart on numbers", () => {
  for (const [name, c] of Object.entries(binary)) {
    const f = binaryFn(name) as unknown as (a: number, b: number) => number;
    for (const [a, b] of c.at) close(f(a, b), c.value(a, b), 1e-15, `${name}(${a}, ${b})`);
  }
});

test("binary op partials equal the hand-derived ones by derivative() in each argument and by grad()", () => {
  for (const [name, c] of Object.entries(binary)) {
    const f = binaryFn(name);
    for (const [a, b] of c.at) {
      const [da, db] = c.d(a, b);
      close(fwd((t) => f(t, b), a), da, 1e-12, `forward d${name}/da at ${a}, ${b}`);
      close(fwd((t) => f(a, t), b), db, 1e-12, `forward d${name}/db at ${a}, ${b}`);
      const [ra, rb] = gradAt(f, a, b);
      close(ra!, da, 1e-12, `reverse d${name}/da at ${a}, ${b}`);
      close(rb!, db, 1e-12, `reverse d${name}/db at ${a}, ${b}`);
    }
  }
});

test("binary op Hessians by forward over reverse and reverse over reverse equal central differences of the hand partials", () => {
  for (const [name, c] of Object.entries(binary)) {
    const f = binaryFn(name);
    for (const [a, b] of c.at) {
      const want = [
        [central((s) => c.d(s, b)[0], a, H), central((s) => c.d(a, s)[0], b, H)],
        [central((s) => c.d(s, b)[1], a, H), central((s) => c.d(a, s)[1], b, H)],
      ];
      const fr = hessian((p: Lifted[]) => f(p[0]!, p[1]!))([a, b]) as number[][];
      const rr = jacrev((p: Lifted[]) => grad((q: Lifted[]) => f(q[0]!, q[1]!))(p) as unknown as Lifted[])([a, b]) as number[][];
      for (let i = 0; i < 2; i++) {
        for (let j = 0; j < 2; j++) {
          close(fr[i]![j]!, want[i]![j]!, 1e-6, `forward-reverse ${name} H[${i}][${j}] at ${a}, ${b}`);
          close(rr[i]![j]!, want[i]![j]!, 1e-6, `reverse-reverse ${name} H[${i}][${j}] at ${a}, ${b}`);
        }
      }
    }
  }
});

test("erf(x) equals the published values to 1e-15 relative", () => {
  const known: [number, number][] = [
    [0.5, 0.5204998778130465], [1, 0.8427007929497149], [2, 0.9953222650189527],
    [3, 0.9999779095030014], [-1, -0.8427007929497149],
  ];
  for (const [x, want] of known) close(erf(x), want, 1e-15, `erf(${x})`);
  assert.is(erf(0), 0);
});

test("abs'(0) = 0 and sign'(x) = 0 everywhere, also at 0, in both modes", () => {
  assert.is(fwd(abs as U, 0), 0);
  assert.is(rev(abs as U, 0), 0);
  assert.is(fwd(sign as U, 0), 0);
  assert.is(rev(sign as U, 0), 0);
  assert.is(sign(0), 0);
  assert.is(sign(-5), -1);
  assert.ok(Number.isNaN(sign(NaN)));
});

test("relu(0) = 0 with derivative 0 at the kink; relu(NaN) is NaN", () => {
  assert.is(relu(0), 0);
  assert.is(fwd(relu as U, 0), 0);
  assert.is(rev(relu as U, 0), 0);
  assert.ok(Number.isNaN(relu(NaN)));
});

test("maximum(a, a) and minimum(a, a) split the gradient 0.5 / 0.5", () => {
  for (const f of [maximum, minimum] as B[]) {
    assert.equal(gradAt(f, 2, 2), [0.5, 0.5]);
    assert.is(fwd((t) => f(t, 2), 2), 0.5);
    assert.is(fwd((t) => f(2, t), 2), 0.5);
    assert.is(fwd((t) => f(t, t), 2), 1);
  }
});

test("sqrt(0) = 0 with derivative +Infinity in both modes", () => {
  assert.is(sqrt(0), 0);
  assert.is(fwd(sqrt as U, 0), Infinity);
  assert.is(rev(sqrt as U, 0), Infinity);
});

test("pow with exponent 0: d/da = 0 (also at a = 0), d/db = ln a", () => {
  assert.is(pow(0, 0), 1);
  assert.equal(gradAt(pow as B, 0, 0), [0, 0]);
  const [da, db] = gradAt(pow as B, 2, 0);
  assert.is(da, 0);
  close(db!, Math.log(2), 1e-15);
  assert.is(fwd((t) => (pow as B)(t, 0), 0), 0);
});

test("pow with base 0: d/db = 0 and d/da = b 0^(b-1)", () => {
  assert.equal(gradAt(pow as B, 0, 2), [0, 0]);
  assert.equal(gradAt(pow as B, 0, 0.5), [Infinity, 0]);
  assert.is(fwd((t) => (pow as B)(0, t), 3), 0);
});

test("pow(0, x) has derivative 0 in x: the constant base's infinite partial does not leak as NaN", () => {
  assert.is(fwd((t) => (pow as B)(0, t), 0.5), 0);
  assert.is(rev((t) => (pow as B)(0, t), 0.5), 0);
  const r = jvp((t: Lifted) => (pow as B)(new Tensor(new Float64Array(2), [2]), t), new Tensor(Float64Array.of(0.5, 1), [2]), new Tensor(Float64Array.of(1, 1), [2]));
  assert.equal((r.tangent as Tensor).toArray(), [0, 0]);
});

test("pow with a negative base and a non-integer exponent is NaN", () => {
  assert.ok(Number.isNaN(pow(-8, 1 / 3)));
  close(pow(-2, 3), -8, 0);
  close(fwd((t) => (pow as B)(t, 3), -2), 12, 1e-15);
});

test("hypot(0, 0) = 0 with partials 0 at the origin", () => {
  assert.is(hypot(0, 0), 0);
  assert.equal(gradAt(hypot as B, 0, 0), [0, 0]);
  assert.is(fwd((t) => (hypot as B)(t, 0), 0), 0);
});

test("atan2 at the origin has NaN partials (no limit there)", () => {
  const [dy, dx] = gradAt(atan2 as B, 0, 0);
  assert.ok(Number.isNaN(dy!) && Number.isNaN(dx!));
});

test("division by zero and log(0) follow IEEE with infinite derivatives", () => {
  assert.is(div(1, 0), Infinity);
  assert.is(fwd((t) => (div as B)(t, 0), 1), Infinity);
  assert.is(log(0), -Infinity);
  assert.is(fwd(log as U, 0), Infinity);
  assert.is(rev(asin as U, 1), Infinity);
});

test("where(c, a, b) selects a for non-zero c and b for 0 or NaN", () => {
  assert.is(where(1, 2, 3), 2);
  assert.is(where(-0.5, 2, 3), 2);
  assert.is(where(0, 2, 3), 3);
  assert.is(where(NaN, 2, 3), 3);
});

test("where: the condition is not differentiated; the gradient reaches only the selected side", () => {
  const f = where as unknown as T3;
  assert.equal(grad3(f, 1, 2, 3), [0, 1, 0]);
  assert.equal(grad3(f, 0, 2, 3), [0, 0, 1]);
  assert.equal(grad3(f, NaN, 2, 3), [0, 0, 1]);
  assert.is(fwd((c) => f(c, 2, 3), 1), 0);
  assert.is(fwd((a) => f(1, a, 3), 2), 1);
  assert.is(fwd((b) => f(1, 2, b), 3), 0);
});

test("where on Tensors selects elementwise: grad of a is the mask", () => {
  const cond = new Tensor(Float64Array.of(1, 0, 1), [3]);
  const a = new Tensor(Float64Array.of(5, 6, 7), [3]);
  const r = jvp((x: Lifted) => (where as unknown as T3)(cond, x, 0), a, new Tensor(Float64Array.of(1, 1, 1), [3]));
  assert.equal((r.value as Tensor).toArray(), [5, 0, 7]);
  assert.equal((r.tangent as Tensor).toArray(), [1, 0, 1]);
});

test("clamp(x, lo, hi) equals min(max(x, lo), hi)", () => {
  assert.is(clamp(5, 0, 1), 1);
  assert.is(clamp(-5, 0, 1), 0);
  assert.is(clamp(0.25, 0, 1), 0.25);
});

test("clamp: d/dx = 1 on the closed interval, including both bounds", () => {
  const f = clamp as unknown as T3;
  for (const x of [-1, 0.3, 2]) {
    assert.equal(grad3(f, x, -1, 2), [1, 0, 0], `at ${x}`);
    assert.is(fwd((t) => f(t, -1, 2), x), 1, `forward at ${x}`);
  }
});

test("clamp: outside the interval the active bound gets the gradient", () => {
  const f = clamp as unknown as T3;
  assert.equal(grad3(f, -3, -1, 2), [0, 1, 0]);
  assert.equal(grad3(f, 5, -1, 2), [0, 0, 1]);
  assert.is(fwd((lo) => f(-3, lo, 2), -1), 1);
  assert.is(fwd((hi) => f(5, -1, hi), 2), 1);
  assert.is(fwd((t) => f(t, -1, 2), 5), 0);
});

test.run();
