import { test } from "uvu";
import * as assert from "uvu/assert";
import { softmaxAlong } from "../../lib/tensor/softmax.ts";
import { Tensor } from "../../lib/tensor/tensor.ts";
import { grad, logsumexp, tensor, type Lifted } from "../../lib/index.ts";

/** softmax of one slice by the textbook formula: m = max, e = exp(x - m), e / Σ e (sum in order). */
function slice(xs: number[]): number[] {
  let m = -Infinity;
  for (const v of xs) if (v > m) m = v;
  if (!Number.isFinite(m)) m = 0;
  const e = xs.map((v) => Math.exp(v - m));
  let s = 0;
  for (const v of e) s += v;
  return e.map((v) => v / s);
}

function same(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.is(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) assert.unreachable(`${what}: element ${i} is ${a[i]}, expected ${b[i]}`);
}

test("softmaxAlong over all elements equals the slice formula bit for bit, large values included", () => {
  const xs = [1000, 999, -3, 0.5, 1000];
  same(softmaxAlong(tensor(xs), null).data, slice(xs), "all");
  same(softmaxAlong(tensor([0, 0]), null).data, [0.5, 0.5], "two zeros");
});

test("softmaxAlong along an inner and an outer axis of a [2, 3, 4] tensor", () => {
  const data = Float64Array.from({ length: 24 }, (_, i) => Math.sin(i * 1.7) * 5);
  const x = new Tensor(data, [2, 3, 4]);
  for (const axis of [0, 1, 2]) {
    const got = softmaxAlong(x, axis).data;
    const st = [12, 4, 1];
    for (let e = 0; e < 24; e++) {
      const base = e - (Math.floor(e / st[axis]!) % x.shape[axis]!) * st[axis]!;
      const members = Array.from({ length: x.shape[axis]! }, (_, k) => base + k * st[axis]!);
      const want = slice(members.map((q) => data[q]!))[members.indexOf(e)]!;
      if (!Object.is(got[e], want)) assert.unreachable(`axis ${axis}, element ${e}: ${got[e]} vs ${want}`);
    }
  }
});

test("a slice of -Infinity gives NaN (0 / 0), as the formula does; NaN propagates", () => {
  same(softmaxAlong(tensor([-Infinity, -Infinity]), null).data, [NaN, NaN], "-Infinity");
  same(softmaxAlong(tensor([1, NaN]), null).data, slice([1, NaN]), "NaN");
});

test("logsumexp's gradient on a Tensor is the softmax, and its Hessian-vector path (through Vars) agrees", () => {
  const xs = [0.3, -1.2, 2.5, 2.5, 0];
  const g = grad((v: Lifted) => logsumexp(v))(tensor(xs)) as Tensor;
  same(g.data, slice(xs), "grad");
  // Second order runs the algebra's formula on Vars; its first-order part must be the same softmax.
  const inner = grad((v: Lifted) => logsumexp(v));
  const outer = grad((v: Lifted) => (inner(v) as Lifted).dot(tensor([1, 0, 0, 0, 0])));
  const h0 = (outer(tensor(xs)) as Tensor).data;
  const p = slice(xs);
  // d softmax_0 / dx_j = p0 (δ0j - pj)
  p.forEach((pj, j) => assert.ok(Math.abs(h0[j]! - p[0]! * ((j === 0 ? 1 : 0) - pj)) < 1e-15, `Hessian row 0, column ${j}`));
});

test.run();
