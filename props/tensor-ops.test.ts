/**
 * Tensor ops on random small shapes (up to 4x4x3): every op in allOps()
 * (each reduction, linear-algebra op and shape op, and every elementwise op
 * on broadcast operands; a registered op that is not exported, or that no
 * property here covers, fails), gives forward mode (jacfwd) == reverse mode (jacrev)
 * == finite differences, its value matches a plain-loop reference, and a
 * gradient comes back in its input's shape. Second derivatives through
 * tensor ops: forward-over-reverse == reverse-over-reverse == differences
 * of the gradient, and the Hessian is symmetric.
 *
 * Finite differences: one Richardson step on central differences with
 * h = 4e-4 and h/2 (error O(h^4 f^(5)) ~ 1e-13 here, plus rounding ~ 2E/h
 * for an evaluation error E of a few ulps of max|f|); the tolerance
 * 1e-8 (1 + |J|) + 1e-9 max|f| leaves a wide margin above both while a
 * wrong rule is off by O(|J|). h stays below the 1e-3 margin the registry's
 * smoothness predicates keep from kinks.
 */
import { test } from "uvu";
import fc from "fast-check";
import {
  allOps, findOp, sum, mean, prod, max, min, logsumexp, norm, matmul, dot, outer, transpose, reshape, broadcastTo, sumToShape, index, slice,
  padZeros, concat, stack, mul, sin, tanh, add, jacfwd, jacrev, grad, hessian, gradients, variable, primal, tensor,
  Tensor, Var, type Lifted, type Value, type Domain,
} from "../lib/index.ts";
import * as dualtape from "../lib/index.ts";
import { params } from "./support/run.ts";
import { shape, sizeOf, distinctTensor, tensorIn, broadcastShapes, permutation } from "./arbitraries/tensor-shapes.ts";

type Fn = (x: Value) => Value;

function flat(v: unknown): number[] {
  if (Array.isArray(v)) return v.flatMap(flat);
  const p = primal(v as Value);
  return typeof p === "number" ? [p] : Array.from(p.data);
}

function shapeOf(v: Value): number[] {
  const p = primal(v);
  return typeof p === "number" ? [] : p.shape;
}

function fail(label: string, detail: string): never {
  throw new Error(`${label}: ${detail}`);
}

/** J[i][e] = d f_i / d x_e by Richardson-extrapolated central differences, and max |f| seen. */
function differences(f: Fn, x: Tensor): { J: number[][]; fmax: number } {
  let fmax = 0;
  const central = (e: number, h: number) => {
    const at = (s: number) => {
      const y = tensor(x);
      y.set_(e, x.data[e]! + s * h);
      const v = flat(f(y));
      for (const u of v) fmax = Math.max(fmax, Math.abs(u));
      return v;
    };
    const [p, m] = [at(1), at(-1)];
    return p.map((v, i) => (v - m[i]!) / (2 * h));
  };
  const cols = Array.from(x.data, (_, e) => {
    const wide = central(e, 4e-4);
    const narrow = central(e, 2e-4);
    return narrow.map((v, i) => (4 * v - wide[i]!) / 3);
  });
  return { J: cols[0]!.map((_, i) => cols.map((c) => c[i]!)), fmax };
}

/** jacfwd == jacrev (1e-12 of the largest entry) == differences, for f at x. */
function agree(label: string, f: Fn, x: Tensor): void {
  const fwd = flat(jacfwd(f as never)(x));
  const rev = flat(jacrev(f as never)(x));
  const big = Math.max(1, ...fwd.map(Math.abs));
  fwd.forEach((v, i) => {
    if (!(Math.abs(v - rev[i]!) <= 1e-12 * big)) fail(label, `jacfwd ${v} vs jacrev ${rev[i]} at entry ${i}`);
  });
  const { J, fmax } = differences(f, x);
  J.flat().forEach((d, i) => {
    const tol = 1e-8 * (1 + Math.abs(fwd[i]!)) + 1e-9 * fmax;
    if (!(Math.abs(fwd[i]! - d) <= tol)) fail(label, `AD ${fwd[i]} vs differences ${d} at entry ${i} (tolerance ${tol})`);
  });
}

function close(label: string, got: number[], want: number[], scale: number): void {
  if (got.length !== want.length) fail(label, `${got.length} values, expected ${want.length}`);
  got.forEach((v, i) => {
    if (!(Math.abs(v - want[i]!) <= 1e-12 * Math.max(1, scale))) fail(label, `value ${v} vs reference ${want[i]} at ${i}`);
  });
}

function sameShape(label: string, got: readonly number[], want: readonly number[]): void {
  if (got.length !== want.length || got.some((d, k) => d !== want[k])) fail(label, `shape [${got}] vs expected [${want}]`);
}

const REDUCERS: Record<string, (xs: number[]) => number> = {
  sum: (xs) => xs.reduce((a, b) => a + b, 0),
  mean: (xs) => xs.reduce((a, b) => a + b, 0) / xs.length,
  prod: (xs) => xs.reduce((a, b) => a * b, 1),
  max: (xs) => Math.max(...xs),
  min: (xs) => Math.min(...xs),
  logsumexp: (xs) => Math.log(xs.reduce((a, b) => a + Math.exp(b), 0)),
  norm: (xs) => Math.sqrt(xs.reduce((a, b) => a + b * b, 0)),
};
const REDUCTIONS = { sum, mean, prod, max, min, logsumexp, norm } as const;

/** Each output slot's elements along `axis` (all elements for null), in output order. */
function slices(x: Tensor, axis: number | null): number[][] {
  const s = x.shape;
  if (axis === null) return [Array.from(x.data)];
  const outer = sizeOf(s.slice(0, axis));
  const n = s[axis]!;
  const inner = sizeOf(s.slice(axis + 1));
  const out: number[][] = [];
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) out.push(Array.from({ length: n }, (_, k) => x.data[(o * n + k) * inner + i]!));
  return out;
}

const reductionCase = shape(1, 3).chain((s) => fc.record({
  x: distinctTensor(s),
  axis: fc.option(fc.integer({ min: -s.length, max: s.length - 1 }), { nil: null }),
  keepdims: fc.boolean(),
  name: fc.constantFrom(...(Object.keys(REDUCTIONS) as (keyof typeof REDUCTIONS)[])),
}));

test("reductions: value == plain-loop reference, output shape per axis/keepdims, jacfwd == jacrev == differences", () => {
  fc.assert(fc.property(reductionCase, ({ x, axis, keepdims, name }) => {
    const r = REDUCTIONS[name];
    const f: Fn = (t) => r(t, axis, keepdims);
    const label = `${name}(x[${x.shape}], ${axis}, ${keepdims})`;
    const ax = axis === null ? null : (axis + x.shape.length) % x.shape.length;
    const want = slices(x, ax).map(REDUCERS[name]!);
    close(label, flat(f(x)), want, Math.max(...want.map(Math.abs), ...Array.from(x.data, (v) => v * v)));
    const expected = keepdims ? x.shape.map((d, k) => (ax === null || k === ax ? 1 : d)) : ax === null ? [] : x.shape.filter((_, k) => k !== ax);
    sameShape(label, shapeOf(f(x)), expected);
    agree(label, f, x);
    sameShape(`grad of sum(${label})`, shapeOf(grad((t: Lifted) => sum(mul(f(t), f(t))))(x)), x.shape);
  }), params());
});

/** Plain-loop matmul with NumPy's 1-D promotion and batch broadcasting: the reference. */
function refMatmul(a: Tensor, b: Tensor): number[] {
  const as = a.shape.length === 1 ? [1, a.shape[0]!] : a.shape;
  const bs = b.shape.length === 1 ? [b.shape[0]!, 1] : b.shape;
  const [n, k, m] = [as[as.length - 2]!, as[as.length - 1]!, bs[bs.length - 1]!];
  const ba = as.slice(0, -2);
  const bb = bs.slice(0, -2);
  const rank = Math.max(ba.length, bb.length);
  const pad = (s: number[]) => [...new Array<number>(rank - s.length).fill(1), ...s];
  const [pa, pb] = [pad(ba), pad(bb)];
  const batch = pa.map((d, i) => Math.max(d, pb[i]!));
  const out: number[] = [];
  const offset = (s: number[], idx: number[]) => idx.reduce((o, v, i) => o * s[i]! + (s[i] === 1 ? 0 : v), 0);
  for (let t = 0; t < sizeOf(batch); t++) {
    const idx = batch.map((_, i) => Math.floor(t / sizeOf(batch.slice(i + 1))) % batch[i]!);
    const oa = offset(pa, idx) * n * k;
    const ob = offset(pb, idx) * k * m;
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a.data[oa + i * k + p]! * b.data[ob + p * m + j]!;
      out.push(s);
    }
  }
  return out;
}

const extent = fc.integer({ min: 1, max: 4 });
const unit: Domain = { lo: -2, hi: 2 };
const matmulCase = fc.record({
  n: extent, k: extent, m: extent,
  layout: fc.constantFrom("mm", "vm", "mv", "vv", "batched"),
  batch: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })).chain(([ra, rb]) =>
    broadcastShapes(2).map(([p, q]) => [p!.slice(0, ra).map((d) => Math.min(d, 2)), q!.slice(0, rb).map((d) => Math.min(d, 2))])),
}).chain(({ n, k, m, layout, batch }) => {
  const [ba, bb] = layout === "batched" ? batch : [[], []];
  // Trailing-aligned batch shapes drawn from one base broadcast; trimming keeps them compatible only when equal or 1.
  const compatible = ba!.every((d, i) => { const e = bb![bb!.length - ba!.length + i]; return e === undefined || d === e || d === 1 || e === 1; });
  const sa = layout === "vm" || layout === "vv" ? [k] : [...(compatible ? ba! : []), n, k];
  const sb = layout === "mv" || layout === "vv" ? [k] : [...(compatible ? bb! : []), k, m];
  return fc.tuple(tensorIn(sa, unit), tensorIn(sb, unit));
});

test("matmul in every layout (incl. batched): value == reference, jacfwd == jacrev == differences in each operand", () => {
  fc.assert(fc.property(matmulCase, ([a, b]) => {
    const label = `matmul([${a.shape}], [${b.shape}])`;
    const want = refMatmul(a, b);
    close(label, flat(matmul(a, b)), want, Math.max(...want.map(Math.abs), 16));
    agree(`${label} d/da`, (x) => matmul(x, b), a);
    agree(`${label} d/db`, (x) => matmul(a, x), b);
  }), params());
});

const vectors = fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(tensorIn([n], unit), tensorIn([n], unit), tensorIn([1 + (n % 4)], unit)));

test("dot and outer: value == reference, jacfwd == jacrev == differences, bilinear in both operands", () => {
  fc.assert(fc.property(vectors, ([a, b, c]) => {
    close("dot", flat(dot(a, b)), [a.data.reduce((s, v, i) => s + v * b.data[i]!, 0)], 16);
    close("outer", flat(outer(a, c)), Array.from(a.data).flatMap((u) => Array.from(c.data, (v) => u * v)), 4);
    agree("dot d/da", (x) => dot(x, b), a);
    agree("dot(x, sin x)", (x) => dot(x, sin(x)), a);
    agree("outer d/da", (x) => outer(x, c), a);
    agree("outer d/dc", (x) => outer(a, x), c);
  }), params());
});

/** Element of t at a multi-index. */
function at(t: Tensor, idx: readonly number[]): number {
  return t.data[idx.reduce((o, v, i) => o * t.shape[i]! + v, 0)]!;
}

/** Every multi-index of a shape, row-major. */
function indices(s: readonly number[]): number[][] {
  return Array.from({ length: sizeOf(s) }, (_, t) => s.map((_, i) => Math.floor(t / sizeOf(s.slice(i + 1))) % s[i]!));
}

/** `tol`: relative tolerance for ops that add (exact equality otherwise: the others only move elements). */
interface ShapeCase { op: string; label: string; input: Tensor; f: Fn; out: number[]; ref: (idx: number[]) => number; tol?: number }
interface ShapePick { perm: number[]; axis: number; i: number; lo: number; hi: number; squeeze: boolean[] }

/** One case per shape op on x, each with an index-by-index reference for its value. */
function shapeCases(x: Tensor, pick: ShapePick): ShapeCase[] {
  const s = x.shape;
  const ax = pick.axis % s.length;
  const at1 = pick.axis % (s.length + 1);
  const n = s[ax]!;
  const [lo, hi] = [pick.lo % (n + 1), pick.hi % (n + 1)].sort((a, b) => a - b) as [number, number];
  const row = pick.i % s[0]!;
  const rev = s.slice().reverse();
  const sq = s.map((d, k) => (pick.squeeze[k] ? 1 : d));
  const small = tensor(Array.from(x.data.subarray(0, sizeOf(sq))), sq);
  const base = { input: x };
  const pad = [pick.lo % 3, pick.hi % 3] as const;
  return [
    { ...base, op: "reshape", label: `reshape to [${rev}]`, f: (t) => reshape(t, rev), out: rev, ref: (idx) => x.data[idx.reduce((o, v, i) => o * rev[i]! + v, 0)]! },
    { ...base, op: "transpose", label: `transpose [${pick.perm}]`, f: (t) => transpose(t, pick.perm), out: pick.perm.map((p) => s[p]!),
      ref: (idx) => at(x, s.map((_, k) => idx[pick.perm.indexOf(k)]!)) },
    { ...base, op: "index", label: `index ${row}`, f: (t) => index(t, row), out: s.slice(1), ref: (idx) => at(x, [row, ...idx]) },
    { ...base, op: "slice", label: `slice ${lo}:${hi} axis ${ax}`, f: (t) => slice(t, lo, hi, ax), out: s.map((d, k) => (k === ax ? hi - lo : d)),
      ref: (idx) => at(x, idx.map((v, k) => (k === ax ? v + lo : v))) },
    { ...base, op: "concat", label: `concat [x, x[0:1]] axis ${ax}`, f: (t) => concat([t, slice(t, 0, 1, ax)], ax), out: s.map((d, k) => (k === ax ? d + 1 : d)),
      ref: (idx) => at(x, idx.map((v, k) => (k === ax && v === n ? 0 : v))) },
    { ...base, op: "stack", label: `stack [x, x*x] axis ${at1}`, f: (t) => stack([t, mul(t, t)], at1), out: [...s.slice(0, at1), 2, ...s.slice(at1)],
      ref: (idx) => { const v = at(x, [...idx.slice(0, at1), ...idx.slice(at1 + 1)]); return idx[at1] === 0 ? v : v * v; } },
    { input: small, op: "broadcastTo", label: `broadcastTo [${sq}] -> [2, ${s}]`, f: (t) => broadcastTo(t, [2, ...s]), out: [2, ...s],
      ref: (idx) => at(small, idx.slice(1).map((v, k) => (sq[k] === 1 ? 0 : v))) },
    { ...base, op: "sumToShape", label: `sumToShape [${s}] -> [${sq}]`, f: (t) => sumToShape(t, sq), out: sq, tol: 1e-12,
      ref: (idx) => indices(s).filter((j) => j.every((v, k) => sq[k] === 1 || v === idx[k])).reduce((acc, j) => acc + at(x, j), 0) },
    { ...base, op: "padZeros", label: `padZeros ${pad[0]}, ${pad[1]} axis ${ax}`, f: (t) => padZeros(t, pad[0], pad[1], ax),
      out: s.map((d, k) => (k === ax ? d + pad[0] + pad[1] : d)),
      ref: (idx) => { const v = idx[ax]! - pad[0]; return v < 0 || v >= n ? 0 : at(x, idx.map((u, k) => (k === ax ? v : u))); } },
  ];
}

const shapeCase = shape(1, 3).chain((s) => fc.record({
  x: distinctTensor(s),
  perm: permutation(s.length),
  axis: fc.nat(11), i: fc.nat(11), lo: fc.nat(11), hi: fc.nat(11),
  squeeze: fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }),
}));

test("shape ops: value == index-by-index reference, jacfwd == jacrev == differences, gradient in the input's shape", () => {
  fc.assert(fc.property(shapeCase, ({ x, ...pick }) => {
    for (const c of shapeCases(x, pick)) {
      const y = c.f(c.input);
      sameShape(c.label, shapeOf(y), c.out);
      const got = flat(y);
      indices(c.out).forEach((idx, t) => {
        const want = c.ref(idx);
        if (!(Math.abs(got[t]! - want) <= (c.tol ?? 0) * Math.max(1, Math.abs(want)))) fail(c.label, `element [${idx}] is ${got[t]}, expected ${want}`);
      });
      agree(c.label, (t) => mul(c.f(t), c.f(t)), c.input);
      sameShape(`grad through ${c.label}`, shapeOf(grad((t: Lifted) => sum(mul(c.f(t), sin(c.f(t)))))(c.input)), c.input.shape);
    }
  }), params());
});

/** Every registered elementwise op (an unexported one fails the coverage test below). */
const ELEMENTWISE = allOps().filter((op) => op.elementwise !== null);
const DEFAULT_DOMAIN: Domain = { lo: -2, hi: 2 };

function broadcastResult(shapes: number[][]): number[] {
  const r = Math.max(...shapes.map((s) => s.length));
  return Array.from({ length: r }, (_, i) => Math.max(...shapes.map((s) => s[s.length - r + i] ?? 1)));
}

const elementwiseCase = fc.constantFrom(...ELEMENTWISE.map((op) => op.name)).chain((name) => {
  const op = findOp(name)!;
  return broadcastShapes(op.arity).chain((shapes) =>
    fc.tuple(fc.constant(name), fc.tuple(...shapes.map((s, k) => tensorIn(s, op.elementwise!.domain?.[k] ?? DEFAULT_DOMAIN)))));
});

test("every built-in elementwise op on broadcast tensors: jacfwd == jacrev == differences per operand, gradients in each operand's shape", () => {
  fc.assert(fc.property(elementwiseCase, ([name, args]) => {
    const spec = findOp(name)!.elementwise!;
    const out = broadcastResult(args.map((a) => a.shape));
    const full = args.map((a) => broadcastTo(a, out) as Tensor | number);
    const smoothAll = indices(out).every((_, t) => spec.smooth === undefined || spec.smooth(...full.map((a) => (typeof a === "number" ? a : a.data[t]!))));
    fc.pre(smoothAll);
    const fn = (dualtape as unknown as Record<string, (...v: Value[]) => Value>)[name]!;
    const call = (k: number, x: Value) => fn(...args.map((a, j) => (j === k ? x : a)));
    args.forEach((a, k) => {
      if (spec.domain?.[k]?.integer === true) return;
      const label = `${name} operand ${k} of shapes ${args.map((t) => `[${t.shape}]`).join(" ")}`;
      agree(label, (x) => call(k, x), a);
      sameShape(`grad ${label}`, shapeOf(grad((x: Lifted) => sum(call(k, x)))(a)), a.shape);
    });
  }), params({ maxSkipsPerRun: 1000 }));
});

const W = tensor([[0.5, -1, 0.25], [1.5, 0.3, -0.7]]);
const PROGRAMS: Record<string, Fn> = {
  "logsumexp(W sin x) + norm(x) sum(x)": (x) => add(logsumexp(matmul(W, sin(x))), mul(norm(x), sum(x))),
  "sum(outer(x, x) * tanh(x)) + dot(x, x)": (x) => add(sum(mul(outer(x, x), tanh(x))), dot(x, x)),
  "prod(stack([max(x), min(x), mean(x)])) + sum(x*x*x)": (x) => add(prod(stack([max(x), min(x), mean(x)])), sum(mul(mul(x, x), x))),
  "sum(concat([x, slice(x, 1)]) ** 2 transposed)": (x) => sum(mul(transpose(reshape(concat([x, slice(x, 1)], 0), [1, -1])), broadcastTo(index(x, 0), [1]))),
};

test("Hessians through tensor ops: forward over reverse == reverse over reverse == differences of the gradient, symmetric", () => {
  const input = fc.constantFrom(...Object.keys(PROGRAMS)).chain((name) => fc.tuple(fc.constant(name), distinctTensor([3])));
  fc.assert(fc.property(input, ([name, x]) => {
    const f = PROGRAMS[name]!;
    const h = flat(hessian(f as never)(x));
    const v = variable(x);
    const [g] = gradients(f(v) as Var, [v], { createGraph: true });
    const rr = [0, 1, 2].flatMap((i) => flat(gradients(index(g as Var, i) as Var, [v], { retainGraph: true })[0]));
    const fd = differences((t) => grad(f as never)(t) as Tensor, x).J.flat();
    h.forEach((hij, t) => {
      const [i, j] = [Math.floor(t / 3), t % 3];
      if (!(Math.abs(hij - h[j * 3 + i]!) <= 1e-12 * Math.max(1, Math.abs(hij)))) fail(name, `H[${i}][${j}] = ${hij} but H[${j}][${i}] = ${h[j * 3 + i]}`);
      if (!(Math.abs(hij - rr[t]!) <= 1e-12 * Math.max(1, Math.abs(hij)))) fail(name, `forward over reverse ${hij} vs reverse over reverse ${rr[t]} at [${i}][${j}]`);
      if (!(Math.abs(hij - fd[t]!) <= 1e-7 * (1 + Math.abs(hij)))) fail(name, `Hessian ${hij} vs differences of the gradient ${fd[t]} at [${i}][${j}]`);
    });
  }), params());
});

/** The structural ops the properties above exercise, by the op they cover. */
const STRUCTURAL_COVERED = new Set<string>([
  ...Object.keys(REDUCTIONS),
  ...shapeCases(tensor([[1, 2], [3, 4]]), { perm: [1, 0], axis: 0, i: 0, lo: 0, hi: 1, squeeze: [true, false] }).map((c) => c.op),
  "matmul", "dot", "outer",
]);

test("every op in allOps() is exported from lib/index.ts and covered by a property of this file", () => {
  for (const op of allOps()) {
    const exported = (dualtape as unknown as Record<string, { op?: unknown } | undefined>)[op.name]?.op === op;
    if (!exported) fail(op.name, "is registered but not exported from lib/index.ts under its name; export it (the properties call ops through the public entry)");
    if (op.elementwise === null && !STRUCTURAL_COVERED.has(op.name)) fail(op.name, "no property in props/tensor-ops.test.ts covers this structural op; add a case for it");
  }
});

test.run();
