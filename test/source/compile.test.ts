import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  compile, grad, add, sub, mul, div, sqrt, sin, cos, exp, log, square, pow, maximum, minimum, abs, hypot, atan2, fmod, floor, tanh, neg,
  defineOp, DualtapeError, type Lifted,
} from "../../lib/index.ts";
import { agreeOnGradient } from "../support/source.ts";
import { close, closeAll, closeMat } from "../support/close.ts";

const X = Float64Array.from([0.3, -1.2, 0.8, 1.7, -0.4, 2.1]);

function energy(x: Float64Array, n: number): number {
  let e = 0;
  for (let i = 0; i + 1 < n; i++) {
    const d = x[i + 1]! - x[i]!;
    e += Math.sqrt(1 + d * d) + 0.5 * Math.sin(x[i]!) ** 2;
  }
  return e;
}
function energyOps(x: Lifted[], n: number): Lifted | number {
  let e: Lifted | number = 0;
  for (let i = 0; i + 1 < n; i++) {
    const d = sub(x[i + 1]!, x[i]!);
    e = add(e, add(sqrt(add(1, mul(d, d))), mul(0.5, pow(sin(x[i]!), 2))));
  }
  return e;
}

test("compile(energy).grad(x, n) equals Var grad, Dual jacfwd, compiled forward and central differences", () => {
  agreeOnGradient(energy, energyOps, X, [X.length]);
});

test("compile(f).grad of sum x_i^2 is 2x (hand formula) and returns a Float64Array for a Float64Array", () => {
  const C = compile((x: Float64Array) => { let s = 0; for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!; return s; }, { wrt: [0] });
  const g = C.grad(X) as Float64Array;
  assert.instance(g, Float64Array);
  closeAll(g, Array.from(X, (v) => 2 * v));
});

test("compile(f).grad of a number[] argument is a number[]", () => {
  const C = compile((x: number[]) => x[0]! * x[1]!, { wrt: [0] });
  const g = C.grad([2, 3]);
  assert.ok(Array.isArray(g));
  assert.equal(g, [3, 2]);
});

test("compile(f, { wrt: [0, 1] }) on numbers: grad of a exp(b) is [exp(b), a exp(b)]", () => {
  const C = compile((a: number, b: number) => a * Math.exp(b), { wrt: [0, 1] });
  const g = C.grad(2, 0.5) as number[];
  closeAll(g, [Math.exp(0.5), 2 * Math.exp(0.5)]);
  const { value, tangent } = C.jvp([2, 0.5], [1, 0]);
  close(value, 2 * Math.exp(0.5));
  close(tangent, Math.exp(0.5));
});

test("valueAndGradInto writes the gradient into the caller's buffer (overwritten, returned) and gives the value", () => {
  const C = compile(energy, { wrt: [0] });
  const into = new Float64Array(X.length).fill(99);
  const want = C.grad(X, X.length) as Float64Array;
  for (let k = 0; k < 2; k++) {
    const { value, grad: got } = C.valueAndGradInto(into, X, X.length);
    assert.ok(got === into, "the buffer itself is the gradient");
    closeAll(into, want, 0);
    close(value, energy(X, X.length), 1e-15);
  }
  // Several wrt entries (the number's gradient is returned), and f writing into its array: x is left alone.
  const S = compile((x: Float64Array, k: number) => { x[1] = x[1]! * k; return x[0]! * x[1]! * k; }, { wrt: [0, 1] });
  const x = Float64Array.from([2, 3]);
  const gx = new Float64Array(2).fill(-1);
  const { value, grad } = S.valueAndGradInto([gx, null], x, 0.5);
  const [rx, rk] = grad as [Float64Array, number];
  assert.ok(rx === gx);
  closeAll(x, [2, 3]);
  // f = x0 x1 k², by hand: d/dx = [x1 k², x0 k²], d/dk = 2 x0 x1 k.
  close(value, 2 * 3 * 0.25);
  closeAll(gx, [3 * 0.25, 2 * 0.25], 1e-15);
  close(rk, 2 * 2 * 3 * 0.5, 1e-15);
});

test("valueAndGradInto checks its buffers and refuses an array-valued f, naming the call and the fix", () => {
  const C = compile(energy, { wrt: [0] });
  const x = X.slice();
  assert.throws(() => C.valueAndGradInto(new Float64Array(2), x, x.length), /compile\(energy\)\.valueAndGradInto: into entry 0 is .* of length 6.*pass a Float64Array of length 6/s);
  assert.throws(() => C.valueAndGradInto(x, x, x.length), /valueAndGradInto: into entry 0 shares its memory with an argument/);
  assert.throws(() => C.valueAndGradInto([new Float64Array(6)], x, x.length), /into entry 0 is/);
  const V = compile((a: Float64Array) => [a[0]! * 2], { wrt: [0] });
  assert.throws(() => V.valueAndGradInto(new Float64Array(1), Float64Array.of(1)), /valueAndGradInto: f returns an array, so it has no gradient.*use vjp or jacobian/s);
});

test("branches follow the primal: if/else and ?: with data-dependent conditions", () => {
  const plain = (x: Float64Array) => {
    let s = 0;
    for (let i = 0; i < x.length; i++) {
      if (x[i]! > 0) s += x[i]! * x[i]!;
      else s -= Math.exp(x[i]!);
      s += x[i]! > 1 ? Math.log(x[i]!) : 0.5 * x[i]!;
    }
    return s;
  };
  const lifted = (x: Lifted[]) => {
    let s: Lifted | number = 0;
    for (const v of x) {
      const p = v.value as number;
      s = p > 0 ? add(s, mul(v, v)) : sub(s, exp(v));
      s = add(s, p > 1 ? log(v) : mul(0.5, v));
    }
    return s;
  };
  agreeOnGradient(plain, lifted, X);
});

test("a while loop with a data-dependent trip count, break, continue and early return", () => {
  const plain = (x: Float64Array) => {
    let t = x[0]!;
    let k = 0;
    while (k < 50) {
      k++;
      if (k % 3 === 0) continue;
      t = t * 1.1 + Math.sin(x[1]!) * x[2]!;
      if (t > 20) break;
      if (t < -20) return -t * x[3]!;
    }
    return t * x[3]! + k;
  };
  const lifted = (x: Lifted[]) => {
    let t: Lifted | number = x[0]!;
    let k = 0;
    while (k < 50) {
      k++;
      if (k % 3 === 0) continue;
      t = add(mul(t, 1.1), mul(sin(x[1]!), x[2]!));
      const p = (t as Lifted).value as number;
      if (p > 20) break;
      if (p < -20) return mul(mul(-1, t), x[3]!);
    }
    return add(mul(t, x[3]!), k);
  };
  for (const x of [Float64Array.from([0.5, 0.7, 1.3, 2]), Float64Array.from([-0.5, -0.7, 1.3, 2]), Float64Array.from([0.01, 0.02, 0.001, 1.5])]) {
    agreeOnGradient(plain, lifted, x);
  }
});

test("for...of over an array argument, with let, continue and break, differentiates like the Var tape", () => {
  const plain = (x: Float64Array) => {
    let s = 0;
    for (let v of x) {
      v = v * 2;
      if (v > 3) continue;
      s += Math.sin(v) * v;
      if (s > 5) break;
    }
    for (const v of x) s += 0.5 * v * v;
    return s;
  };
  const lifted = (x: Lifted[]) => {
    let s: Lifted | number = 0;
    for (const x0 of x) {
      const v = mul(x0, 2);
      if ((v as Lifted).value as number > 3) continue;
      s = add(s, mul(sin(v), v));
      if (((s as Lifted).value as number) > 5) break;
    }
    for (const v of x) s = add(s, mul(mul(0.5, v), v));
    return s;
  };
  for (const x of [X, Float64Array.from([0.4, 0.9, 1.3, 1.45, 0.2])]) agreeOnGradient(plain, lifted, x);
});

test("do...while runs its body before the first test, and a continue reaches the test", () => {
  const plain = (x: Float64Array, n: number) => {
    let s = x[0]!;
    let k = 0;
    do {
      s = s * Math.cos(s) + x[1]!;
      k++;
      if (k % 2 === 0) continue;
      s += 0.1 * x[2]!;
    } while (k < n);
    return s;
  };
  const lifted = (x: Lifted[], n: number) => {
    let s: Lifted | number = x[0]!;
    let k = 0;
    do {
      s = add(mul(s, cos(s)), x[1]!);
      k++;
      if (k % 2 === 0) continue;
      s = add(s, mul(0.1, x[2]!));
    } while (k < n);
    return s;
  };
  // n = 0 still runs the body once; n = 5 takes the continue twice.
  for (const n of [0, 1, 5]) agreeOnGradient(plain, lifted, X, [n]);
});

test("let without a value holds NaN until assigned, as undefined reads in arithmetic", () => {
  const plain = (x: Float64Array) => {
    let y;
    if (x[0]! > 0) y = x[0]! * x[1]!;
    else y = Math.exp(x[1]!);
    let z;
    const unset = z! * 2;
    return unset === unset ? 0 : y * y;
  };
  const lifted = (x: Lifted[]) => {
    const y = (x[0]!.value as number) > 0 ? mul(x[0]!, x[1]!) : exp(x[1]!);
    return mul(y, y);
  };
  agreeOnGradient(plain as (x: Float64Array) => number, lifted, X);
  agreeOnGradient(plain as (x: Float64Array) => number, lifted, Float64Array.from([-0.3, 0.5]));
});

test("local arrays created in a loop or branch are fresh each time: zeros, or the literal's elements", () => {
  const plain = (x: Float64Array, d: number) => {
    let s = 0;
    for (let i = 0; i + 1 < x.length; i++) {
      const p = [x[i]!, x[i + 1]! * 2];
      const q = new Float64Array(d);
      q[0] += p[0]! * p[1]!;
      q[d - 1] += Math.sin(p[1]!);
      if (p[0]! > 0) {
        const r = new Float64Array(2);
        r[1] = q[0]!;
        s += r[0]! + r[1]! * q[d - 1]!;
      }
      s += q[0]! * q[0]!;
    }
    return s;
  };
  const lifted = (x: Lifted[], d: number) => {
    let s: Lifted | number = 0;
    for (let i = 0; i + 1 < x.length; i++) {
      const p = [x[i]!, mul(x[i + 1]!, 2)];
      const q: (Lifted | number)[] = new Array(d).fill(0);
      q[0] = add(q[0]!, mul(p[0]!, p[1]!));
      q[d - 1] = add(q[d - 1]!, sin(p[1]!));
      if ((x[i]!.value as number) > 0) s = add(s, mul(q[0]!, q[d - 1]!));
      s = add(s, mul(q[0]!, q[0]!));
    }
    return s;
  };
  for (const d of [1, 3]) agreeOnGradient(plain, lifted, X, [d]);
});

/** A dense layer's squared activations, with the matrix indexed w[i][j] and a helper that reads a row of it. */
function layer(w: number[][], x: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) {
    const z = b[i]! + rowDot(w, i, x);
    s += Math.tanh(z) * Math.tanh(z) + 0.1 * w[i]![w[i]!.length - 1]! * z;
  }
  return s;
}
function rowDot(m: number[][], i: number, x: number[]): number {
  let z = 0;
  for (let j = 0; j < m[i]!.length; j++) z += m[i]![j]! * x[j]!;
  return z;
}
function layerOps(w: Lifted[][], x: Lifted[], b: number[]): Lifted {
  let s: Lifted | number = 0;
  for (let i = 0; i < w.length; i++) {
    const row = w[i]!;
    let z: Lifted | number = b[i]!;
    for (let j = 0; j < row.length; j++) z = add(z, mul(row[j]!, x[j]!));
    s = add(s, add(mul(tanh(z), tanh(z)), mul(mul(0.1, row[row.length - 1]!), z)));
  }
  return s as Lifted;
}
const W = [[0.1, -0.3, 0.5], [0.7, 0.2, -0.4]];
const refused = (call: () => unknown, message: RegExp) =>
  assert.throws(call, (e: unknown) => e instanceof DualtapeError && message.test((e as Error).message));
const XW = [0.3, -0.8, 1.1];
const BW = [0.05, -0.1];

test("a matrix argument w[i][j] (rows of one length) differentiates like the Var tape, as rows of its kind", () => {
  const C = compile(layer, { wrt: [0, 1], helpers: { rowDot } });
  const [gw, gx] = C.grad(W, XW, BW) as [number[][], number[]];
  const byVar = grad((w: Lifted[], x: Lifted[]) => layerOps([w.slice(0, 3), w.slice(3)], x, BW), { argnums: [0, 1] })(W.flat(), XW) as number[][];
  assert.ok(Array.isArray(gw) && Array.isArray(gw[0]) && gw.length === 2 && gw[0]!.length === 3);
  closeAll(gw.flat(), byVar[0]!, 1e-12);
  closeAll(gx, byVar[1]!, 1e-12);
  // Central differences of the plain function, entry by entry.
  const h = 1e-6;
  const fd = W.flatMap((r, i) => r.map((_, j) => {
    const up = W.map((q) => q.slice()), dn = W.map((q) => q.slice());
    up[i]![j]! += h;
    dn[i]![j]! -= h;
    return (layer(up, XW, BW) - layer(dn, XW, BW)) / (2 * h);
  }));
  closeAll(gw.flat(), fd, 1e-6);
  // Float64Array rows give Float64Array rows; forward mode and the Jacobian's columns run through the entries row by row.
  const g32 = C.grad(W.map((r) => Float64Array.from(r)), XW, BW) as [Float64Array[], number[]];
  assert.instance(g32[0][1], Float64Array);
  closeAll(Array.from(g32[0][1]!), gw[1]!, 0);
  const t = C.jvp([W, XW, BW], [[[0, 0, 0], [0, 1, 0]], [0, 0, 1]]).tangent as number;
  close(t, gw[1]![1]! + gx[2]!, 1e-12);
  const J = C.jacobian([W, XW, BW], { mode: "forward" }) as number[][][];
  closeAll(J[0]![0]!, gw.flat(), 1e-12);
  const into = new Float64Array(6);
  const r = C.valueAndGradInto([into, new Float64Array(3)], W, XW, BW);
  assert.is((r.grad as unknown[])[0], into);
  closeAll(Array.from(into), gw.flat(), 1e-12);
});

test("a matrix written in f, and a pullback's gradient for it, as rows", () => {
  const f = (m: number[][], n: number) => {
    const out = new Float64Array(n);
    for (let i = 0; i < m.length; i++) {
      m[i]![0] = m[i]![0]! * m[i]![1]!;
      m[i]![1] += Math.sin(m[i]![0]!);
      out[i] = m[i]![1]! * m[i]![0]!;
    }
    return out;
  };
  const M = [[0.4, 0.9], [-0.6, 0.3]];
  const C = compile(f, { wrt: [0] });
  const { value, pullback } = C.vjp([M, 2]);
  closeAll(Array.from(value as Float64Array), Array.from(f(M.map((r) => r.slice()), 2)), 1e-15);
  const g = pullback(Float64Array.from([1, 0])) as number[][];
  // Row 0 alone: a = m00 m01, c = m01 + sin a, out = c a; d/dm00 = (cos(a) a + c) m01, d/dm01 = (1 + cos(a) m00) a + c m00.
  const [m00, m01] = M[0]!;
  const a = m00! * m01!, c = m01! + Math.sin(a);
  closeAll(g[0]!, [(Math.cos(a) * a + c) * m01!, (1 + Math.cos(a) * m00!) * a + c * m00!], 1e-12);
  closeAll(g[1]!, [0, 0], 0);
  assert.equal(M, [[0.4, 0.9], [-0.6, 0.3]], "the caller's rows are left as they were");
});

test("matrix arguments are checked: rows of one length, tangents of the argument's shape", () => {
  const C = compile(layer, { wrt: [0], helpers: { rowDot } });
  refused(() => C.grad([[1, 2], [3]], XW, BW), /compile\(layer\)\.grad: row 1 of argument 0 \('w'\) has 1 entries, row 0 has 2; pass an array of rows of one length/);
  refused(() => C.grad(Float64Array.from([1, 2]), XW, BW), /argument 0 \('w'\) is Float64Array, but f indexes it as w\[i\]\[j\]/);
  refused(() => C.grad([1, 2], XW, BW), /row 0 of argument 0 \('w'\) is number 1/);
  refused(() => C.grad(W, XW), /got 2 arguments for 3 parameters; pass w, x, b/);
  refused(() => C.jvp([W, XW, BW], [[[1, 0], [0, 0]]]), /tangent 0 has 2 rows of 2, but 'w' has 2 of 3; give each tangent the shape of its argument/);
});

/** A layer whose parameters come in one object: a matrix, an array and a number field, one of them destructured. */
type LayerParams = { w: number[][]; b: Float64Array; scale: number };
function objectLayer(p: LayerParams, x: Float64Array): number {
  const { w } = p;
  let s = 0;
  for (let i = 0; i < w.length; i++) {
    let z = p.b[i]!;
    for (let j = 0; j < x.length; j++) z += w[i]![j]! * x[j]!;
    s += Math.tanh(z) * p.scale;
  }
  return s * s;
}
const P0: LayerParams = { w: [[0.4, -0.7], [0.2, 0.9], [-0.5, 0.3]], b: Float64Array.from([0.1, -0.2, 0.3]), scale: 1.5 };
const XO = Float64Array.from([0.7, -0.3]);

test("object arguments: gradients come back as objects of the fields f reads, equal to the Var tape's and to differences", () => {
  const C = compile(objectLayer, { wrt: [0, 1] });
  const { value, grad: g } = C.valueAndGrad(P0, XO) as { value: number; grad: [{ w: number[][]; b: Float64Array; scale: number }, Float64Array] };
  assert.is(value, objectLayer(P0, XO));
  assert.equal(Object.keys(g[0]), ["b", "scale", "w"]);
  assert.ok(g[0].b instanceof Float64Array && Array.isArray(g[0].w[0]), "each field's gradient is of the field's kind");
  // The same program on traced values, every input in one flat list: w (6), b (3), scale, x (2).
  const lifted = (v: Lifted[]) => {
    let s: Lifted | number = 0;
    for (let i = 0; i < 3; i++) {
      let z: Lifted | number = v[6 + i]!;
      for (let j = 0; j < 2; j++) z = add(z, mul(v[2 * i + j]!, v[10 + j]!));
      s = add(s, mul(tanh(z), v[9]!));
    }
    return mul(s, s) as Lifted;
  };
  const flat = [...P0.w.flat(), ...P0.b, P0.scale, ...XO];
  const byVar = grad(lifted)(flat) as number[];
  closeAll([...g[0].w.flat(), ...g[0].b, g[0].scale, ...g[1]], byVar, 1e-12);
  // Central differences of the plain function, field by field.
  const h = 1e-6;
  const at = (p: LayerParams) => (objectLayer(p, XO));
  const bumped = (k: number, d: number): LayerParams => {
    const w = P0.w.map((r) => r.slice());
    const b = P0.b.slice();
    let scale = P0.scale;
    if (k < 6) w[k >> 1]![k & 1]! += d; else if (k < 9) b[k - 6]! += d; else scale += d;
    return { w, b, scale };
  };
  const differences = Array.from({ length: 10 }, (_, k) => (at(bumped(k, h)) - at(bumped(k, -h))) / (2 * h));
  closeAll([...g[0].w.flat(), ...g[0].b, g[0].scale], differences, 1e-6);
  // Forward mode takes an object tangent: <grad, v> along a direction in every field and in x.
  const v = { w: [[1, 0], [0, -1], [0.5, 0]], b: Float64Array.from([0, 1, 0]), scale: 2 };
  const dx = Float64Array.from([0.3, 0]);
  const { tangent } = C.jvp([P0, XO], [v, dx]) as { tangent: number };
  const dot = [...v.w.flat(), ...v.b, v.scale, ...dx].reduce((acc, vi, i) => acc + vi * byVar[i]!, 0);
  close(tangent, dot, 1e-12);
  // The Jacobian is grouped the same way: one row, per field.
  const J = C.jacobian([P0, XO]) as [{ w: number[][]; b: number[][]; scale: number[][] }, number[][]];
  closeAll(J[0].w[0]!, g[0].w.flat(), 1e-12);
  closeAll([J[0].scale[0]![0]!], [g[0].scale], 1e-12);
});

test("nested object arguments (p.a.b, and fields of a destructured part): gradients nested the same way, by hand; tangents nested too", () => {
  type Nested = { a: { b: number; c: Float64Array }; d: number };
  const f = (p: Nested) => {
    const { a } = p;
    return p.a.b * a.c[0]! * a.c[1]! + Math.sin(p.d);
  };
  const C = compile(f, { wrt: [0] });
  const p: Nested = { a: { b: 2, c: Float64Array.from([3, -1]) }, d: 0.5 };
  const g = C.grad(p) as { a: { b: number; c: Float64Array }; d: number };
  assert.equal(Object.keys(g), ["a", "d"]);
  close(g.a.b, 3 * -1, 1e-15);
  closeAll(g.a.c, [2 * -1, 2 * 3], 1e-15);
  close(g.d, Math.cos(0.5), 1e-15);
  const t = C.jvp([p], [{ a: { b: 1, c: Float64Array.from([0, 1]) }, d: 2 }]).tangent as number;
  close(t, -3 + 6 + 2 * Math.cos(0.5), 1e-14);
  refused(() => C.grad({ a: 3, d: 1 }), /compile\(\w+\)\.grad: argument 0 \('(\w+)'\) has \1\.a\.b = undefined, not a number; give \1\.a\.b a number/);
});

test("object arguments in vjp, into buffers and precomputed pullbacks; one object alone as wrt", () => {
  const C = compile(objectLayer, { wrt: [0] });
  const g = C.grad(P0, XO) as { w: number[][]; b: Float64Array; scale: number };
  const into = { w: new Float64Array(6), b: new Float64Array(3), scale: null };
  const r = C.valueAndGradInto(into, P0, XO) as { grad: { w: Float64Array; b: Float64Array; scale: number } };
  assert.is(r.grad.b, into.b, "the buffer passed for b holds its gradient");
  closeAll(Array.from(into.w), g.w.flat(), 0);
  closeAll(Array.from(into.b), Array.from(g.b), 0);
  assert.is(r.grad.scale, g.scale);
  const pulled = C.vjp([P0, XO]).pullback(2) as { scale: number };
  close(pulled.scale, 2 * g.scale, 1e-15);
  const twice = C.vjp([P0, XO]).pullbacks([1, 3]) as { b: Float64Array }[];
  closeAll(Array.from(twice[1]!.b), Array.from(g.b, (x) => 3 * x), 1e-15);
});

test("arrays of objects (pts[i].x): gradients as objects element by element, equal to the Var tape's; tangents as objects; Jacobian blocks per field", () => {
  type Pt = { x: number; y: number };
  function spring(pts: Pt[], k: number): number {
    let e = 0;
    for (let i = 0; i + 1 < pts.length; i++) {
      const dx = pts[i + 1]!.x - pts[i]!.x;
      const dy = pts[i + 1]!.y - pts[i]!.y;
      e += k * (Math.sqrt(dx * dx + dy * dy) - 1) ** 2;
    }
    return e;
  }
  const pts: Pt[] = [{ x: 0, y: 0 }, { x: 1.5, y: 0.2 }, { x: 2.1, y: 1.4 }, { x: 2.5, y: 2.9 }];
  const C = compile(spring, { wrt: [0] });
  const { value, grad: g } = C.valueAndGrad(pts, 2) as { value: number; grad: Pt[] };
  assert.is(value, spring(pts, 2));
  // The same energy on traced values, the points flat as x0, y0, x1, y1, ...
  const lifted = (v: Lifted[]) => {
    let e: Lifted | number = 0;
    for (let i = 0; i + 1 < 4; i++) {
      const dx = sub(v[2 * i + 2]!, v[2 * i]!);
      const dy = sub(v[2 * i + 3]!, v[2 * i + 1]!);
      e = add(e, mul(2, square(sub(sqrt(add(mul(dx, dx), mul(dy, dy))), 1))));
    }
    return e as Lifted;
  };
  const byVar = grad(lifted)(pts.flatMap((p) => [p.x, p.y])) as number[];
  assert.equal(g.map((p) => Object.keys(p)), pts.map(() => ["x", "y"]));
  closeAll(g.flatMap((p) => [p.x, p.y]), byVar, 1e-12);
  const dir = pts.map((_, i) => ({ x: i === 2 ? 1 : 0, y: i === 1 ? -1 : 0 }));
  close(C.jvp([pts, 2], [dir]).tangent as number, byVar[4]! - byVar[3]!, 1e-12);
  const J = C.jacobian([pts, 2]) as { x: number[][]; y: number[][] };
  closeAll(J.x[0]!, g.map((p) => p.x), 1e-12);
  closeAll(J.y[0]!, g.map((p) => p.y), 1e-12);
  // Elements written in f are written in f's own copy: the caller's objects stay as they were.
  const W = compile((a: Pt[]) => { for (let i = 0; i < a.length; i++) a[i]!.x = a[i]!.x * 2; return a[1]!.x * a[2]!.y; }, { wrt: [0] });
  assert.equal(W.grad(pts), [{ x: 0, y: 0 }, { x: 2 * 1.4, y: 0 }, { x: 0, y: 2 * 1.5 }, { x: 0, y: 0 }]);
  assert.equal(pts[1], { x: 1.5, y: 0.2 });
  refused(() => C.grad([{ x: 1 }, { x: 2, y: 3 }], 2), /compile\(spring\)\.grad: argument 0 \('\w+'\) has \w+\[0\]\.y = undefined, not a number; give every element of \w+ a number y/);
  refused(() => C.grad({ x: [1] }, 2), /argument 0 \('\w+'\) is Object, but f reads \w+\[i\]\.field; pass an array of objects with the fields x, y/);
  refused(() => C.valueAndGradInto(null, pts, 2), /into is given, and the gradient of the array of objects '\w+' is made of new objects; call without into/);
});

test("arrays of objects by for...of (p.x, or { x, y } in the head), nested over one array, and elements destructured: gradients equal the indexed form's and the Var tape's", () => {
  type Pt = { x: number; y: number };
  // Pairwise energy: the same sum written four ways.
  const indexed = (a: Pt[]) => {
    let e = 0;
    for (let i = 0; i < a.length; i++) for (let j = 0; j < a.length; j++) e += Math.exp(-((a[i]!.x - a[j]!.x) ** 2)) * a[i]!.y * a[j]!.y;
    return e;
  };
  const looped = (a: Pt[]) => {
    let e = 0;
    for (const p of a) {
      // A closure reading the element's field where it was declared.
      const weight = (xq: number) => Math.exp(-((p.x - xq) ** 2));
      for (const q of a) e += weight(q.x) * p.y * q.y;
    }
    return e;
  };
  const headed = (a: Pt[]) => {
    let e = 0;
    for (const { x, y: yi } of a) for (const { x: xj, y } of a) e += Math.exp(-((x - xj) ** 2)) * yi * y;
    return e;
  };
  const elements = (a: Pt[]) => {
    let e = 0;
    for (let i = 0; i < a.length; i++) {
      const { x, y } = a[i]!;
      for (let j = 0; j < a.length; j++) {
        const { x: xj, y: yj } = a[j]!;
        e += Math.exp(-((x - xj) ** 2)) * y * yj;
      }
    }
    return e;
  };
  const pts: Pt[] = [{ x: 0.1, y: 1 }, { x: 0.7, y: -0.5 }, { x: -0.4, y: 2 }];
  const lifted = (v: Lifted[]) => {
    let e: Lifted | number = 0;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) e = add(e, mul(mul(exp(neg(square(sub(v[2 * i]!, v[2 * j]!)))), v[2 * i + 1]!), v[2 * j + 1]!));
    return e as Lifted;
  };
  const byVar = grad(lifted)(pts.flatMap((p) => [p.x, p.y])) as number[];
  for (const f of [indexed, looped, headed, elements]) {
    const { value, grad: g } = compile(f, { wrt: [0] }).valueAndGrad(pts) as { value: number; grad: Pt[] };
    close(value, indexed(pts), 1e-14);
    closeAll(g.flatMap((p) => [p.x, p.y]), byVar, 1e-12);
  }
});

test("reduce, forEach (with a bare return) and map with functions written in place run as loops: values as JavaScript's, gradients by hand and by forward mode", () => {
  const plain = (x: Float64Array, w: number) => {
    const y = x.map((v, i) => Math.sin(v) * w + i);
    let s = 0;
    y.forEach((v, i) => {
      if (v < 0) return;
      s += v * x[i]!;
    });
    const sq = (v: number) => v * v;
    return s + y.reduce((acc, v, i, arr) => acc + sq(v) * arr[0]! + i, 0.5);
  };
  const x = Float64Array.from([0.3, -0.7, 1.1]);
  const C = compile(plain, { wrt: [0] });
  const { value, grad: g } = C.valueAndGrad(x, 1.5) as { value: number; grad: Float64Array };
  close(value, plain(x, 1.5), 1e-14);
  // By hand: y_i = w sin(x_i) + i; s = sum over y_i >= 0 of y_i x_i; r = 0.5 + sum_i (y_i^2 y_0 + i).
  const w = 1.5;
  const y = Array.from(x, (v, i) => w * Math.sin(v) + i);
  const dy = Array.from(x, (v) => w * Math.cos(v));
  const sumSq = y.reduce((a, v) => a + v * v, 0);
  const hand = Array.from(x, (v, i) => {
    const ds = y[i]! >= 0 ? dy[i]! * v + y[i]! : 0;
    const dr = 2 * y[i]! * dy[i]! * y[0]! + (i === 0 ? sumSq * dy[0]! : 0);
    return ds + dr;
  });
  closeAll(g, hand, 1e-12);
  closeAll(g, (C.jacobian([x, 1.5], { mode: "forward" }) as number[][])[0]!, 1e-12);
});

test("parameters with a number as their default get it when left out or undefined; one in wrt is differentiated", () => {
  const loss = (x: number[], lambda = 0.1, shift = -1e-3) => { let s = 0; for (const v of x) s += v * v; return s * lambda + shift; };
  const C = compile(loss, { wrt: [0, 1] });
  // s = 5: value 5 lambda + shift, d/dx = 2 x lambda, d/dlambda = 5.
  const at = (...args: unknown[]) => C.valueAndGrad(...args) as { value: number; grad: [number[], number] };
  const left = at([1, 2]);
  close(left.value, loss([1, 2]), 1e-15);
  closeAll(left.grad[0], [0.2, 0.4], 1e-15);
  assert.is(left.grad[1], 5);
  close(at([1, 2], undefined, 1).value, loss([1, 2], undefined, 1), 1e-15);
  closeAll(at([1, 2], 0.5).grad[0], [1, 2], 1e-15);
  close(C.jvp([[1, 2]], [[1, 0], 1]).tangent as number, 0.2 + 5, 1e-15);
  // wrt counts parameters as f's text declares them (f.length stops at the first default).
  assert.is(loss.length, 1);
  assert.throws(() => compile(loss, { wrt: [3] }), /wrt entry number 3 is not a parameter index of f \(it has 3\)/);
});

test("new Array(n).fill(v), new Float64Array(n).fill(v) and new Array(n) (undefined, NaN in arithmetic) make local arrays: values as JavaScript's, gradients by hand", () => {
  const f = (x: number[], n: number) => {
    const acc = new Array(n).fill(x[0]! * 2);
    const ones = new Float64Array(n).fill(1);
    const holes = Array(n);
    for (let i = 0; i < n; i++) acc[i] += x[i]! * ones[i]!;
    let s = 0;
    for (let i = 0; i < n; i++) s += acc[i]! * acc[i]!;
    return s + (holes[0] + 1 > 0 ? 1 : 0);
  };
  const C = compile(f, { wrt: [0] });
  const { value, grad: g } = C.valueAndGrad([1, 2, 3], 3) as { value: number; grad: number[] };
  assert.is(value, f([1, 2, 3], 3));
  // acc_i = 2 x0 + x_i: ds/dx0 = sum_i 4 (2 x0 + x_i) + 2 (3 x0) = 54 at x = [1, 2, 3]; ds/dx_i = 2 (2 x0 + x_i) for i > 0.
  assert.equal(g, [54, 8, 10]);
});

test("for (const [i, v] of a.entries()) and for (const i of a.keys()) count over the array: values as JavaScript's, gradients by hand", () => {
  const f = (x: number[]) => {
    let s = 0;
    for (const [i, v] of x.entries()) s += v * v * (i + 1);
    for (const [, v] of x.entries()) s += v;
    for (const i of x.keys()) if (i > 0) s += x[i]! * x[i - 1]!;
    return s;
  };
  const C = compile(f, { wrt: [0] });
  const x = [1, 2, 3];
  const { value, grad: g } = C.valueAndGrad(x) as { value: number; grad: number[] };
  assert.is(value, f(x));
  // d/dx_j: 2 x_j (j + 1) + 1 + x_{j-1} + x_{j+1}.
  assert.equal(g, [2 * 1 * 1 + 1 + 2, 2 * 2 * 2 + 1 + 1 + 3, 2 * 3 * 3 + 1 + 2]);
  const only = compile((x: number[]) => { let s = 0; for (const [i, v] of x.entries()) s += i * v; return s; }, { wrt: [0] });
  assert.equal(only.grad([5, 5, 5]), [0, 1, 2]);
});

test("local objects ({ pos, vel, trail }) read, written and destructured by field: values as JavaScript's, gradients against the same program on locals", () => {
  const withObject = (x: number[], steps: number) => {
    const state = { pos: x[0]!, vel: x[1]!, trail: new Float64Array(steps) };
    const k = { stiff: 2, "damp": 0.1 };
    for (let s = 0; s < steps; s++) {
      const acc = -k.stiff * state.pos - k.damp * state.vel;
      state.vel += 0.1 * acc;
      state.pos += 0.1 * state.vel;
      state.trail[s] = state.pos;
    }
    const { pos, vel: v } = state;
    state.pos = 0;
    let t = 0;
    for (let s = 0; s < steps; s++) t += state.trail[s]!;
    return pos * pos + v * v + 0.01 * t + state.pos;
  };
  const withLocals = (x: number[], steps: number) => {
    let pos = x[0]!;
    let vel = x[1]!;
    const trail = new Float64Array(steps);
    for (let s = 0; s < steps; s++) {
      const acc = -2 * pos - 0.1 * vel;
      vel += 0.1 * acc;
      pos += 0.1 * vel;
      trail[s] = pos;
    }
    let t = 0;
    for (let s = 0; s < steps; s++) t += trail[s]!;
    return pos * pos + vel * vel + 0.01 * t;
  };
  const a = compile(withObject, { wrt: [0] }).valueAndGrad([1, 0.5], 20) as { value: number; grad: number[] };
  const b = compile(withLocals, { wrt: [0] }).valueAndGrad([1, 0.5], 20) as { value: number; grad: number[] };
  assert.is(a.value, withObject([1, 0.5], 20));
  closeAll([a.value, ...a.grad], [b.value, ...b.grad], 1e-14);
  const h = 1e-6;
  close(a.grad[0]!, (withObject([1 + h, 0.5], 20) - withObject([1 - h, 0.5], 20)) / (2 * h), 1e-7);
});

test("functions passed to functions (a step taking its right-hand side, written in place or by name) are inlined where the parameter is called: values as JavaScript's, gradients against differences", () => {
  function integrate(x: number[], n: number): number {
    const k = x[1]!;
    const rhs = (y: number, t: number) => -k * y + Math.sin(t);
    const step = (f: (y: number, t: number) => number, y: number, t: number, h: number) => {
      const k1 = f(y, t);
      const k2 = f(y + 0.5 * h * k1, t + 0.5 * h);
      return y + h * k2;
    };
    let y = x[0]!;
    for (let i = 0; i < n; i++) y = step(rhs, y, i * 0.1, 0.1);
    const twice = (g: (v: number) => number, v: number) => g(g(v));
    return twice((v) => v * v + k, y);
  }
  const C = compile(integrate, { wrt: [0] });
  const x = [1, 0.5];
  const { value, grad: g } = C.valueAndGrad(x, 10) as { value: number; grad: number[] };
  assert.is(value, integrate(x, 10));
  const h = 1e-6;
  close(g[0]!, (integrate([1 + h, 0.5], 10) - integrate([1 - h, 0.5], 10)) / (2 * h), 1e-7);
  close(g[1]!, (integrate([1, 0.5 + h], 10) - integrate([1, 0.5 - h], 10)) / (2 * h), 1e-7);
  // A helper passed a function written in place: helper(f, v) = 2 f(v), so d/dx of 2 (3 x) is 6.
  const helper = (f: (v: number) => number, v: number) => f(v) * 2;
  assert.is(compile((x: number) => helper((t) => t * x, 3), { wrt: [0], helpers: { helper } }).grad(5), 6);
});

test("copies of an array (a.slice(), [...a], Float64Array.from(a), Array.from(a)) are local arrays of its elements, written apart from it", () => {
  const f = (x: number[]) => {
    const y = x.slice();
    const z = [...x];
    const w = Float64Array.from(x);
    const u = Array.from(x);
    y[0] = y[0]! * 3;
    z[1] = 0;
    let s = 0;
    for (let i = 0; i < y.length; i++) s += y[i]! * z[i]! + w[i]! * u[i]!;
    return s + x[0]!;
  };
  const C = compile(f, { wrt: [0] });
  const { value, grad: g } = C.valueAndGrad([1, 2, 3]) as { value: number; grad: number[] };
  assert.is(value, f([1, 2, 3]));
  // s = 3 x0^2 + 0 + x2^2 + |x|^2, plus x0.
  assert.equal(g, [6 + 2 + 1, 4, 6 + 6]);
});

test("a local array made in a loop may take an array parameter's length as its size", () => {
  const f = (x: number[], reps: number) => {
    let s = 0;
    for (let r = 0; r < reps; r++) {
      const t = new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) t[i] = x[i]! * (r + 1);
      for (const v of t) s += v * v;
    }
    return s;
  };
  // s = |x|^2 (1 + 4 + 9): gradient 28 x.
  const { value, grad: g } = compile(f, { wrt: [0] }).valueAndGrad([1, 2], 3) as { value: number; grad: number[] };
  assert.equal([value, g], [f([1, 2], 3), [28, 56]]);
});

test("Number(x) of a number is x: value and derivative", () => {
  const C = compile((x: number, on: boolean) => Number(x) * x + Number(on) * x, { wrt: [0] });
  assert.equal([C.valueAndGrad(3, true).value, C.grad(3, true), C.grad(3, false)], [12, 7, 6]);
});

test("Math.max, Math.min and Math.hypot of a spread array fold over its elements: values as JavaScript's (an empty array too), gradients by hand", () => {
  const f = (x: number[]) => Math.max(...x) * 2 + Math.min(...x) + Math.hypot(...x);
  const C = compile(f, { wrt: [0] });
  const x = [1, 5, -2];
  const { value, grad: g } = C.valueAndGrad(x) as { value: number; grad: number[] };
  close(value, f(x), 1e-15);
  // max at x1 (slope 2), min at x2 (slope 1), hypot's x_i / |x|.
  const norm = Math.hypot(...x);
  closeAll(g, [x[0]! / norm, 2 + x[1]! / norm, 1 + x[2]! / norm], 1e-15);
  assert.ok(Number.isNaN(C.valueAndGrad([]).value) && Number.isNaN(f([])), "-Infinity * 2 + Infinity + 0 is NaN in both");
});

test("an element of an array of objects given a name (const p = pts[i]) reads and writes that element's fields: gradients by hand", () => {
  type Pt = { x: number; y: number };
  function f(pts: Pt[]) {
    let s = 0;
    for (let i = 0; i + 1 < pts.length; i++) {
      const p = pts[i]!;
      const q = pts[i + 1]!;
      s += (q.x - p.x) ** 2 + p.y * q.y;
    }
    // Written through its name, read through the array: one object in JavaScript.
    const last = pts[pts.length - 1]!;
    last.x = last.x * 2;
    return s + pts[pts.length - 1]!.x;
  }
  const pts = [{ x: 1, y: 2 }, { x: 3, y: -1 }, { x: 0.5, y: 4 }];
  const { value, grad: g } = compile(f, { wrt: [0] }).valueAndGrad(pts) as { value: number; grad: Pt[] };
  assert.is(value, f(pts.map((p) => ({ ...p }))));
  // s = (x1 - x0)^2 + y0 y1 + (x2 - x1)^2 + y1 y2, plus 2 x2.
  assert.equal(g, [{ x: -4, y: -1 }, { x: 9, y: 6 }, { x: -3, y: -1 }]);
  assert.equal(pts[2], { x: 0.5, y: 4 }, "the caller's objects are not written");
});

test("one array passed as two arguments, one of which f writes, is refused; read twice, it is differentiated as two inputs", () => {
  const writes = (a: Float64Array, b: Float64Array) => { a[0] = a[0]! * 5; return b[0]! * a[1]!; };
  const C = compile(writes, { wrt: [0, 1] });
  const x = Float64Array.from([1, 2]);
  refused(() => C.grad(x, x), /compile\(writes\)\.grad: 'b' and 'a' are the same array \(or share memory\), and f writes 'a'; pass a copy \(b\.slice\(\)\)/);
  refused(() => C.grad(x, x.subarray(1)), /'b' and 'a' are the same array \(or share memory\)/);
  // Apart, the compiled value is JavaScript's on those arrays: a[0] = 5, then b[0] * a[1] = 1 * 2.
  assert.is(C.valueAndGrad(x, x.slice()).value, 2);
  const rows = compile((w: number[][], r: number[]) => { w[0]![0] = 3; return w[1]![0]! * r[0]!; }, { wrt: [1] });
  const w = [[1], [2]];
  // (A bundler may rename w in f's text, as tsx does.)
  refused(() => rows.grad(w, w[0]!), /'r' and '\w+' are the same array \(or share memory\), and f writes '\w+'/);
  const fields = compile((p: { a: Float64Array; b: Float64Array }) => { p.a[0] = 2; return p.b[0]! * p.b[1]!; }, { wrt: [0] });
  refused(() => fields.grad({ a: x, b: x }), /'p\.b' and 'p\.a' are the same array \(or share memory\), and f writes 'p\.a'; pass a copy \(p\.b\.slice\(\)\)/);
  // Read only, one array is two inputs: d(a0 b1)/da = [b1, 0], d/db = [0, a0].
  const reads = compile((a: number[], b: number[]) => a[0]! * b[1]!, { wrt: [0, 1] });
  const y = [3, 4];
  assert.equal(reads.grad(y, y), [[4, 0], [0, 3]]);
});

test("object arguments are checked: an object with fields of the kinds f reads", () => {
  const C = compile(objectLayer, { wrt: [0] });
  refused(() => C.grad([1, 2], XO), /compile\(objectLayer\)\.grad: argument 0 \('p'\) is array\(2\), but f reads its fields; pass an object with the fields b, scale, w/);
  refused(() => C.grad({ ...P0, b: 2 }, XO), /argument 0 \('p'\) has p\.b = number 2, but f indexes it; give p\.b a number\[\] or Float64Array/);
  refused(() => C.grad({ ...P0, scale: "1" }, XO), /has p\.scale = string "1", not a number; give p\.scale a number/);
  refused(() => C.grad({ ...P0, w: Float64Array.from([1]) }, XO), /has p\.w = Float64Array, but f indexes it as p\.w\[i\]\[j\]; give p\.w an array of rows/);
  refused(() => C.grad(P0), /got 1 argument for 2 parameters; pass p, x/);
  refused(() => C.jvp([P0, XO], [{ w: P0.w, b: P0.b }]), /tangent 0 has no field 'scale'; pass an object with the fields \{ b, scale, w \}/);
});

test("Number.isNaN/isFinite/isInteger, isNaN, isFinite and Number's constants read as JavaScript reads them", () => {
  const f = (x: number, y: number) => (Number.isNaN(y) ? 1 : 0) + (Number.isFinite(y) ? 2 : 0) + (Number.isInteger(y) ? 4 : 0)
    + (isNaN(y) ? 8 : 0) + (isFinite(y * 2) ? 16 : 0) + x * (Number.EPSILON + Number.MAX_SAFE_INTEGER - Number.MAX_SAFE_INTEGER);
  const C = compile(f, { wrt: [0] });
  for (const y of [0, -0, 2, 2.5, -3, 1e308, Infinity, -Infinity, NaN]) {
    const { value, grad: g } = C.valueAndGrad(1.5, y) as { value: number; grad: number };
    assert.is(value, f(1.5, y), `value at y = ${y}`);
    assert.is(g, Number.EPSILON + Number.MAX_SAFE_INTEGER - Number.MAX_SAFE_INTEGER);
    assert.is(C.jvp([1.5, y], [1]).value, f(1.5, y));
  }
  // A test in a value position (a helper-free expression read twice) and in a loop condition.
  const g = compile((x: number[]) => {
    let s = 0;
    let k = 0;
    while (Number.isFinite(x[k]! * 1e300) && k < x.length) { s += x[k]! * x[k]!; k++; }
    return s;
  }, { wrt: [0] });
  assert.equal(g.grad([1, 2, 1e10, 3]), [2, 4, 0, 0]);
  // A test of a computed value, kept as a number: the value is computed once, into a local.
  const h = compile((x: number) => { const t = Number.isFinite(x * 1e300) as unknown as number; return t * x * x; }, { wrt: [0] });
  assert.equal([h.grad(3), h.grad(1e10)], [6, 0]);
});

test("bitwise operators on indices and their compound assignments: values as JavaScript's, gradients as the Var tape's", () => {
  const plain = (x: Float64Array) => {
    const n = x.length;
    let lo = 0;
    let hi = n - 1;
    let s = 0;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      s += x[mid]! * Math.sin(x[(mid ^ 1) % n]!);
      if ((mid & 1) === 1) lo = mid + 1;
      else hi = mid;
    }
    let m = n | 0;
    m <<= 1;
    m ^= 3;
    m >>>= 1;
    m &= ~1;
    m |= 8;
    m >>= 1;
    return s + x[0]! * m + x[1]! * (x[2]! | 0) + (~x[3]! & 7);
  };
  const lifted = (x: Lifted[]) => {
    const n = x.length;
    let lo = 0;
    let hi = n - 1;
    let s: Lifted | number = 0;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      s = add(s, mul(x[mid]!, sin(x[(mid ^ 1) % n]!)));
      if ((mid & 1) === 1) lo = mid + 1;
      else hi = mid;
    }
    const m = (((((((n << 1) ^ 3) >>> 1) & ~1) | 8) >> 1));
    return add(add(add(s, mul(x[0]!, m)), mul(x[1]!, (x[2]!.value as number) | 0)), ~(x[3]!.value as number) & 7);
  };
  agreeOnGradient(plain, lifted, Float64Array.from([0.3, -1.2, 2.8, 1.7, -0.4, 2.1, 0.9]));
  // Values at negative, fractional, huge and non-finite operands, as JavaScript's operators give them.
  const ops = compile((a: number, b: number) => (a & b) + (a | b) * 3 + (a ^ b) * 5 + (a << b) * 7 + (a >> b) * 11 + (a >>> b) / 13 + ~a * 17, { wrt: [0, 1] });
  for (const [a, b] of [[5, 3], [-6.7, 2.2], [1e10, 33], [NaN, 1], [Infinity, -1], [-1, 28]]) {
    const want = (a! & b!) + (a! | b!) * 3 + (a! ^ b!) * 5 + (a! << b!) * 7 + (a! >> b!) * 11 + (a! >>> b!) / 13 + ~a! * 17;
    assert.is(ops.valueAndGrad(a!, b!).value, want, `at ${a}, ${b}`);
    assert.equal(ops.grad(a!, b!), [0, 0]);
  }
});

test("switch: cases in order, empty cases sharing a body, default anywhere, continue and return in a case", () => {
  const plain = (x: Float64Array) => {
    let s = 0;
    for (let i = 0; i < x.length; i++) {
      switch (i % 4) {
        case 0: {
          s += Math.sin(x[i]!);
          break;
        }
        default:
          s -= x[i]! * 0.5;
          break;
        case 1:
        case 2:
          if (x[i]! > 1) continue;
          s += x[i]! * x[i]!;
          break;
        case 7:
          return s * x[i]!;
      }
      s *= 1.1;
    }
    switch (x.length) {
      case 2: return s;
      case 6: s += x[0]! * x[1]!;
    }
    return s;
  };
  const lifted = (x: Lifted[]) => {
    let s: Lifted | number = 0;
    for (let i = 0; i < x.length; i++) {
      const k = i % 4;
      if (k === 0) s = add(s, sin(x[i]!));
      else if (k === 1 || k === 2) {
        if ((x[i]!.value as number) > 1) continue;
        s = add(s, mul(x[i]!, x[i]!));
      } else s = sub(s, mul(x[i]!, 0.5));
      s = mul(s, 1.1);
    }
    if (x.length === 6) s = add(s, mul(x[0]!, x[1]!));
    return s;
  };
  agreeOnGradient(plain, lifted, X);
  agreeOnGradient(plain, lifted, Float64Array.from([0.2, 1.5, 0.7, -0.3, 0.9]));
});

test("functions declared inside f: arrows, declarations called before they appear, closures reading and writing f's names", () => {
  const plain = (x: Float64Array, k: number) => {
    const sq = (v: number) => v * v;
    let total = 0;
    function addTerm(i: number) { total += scale * sq(x[i]!) + Math.sin(x[i]!); }
    const scale = 0.5 * k;
    for (let i = 0; i < x.length; i++) {
      const near = function (j: number) { return x[j]! * x[i]!; };
      if (i > 0) total += near(i - 1);
      addTerm(i);
    }
    const first = (a: Float64Array) => a[0]!;
    return total + first(x) * hyp(x[1]!, x[2]!);
    function hyp(a: number, b: number) { return Math.sqrt(sq(a) + sq(b)); }
  };
  const lifted = (x: Lifted[], k: number) => {
    let total: Lifted | number = 0;
    for (let i = 0; i < x.length; i++) {
      if (i > 0) total = add(total, mul(x[i - 1]!, x[i]!));
      total = add(total, add(mul(0.5 * k, mul(x[i]!, x[i]!)), sin(x[i]!)));
    }
    return add(total, mul(x[0]!, sqrt(add(mul(x[1]!, x[1]!), mul(x[2]!, x[2]!)))));
  };
  agreeOnGradient(plain, lifted, X, [3]);
  // Written by hand, as esbuild writes kept names around functions (tsx does): __name(f, "g") reads as f.
  const named = (0, eval)('(function f(x) { const g = __name((v) => v * x, "g"); function h(v) { return g(v) + 1; } __name(h, "h"); return h(x); })');
  const C = compile(named, { wrt: [0] });
  assert.equal([C.valueAndGrad(3).value, C.grad(3)], [10, 6]);
  // A closure that writes a name of f's, called as a statement or as a whole right-hand side, runs there, as in JavaScript.
  const writes = (0, eval)("(function f(x) { let acc = x; const bump = (v) => { acc = acc * v; return v + 1; }; bump(x); const y = bump(2); return acc * y; })");
  const Wc = compile(writes, { wrt: [0] });
  // acc = x * x * 2, y = 3: value 6x^2, derivative 12x.
  assert.equal([Wc.valueAndGrad(3).value, Wc.grad(3)], [writes(3), 36]);
  // A closure reads the names where it was declared, not a name of the same spelling where it is called.
  const shadowed = (0, eval)("(function f(x) { const k = 2; const g = (v) => v * k; let s = 0; { const k = 5; s = g(x) + k * x * x; } return s; })");
  const S = compile(shadowed, { wrt: [0] });
  assert.equal([S.valueAndGrad(3).value, S.grad(3)], [2 * 3 + 5 * 9, 2 + 10 * 3]);
});

test("array destructuring: from an array name element by element, from a literal all at once (a swap), into names and elements", () => {
  const plain = (x: Float64Array) => {
    const [a, , c] = x;
    let lo = a! * 2;
    let hi = Math.sin(c!);
    [lo, hi] = [hi, lo];
    const [p, q] = [lo * hi, Math.exp(a!)];
    let s = 0;
    [s, x[1]] = [p + q!, lo];
    return s + x[1]! * 3 + p!;
  };
  const lifted = (x: Lifted[]) => {
    const lo = sin(x[2]!);
    const hi = mul(x[0]!, 2);
    const p = mul(lo, hi);
    return add(add(add(p, exp(x[0]!)), mul(lo, 3)), p);
  };
  agreeOnGradient(plain, lifted, X);
});

test("k++ and --k inside assignments, declarations and returns step k before the statement, with the old or the new value", () => {
  const plain = (x: Float64Array) => {
    const buf = new Float64Array(2 * x.length);
    let k = 0;
    for (let i = 0; i < x.length; i++) {
      buf[k++] = x[i]! * x[i]!;
      buf[k++] = Math.sin(x[i]!);
    }
    let j = 0;
    let n = buf.length;
    let s = 0;
    while (j < n) s += buf[j++]! * buf[--n]!;
    const last = buf[--k]!;
    return s + last * 2;
  };
  const lifted = (x: Lifted[]) => {
    const buf: Lifted[] = [];
    for (const v of x) buf.push(mul(v, v), sin(v));
    let s: Lifted | number = 0;
    for (let j = 0, n = buf.length; j < n; j++) s = add(s, mul(buf[j]!, buf[--n]!));
    return add(s, mul(buf[buf.length - 1]!, 2));
  };
  agreeOnGradient(plain, lifted, X);
  // The compiled value is JavaScript's at each point, the steps included.
  const C = compile(plain, { wrt: [0] });
  closeAll([C.valueAndGrad(X).value as number], [plain(X)], 1e-14);
});

test("local arrays overwritten in place and read later differentiate like the Var tape", () => {
  const plain = (x: Float64Array, reps: number) => {
    const n = x.length;
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = x[i]!;
    for (let r = 0; r < reps; r++) {
      for (let i = 0; i < n; i++) y[i] = Math.sin(y[i]!) * y[(i + 1) % n]! + 0.1 * x[i]!;
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += y[i]! * y[i]!;
    return s;
  };
  const lifted = (x: Lifted[], reps: number) => {
    const n = x.length;
    const y: (Lifted | number)[] = x.slice();
    for (let r = 0; r < reps; r++) {
      for (let i = 0; i < n; i++) y[i] = add(mul(sin(y[i]!), y[(i + 1) % n]!), mul(0.1, x[i]!));
    }
    let s: Lifted | number = 0;
    for (let i = 0; i < n; i++) s = add(s, mul(y[i]!, y[i]!));
    return s;
  };
  agreeOnGradient(plain, lifted, X, [3]);
});

test("writes into an array argument: derivatives leave the argument unchanged", () => {
  const plain = (x: Float64Array) => {
    for (let i = 1; i < x.length; i++) x[i] = x[i]! * x[i - 1]!;
    return x[x.length - 1]!;
  };
  const x = Float64Array.from([1.5, 0.5, 2, -1]);
  const C = compile(plain, { wrt: [0] });
  const g = C.grad(x) as Float64Array;
  closeAll(x, [1.5, 0.5, 2, -1]);
  // f = x0 x1 x2 x3
  closeAll(g, [0.5 * 2 * -1, 1.5 * 2 * -1, 1.5 * 0.5 * -1, 1.5 * 0.5 * 2]);
  closeAll([C.jvp([x], [Float64Array.from([1, 1, 1, 1])]).tangent as number], [g.reduce((a, b) => a + b)]);
});

test("Math.max/min/abs/hypot/atan2/floor/% and ** follow the registry's rules, as Var does", () => {
  const plain = (x: Float64Array) =>
    Math.max(x[0]!, x[1]!) * Math.min(x[2]!, x[3]!) + Math.abs(x[4]!) + Math.hypot(x[0]!, x[2]!)
    + Math.atan2(x[1]!, x[3]!) + Math.floor(x[5]!) * x[0]! + (x[5]! % 0.7) * x[1]! + x[3]! ** x[0]! + Math.tanh(x[2]!);
  const lifted = (x: Lifted[]) =>
    add(add(add(add(add(add(add(add(mul(maximum(x[0]!, x[1]!), minimum(x[2]!, x[3]!)), abs(x[4]!)), hypot(x[0]!, x[2]!)),
      atan2(x[1]!, x[3]!)), mul(floor(x[5]!), x[0]!)), mul(fmod(x[5]!, 0.7), x[1]!)), pow(x[3]!, x[0]!)), tanh(x[2]!)), 0);
  agreeOnGradient(plain, lifted, Float64Array.from([0.3, -1.2, 0.8, 1.7, -0.4, 2.45]));
});

test("Math.max(a) is a, Math.hypot(a) is |a|; a constant result has zero derivatives in both modes", () => {
  const C = compile((x: number[]) => Math.max(x[0]) + Math.hypot(x[1]) + Math.max(x[0], x[1], 0.5), { wrt: [0] });
  assert.equal(C.grad([2, -3]), [2, -1]);
  const K = compile((x: number[]) => 3 + x.length, { wrt: [0] });
  assert.equal(K.valueAndGrad([1, 2]), { value: 5, grad: [0, 0] });
  assert.is(K.jvp([[1, 2]], [[1, 1]]).tangent, 0);
});

test("ties of Math.max split the gradient as maximum does (0.5 each)", () => {
  const C = compile((x: number[]) => Math.max(x[0]!, x[1]!), { wrt: [0] });
  assert.equal(C.grad([2, 2]), [0.5, 0.5]);
  assert.equal(C.jvp([[2, 2]], [[1, 0]]).tangent, 0.5);
});

test("special points follow the registry as Dual and Var do: sqrt at -0, a NaN into Math.max, pow at 0^0", () => {
  const root = compile((x: number) => Math.sqrt(x), { wrt: [0] });
  assert.is(root.grad(-0), grad((x: Lifted) => sqrt(x) as Lifted)(-0));
  assert.is(root.grad(-0), Infinity);
  const mx = compile((x: number) => Math.max(x, 1), { wrt: [0] });
  assert.ok(Number.isNaN(mx.grad(NaN) as number));
  assert.ok(Number.isNaN(mx.jvp([NaN], [1]).tangent as number));
  const p = compile((a: number, b: number) => a ** b, { wrt: [0, 1] });
  assert.equal(p.grad(0, 0), grad((v: Lifted[]) => pow(v[0]!, v[1]!) as Lifted)([0, 0]));
});

test("array results: jacobian by forward and reverse mode agree with the hand Jacobian; vjp pulls back", () => {
  const f = (x: Float64Array) => [x[0]! * x[1]!, Math.sin(x[0]!), x[2]! / x[1]!];
  const C = compile(f, { wrt: [0] });
  const x = Float64Array.from([0.5, 2, 3]);
  const want = [[2, 0.5, 0], [Math.cos(0.5), 0, 0], [0, -3 / 4, 1 / 2]];
  closeMat(C.jacobian([x], { mode: "forward" }) as number[][], want);
  closeMat(C.jacobian([x], { mode: "reverse" }) as number[][], want);
  closeMat(C.jacobian([x]) as number[][], want);
  const { value, pullback } = C.vjp([x]);
  closeAll(value as Float64Array, [1, Math.sin(0.5), 1.5]);
  closeAll(pullback([1, 0, 1]) as Float64Array, [2, 0.5 - 0.75, 0.5]);
});

test("a local result array returned after a loop", () => {
  const f = (x: Float64Array) => {
    const r = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) r[i] = x[i]! * x[(i + 1) % x.length]!;
    return r;
  };
  const C = compile(f, { wrt: [0] });
  const x = Float64Array.from([1, 2, 3]);
  closeMat(C.jacobian([x], { mode: "reverse" }) as number[][], [[2, 1, 0], [0, 3, 2], [3, 0, 1]]);
  closeMat(C.jacobian([x], { mode: "forward" }) as number[][], [[2, 1, 0], [0, 3, 2], [3, 0, 1]]);
});

test("explain says which mode jacobian picks and why", () => {
  const C = compile((x: Float64Array) => [x[0]!, x[1]!, x[0]! * x[1]!, 1, 2, 3, 4, 5, 6, 7], { wrt: [0] });
  const choice = C.explain([Float64Array.from([1, 2])]);
  assert.is(choice.mode, "forward");
  assert.is(choice.inputs, 2);
  assert.is(choice.outputs, 10);
  assert.match(choice.reason, /forward is cheaper/);
  // 12 inputs, one output: three forward passes of 4 directions against one sweep and one adjoint sweep.
  const wide = compile((x: Float64Array) => {
    let s = 0;
    for (let i = 0; i + 1 < x.length; i++) s += x[i]! * x[i + 1]!;
    return s;
  }, { wrt: [0] });
  assert.is(wide.explain([new Float64Array(12).fill(1)]).mode, "reverse");
});

test("helpers: a defineOp op is compiled from its own partials", () => {
  const cube = defineOp({ name: "srcCube", arity: 1, value: (a) => a * a * a, partials: (A, [a]) => [A.mul(3, A.square(a!))] });
  const C = compile((x: number) => (cube(x) as number) + x, { wrt: [0], helpers: { cube } });
  close(C.grad(2) as number, 13);
  close(C.jvp([2], [1]).tangent as number, 13);
});

test("helpers: plain functions are compiled too (inlined), with early returns, array arguments and nesting", () => {
  function sq(a: number) { return a * a; }
  function soft(a: number) {
    if (a > 0) return a + Math.log1p(Math.exp(-a));
    return Math.log1p(Math.exp(a));
  }
  function dot(u: Float64Array, v: Float64Array, n: number) {
    let s = 0;
    for (let i = 0; i < n; i++) s += u[i]! * v[i]!;
    return s;
  }
  const plain = (x: Float64Array, w: Float64Array) => {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += soft(sq(x[i]!) - 1);
    return s + sq(dot(x, w, x.length));
  };
  const C = compile(plain, { wrt: [0, 1], helpers: { sq, soft, dot } });
  const x = Float64Array.from([0.5, -1.5, 2]);
  const w = Float64Array.from([1, 0.25, -0.5]);
  const [gx, gw] = C.grad(x, w) as [Float64Array, Float64Array];
  const sig = (z: number) => 1 / (1 + Math.exp(-z));
  const d = x.reduce((acc, xi, i) => acc + xi * w[i]!, 0);
  closeAll(gx, Array.from(x, (xi, i) => sig(xi * xi - 1) * 2 * xi + 2 * d * w[i]!));
  closeAll(gw, Array.from(w, (_, i) => 2 * d * x[i]!));
  const { tangent } = C.jvp([x, w], [Float64Array.from([1, 0, 0]), new Float64Array(3)]);
  close(tangent as number, gx[0]!);
});

test("helpers: a helper called as a statement writes into its array arguments (an RK2 step), as the Var tape computes", () => {
  function rhs(x: Float64Array, src: Float64Array, out: Float64Array) {
    out[0] = x[0]!;
    for (let i = 1; i < x.length; i++) out[i] = x[i]! * src[i - 1]!;
  }
  const plain = (x: Float64Array, s: number) => {
    const n = x.length;
    const h = 2 / s;
    const y = new Float64Array(n);
    const k = new Float64Array(n);
    const tmp = new Float64Array(n);
    for (let step = 0; step < s; step++) {
      rhs(x, y, k);
      for (let i = 0; i < n; i++) tmp[i] = y[i]! + (h / 2) * k[i]!;
      rhs(x, tmp, k);
      for (let i = 0; i < n; i++) y[i] = y[i]! + h * k[i]!;
    }
    let total = 0;
    for (let i = 0; i < n; i++) total += y[i]! * y[i]!;
    return total;
  };
  const lifted = (x: Lifted[], s: number) => {
    const n = x.length;
    const h = 2 / s;
    const f = (src: (Lifted | number)[]) => src.map((_, i) => (i === 0 ? x[0]! : mul(x[i]!, src[i - 1]!)));
    let y: (Lifted | number)[] = new Array<number>(n).fill(0);
    for (let step = 0; step < s; step++) {
      const k1 = f(y);
      const mid = y.map((v, i) => add(v, mul(h / 2, k1[i]!)));
      const k2 = f(mid);
      y = y.map((v, i) => add(v, mul(h, k2[i]!)));
    }
    return y.reduce<Lifted | number>((t, v) => add(t, mul(v, v)), 0);
  };
  const C = compile(plain, { wrt: [0], helpers: { rhs } });
  const x = Float64Array.from([0.3, 0.5, -0.2, 0.8, 0.1]);
  closeAll(C.grad(x, 10) as Float64Array, grad((v: Lifted[]) => lifted(v, 10) as Lifted)(Array.from(x)) as number[], 1e-12);
});

test("helpers: recursion and a return inside a helper's loop are refused", () => {
  const rec = (a: number): number => (a > 1 ? rec(a - 1) : a);
  assert.throws(() => compile((x: number) => rec(x), { wrt: [0], helpers: { rec } }), (e: unknown) => e instanceof DualtapeError && /in helper 'rec', .*the call of helper 'rec' is recursive/.test((e as Error).message));
  function first(a: Float64Array) { for (let i = 0; i < a.length; i++) { if (a[i]! > 0) return a[i]!; } return 0; }
  assert.throws(() => compile((x: Float64Array) => first(x), { wrt: [0], helpers: { first } }), (e: unknown) => e instanceof DualtapeError && /in helper 'first', .*a return inside a loop of helper 'first' is not accepted/.test((e as Error).message));
});

test("the generated source is the same for n = 10 and n = 10^6 (code follows the source, not the trip count)", () => {
  const C = compile(energy, { wrt: [0] });
  const before = C.source;
  const small = Float64Array.from({ length: 10 }, (_, i) => Math.sin(i));
  const big = Float64Array.from({ length: 1_000_000 }, (_, i) => Math.sin(i));
  C.grad(small, 10);
  C.grad(big, big.length);
  assert.is(C.source, before);
  assert.is(compile(energy, { wrt: [0] }).source, before);
  assert.ok(C.savedBytes <= 16 * big.length + 64, `saved ${C.savedBytes} B`);
  assert.not.match(C.source, /1000000/);
});

test("stacks are reused: a large call then a small one gives the right gradient", () => {
  const C = compile(energy, { wrt: [0] });
  const big = Float64Array.from({ length: 5000 }, (_, i) => Math.cos(i));
  C.grad(big, big.length);
  agreeOnGradient(energy, energyOps, X, [X.length]);
  closeAll(C.grad(X, X.length) as Float64Array, compile(energy, { wrt: [0] }).grad(X, X.length) as Float64Array, 0);
});

test("the generated code uses plain numbers and typed arrays only (no Dual/Var)", () => {
  const src = compile(energy, { wrt: [0] }).source;
  assert.not.match(src, /Dual|Var|tape/i);
  assert.match(src, /Math\.sqrt/);
  assert.match(src, /Math\.cos/);
});

test("misuse of a compiled function throws DualtapeError naming the call", () => {
  const C = compile(energy, { wrt: [0] });
  assert.throws(() => C.grad(X), (e: unknown) => e instanceof DualtapeError && /compile\(energy\)\.grad: got 1 argument for 2 parameters/.test((e as Error).message));
  assert.throws(() => C.grad(3, 3), (e: unknown) => e instanceof DualtapeError && /argument 0 \('x'\) is number 3, but f indexes it/.test((e as Error).message));
  assert.throws(() => C.jvp([X, 6], []), (e: unknown) => e instanceof DualtapeError && /tangents for 1 wrt entries/.test((e as Error).message));
  const arr = compile((x: Float64Array) => [x[0]!], { wrt: [0] });
  assert.throws(() => arr.grad(X), (e: unknown) => e instanceof DualtapeError && /returns an array, so it has no gradient; use vjp or jacobian/.test((e as Error).message));
  assert.throws(() => compile(energy, { wrt: [2] }), (e: unknown) => e instanceof DualtapeError && /wrt entry number 2 is not a parameter index/.test((e as Error).message));
  void [div, cos, square];
});

test.run();
