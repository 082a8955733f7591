import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  variable, GraphError,
  compileGrad, grad, derivative, gt, lt, mul, add, sin, exp, maximum, max, abs, tensor, sum, noGrad, primal,
  DualtapeError, TypeMismatchError, type Lifted, type Value, type Var, Tensor,
} from "../../lib/index.ts";
import { close } from "../support/close.ts";
import { throwsKind } from "../support/errors.ts";

// f(x) = sum_i sin(x_i) x_{i+1} + exp(x_0 / 4); gradient by hand below.
const f = (x: Lifted[]): Value => {
  let s: Value = exp(mul(x[0]!, 0.25));
  for (let i = 0; i + 1 < x.length; i++) s = add(s, mul(sin(x[i]!), x[i + 1]!));
  return s;
};
function handGrad(x: number[]): number[] {
  const g = x.map(() => 0);
  g[0] += 0.25 * Math.exp(x[0]! / 4);
  for (let i = 0; i + 1 < x.length; i++) {
    g[i] += Math.cos(x[i]!) * x[i + 1]!;
    g[i + 1] += Math.sin(x[i]!);
  }
  return g;
}

test("compileGrad(f)(x) equals the hand-derived gradient at the recording point and at new points", () => {
  const g = compileGrad(f);
  for (const x of [[0.3, -1.2, 2.0, 0.7], [1.1, 0.4, -0.3, 2.5], [-2, 3, 0.1, -0.9]]) {
    const got = g(x);
    handGrad(x).forEach((v, i) => close(got[i]!, v));
  }
  assert.is(g.recordings, 1, "one recording serves every point of the same shape");
});

test("compileGrad(f).valueAndGrad(x) returns f's value computed by the replay", () => {
  const g = compileGrad(f);
  g([0, 0, 0]);
  const x = [0.5, -0.25, 1.5];
  const { value, grad: dx } = g.valueAndGrad(x);
  close(value as number, Math.exp(0.125) + Math.sin(0.5) * -0.25 + Math.sin(-0.25) * 1.5);
  handGrad(x).forEach((v, i) => close(dx[i]!, v));
});

test("compileGrad records again for a new input length", () => {
  const g = compileGrad(f);
  g([1, 2]);
  g([1, 2, 3]);
  g([4, 5, 6]);
  assert.is(g.recordings, 2);
  handGrad([4, 5, 6]).forEach((v, i) => close(g([4, 5, 6])[i]!, v));
});

test("choices inside ops (maximum, abs) are re-evaluated on every replay", () => {
  const h = compileGrad((x: Lifted[]) => add(maximum(x[0]!, x[1]!), abs(x[0]!)));
  assert.equal(h([2, 1]), [2, 0]); // d/dx0 max = 1, d|x0| = 1
  assert.equal(h([-1, 3]), [-1, 1]); // max picks x1; d|x0| = -1
  assert.is(h.recordings, 1);
});

test("a branch through gt() is guarded: a flipped comparison records f again", () => {
  const piecewise = (x: Lifted): Value => (gt(x, 0) ? mul(x, x) : mul(x, -3));
  const h = compileGrad(piecewise);
  assert.is(h(2), 4);
  assert.is(h(3), 6);
  assert.is(h.recordings, 1);
  assert.is(h(-1), -3);
  assert.is(h.recordings, 2);
  assert.is(h(5), 10);
  assert.is(h.recordings, 3);
});

test("a loop whose trip count depends on the input through lt() replays only while the count is unchanged", () => {
  // b = 2a doubled while b < 100: the gradient is the final power of two.
  const loop = (a: Lifted): Value => {
    let b: Value = mul(a, 2);
    while (lt(b, 100)) b = mul(b, 2);
    return b;
  };
  const h = compileGrad(loop);
  const expected = (a: number): number => {
    let b = 2 * a;
    let d = 2;
    while (b < 100) { b *= 2; d *= 2; }
    return d;
  };
  for (const a of [1, 1.5, 3, 30, 0.2, 7]) assert.is(h(a), expected(a), `a = ${a}`);
  assert.equal(h(1.1), grad(loop)(1.1));
});

test("compileGrad on a Tensor input replays tensor ops generically", () => {
  const h = compileGrad((x: Lifted) => sum(mul(x, x)));
  const a = tensor([1, 2, 3]);
  const b = tensor([-1, 0.5, 4]);
  assert.equal((h(a) as Tensor).toArray(), [2, 4, 6]);
  assert.equal((h(b) as Tensor).toArray(), [-2, 1, 8]);
  assert.is(h.recordings, 1);
});

test("a function that ignores its input has a zero compiled gradient", () => {
  const h = compileGrad((_x: Lifted[]) => 3);
  assert.equal(h([1, 2]), [0, 0]);
  assert.equal(h([5, 6]), [0, 0]);
});

test("compileGrad errors: non-function, non-scalar output", () => {
  assert.throws(() => compileGrad(42 as never), (e: unknown) => e instanceof TypeMismatchError && /^compileGrad: /.test((e as Error).message));
  assert.throws(() => compileGrad((x: Lifted[]) => x)([1, 2]), (e: unknown) => e instanceof DualtapeError && /^compileGrad: /.test((e as Error).message));
});

test("compileGrad refuses a Var from outside its input instead of freezing it into the recording", () => {
  const w = variable(2);
  assert.throws(() => compileGrad((x: Lifted) => mul(x, w))(3),
    (e: unknown) => e instanceof GraphError && /^compileGrad: f uses a Dual or Var that is not part of its input/.test((e as Error).message));
});

test("compileGrad(f)(5) equals 5 for f = x * detach(x) after recording at 2 (d/dx = detach(x) = x)", () => {
  const f = (x: Lifted): Value => mul(x, (x as Var).detach());
  const g = compileGrad(f);
  close(g(2) as number, 2);
  close(grad(f)(5) as number, 5);
  close(g(5) as number, 5);
});

test("compileGrad(f).valueAndGrad(5).value equals 30 for f = x + noGrad(x * x) after recording at 2", () => {
  const f = (x: Lifted): Value => add(x, noGrad(() => mul(x, x)));
  const g = compileGrad(f);
  g.valueAndGrad(2);
  const r = g.valueAndGrad(5);
  close(primal(r.value) as number, 30);
  close(r.grad as number, 1);
});

test("compileGrad(f)(5) equals 25 for f = x * noGrad(x * x) after recording at 2 (d/dx = x^2 held constant)", () => {
  const f = (x: Lifted): Value => mul(x, noGrad(() => mul(x, x)));
  const g = compileGrad(f);
  g(2);
  close(g(5) as number, 25);
});

test("compileGrad(f)(3) equals 18 for f = x^2 with a hook scaling the gradient by x, after recording at 1", () => {
  const f = (x: Lifted): Value => {
    const y = mul(x, x) as Var;
    y.registerHook((gy) => mul(gy, x));
    return y;
  };
  const g = compileGrad(f);
  close(primal(g(1) as Value) as number, 2);
  close(primal(g(3) as Value) as number, 18);
});

test("compileGrad re-records when gt on a one-element Tensor flips: gradient -3 at tensor([-1]) after recording at tensor([2])", () => {
  const f = (t: Lifted): Value => (gt(t, 0) ? sum(mul(t, t)) : sum(mul(t, -3)));
  const g = compileGrad(f);
  assert.equal(Array.from((g(tensor([2])) as Tensor).data), [4]);
  assert.equal(Array.from((grad(f)(tensor([-1])) as Tensor).data), [-3]);
  assert.equal(Array.from((g(tensor([-1])) as Tensor).data), [-3]);
  close(primal(g.valueAndGrad(tensor([-1])).value) as number, 3);
});

test("compileGrad re-records when gt on a keepdims max flips: gradient [-3, -3] at [-1, -2] after recording at [2, 1]", () => {
  const f = (t: Lifted): Value => (gt(max(t, 0, true), 0) ? sum(mul(t, t)) : sum(mul(t, -3)));
  const g = compileGrad(f);
  g(tensor([2, 1]));
  assert.equal(Array.from((g(tensor([-1, -2])) as Tensor).data), [-3, -3]);
});

test("derivative(x => g(x))(2) equals 12 for g = compileGrad(x^3) already called on a number", () => {
  const g = compileGrad((x: Lifted): Value => mul(mul(x, x), x));
  close(g(1) as number, 3);
  close(derivative((x) => g(x as never) as Value)(2) as number, 12);
});

test("compileGrad(x^3)(3) equals 27 after the same compiled gradient was differentiated by derivative at 2", () => {
  const g = compileGrad((x: Lifted): Value => mul(mul(x, x), x));
  close(derivative((x) => g(x as never) as Value)(2) as number, 12);
  close(g(3) as number, 27);
});

test("grad(x => g(x))(2) equals 12 for g = compileGrad(x^3) already called on a number", () => {
  const g = compileGrad((x: Lifted): Value => mul(mul(x, x), x));
  g(1);
  close(primal(grad((x: Lifted) => g(x as never) as Value)(2) as Value) as number, 12);
});

test("compileGrad records a number and a 0-d Tensor input separately: d(x²) is 10 at 5 after a call at tensor(3)", () => {
  const g = compileGrad((x: Lifted) => mul(x, x));
  const first = g(tensor(3) as never) as unknown as Tensor;
  assert.equal(first.shape, []);
  assert.is(first.data[0], 6);
  assert.is(g(5 as never), 10);
  const h = compileGrad((x: Lifted) => mul(x, x));
  assert.is(h(5 as never), 10);
  const t = h(tensor(3) as never) as unknown as Tensor;
  assert.ok(t instanceof Tensor, "a 0-d Tensor input gets a 0-d Tensor gradient");
  assert.is(t.data[0], 6);
  assert.is(h.recordings, 2);
});

test("a Tensor captured by f is frozen at recording: an in-place write later changes neither part of the replay", () => {
  const c = tensor([1, 1]);
  // sum(c) is computed from c alone while recording; mul(x, c) takes c as an argument of a recorded entry.
  const g = compileGrad((x: Lifted) => sum(mul(mul(x, c), sum(c))));
  assert.equal((g(tensor([1, 2])) as unknown as Tensor).toArray(), [2, 2]);
  c.fill_(3);
  // Frozen as recorded: d/dx_i = c_i * sum(c) with c = [1, 1].
  assert.equal((g(tensor([5, 6])) as unknown as Tensor).toArray(), [2, 2]);
  assert.is(g.recordings, 1);
});

test("compileGrad records inputs with other keys separately: the gradient comes back under the keys passed", () => {
  const g = compileGrad((p: { a?: Lifted; b?: Lifted; x?: Lifted; y?: Lifted }) => add(mul(p.a ?? p.x!, 2), mul(p.b ?? p.y!, 3)));
  assert.equal(g({ a: 1, b: 2 }), { a: 2, b: 3 });
  assert.equal(g({ x: 1, y: 2 }), { x: 2, y: 3 });
  assert.is(g.recordings, 2);
});

const sumSquares = (x: Lifted) => sum(mul(x, x));
const ones = (n: number) => tensor(new Array<number>(n).fill(1));

test("compileGrad keeps recordings for the 16 most recently used input shapes by default", () => {
  const g = compileGrad(sumSquares);
  for (let n = 1; n <= 20; n++) g(ones(n));
  assert.is(g.recordings, 20);
  assert.is(g.cached, 16);
  g(ones(20)); // still cached: replayed
  assert.is(g.recordings, 20);
  g(ones(1)); // dropped as least recently used: recorded again
  assert.is(g.recordings, 21);
  assert.equal(Array.from((g(ones(3)) as Tensor).data), [2, 2, 2]);
});

test("compileGrad(f, { cacheSize: 2 }) keeps two shapes; using a shape keeps it from being dropped", () => {
  const g = compileGrad(sumSquares, { cacheSize: 2 });
  g(ones(1));
  g(ones(2));
  g(ones(1)); // touch shape 1
  g(ones(3)); // drops shape 2, the least recently used
  assert.is(g.cached, 2);
  const before = g.recordings;
  g(ones(1));
  assert.is(g.recordings, before, "shape 1 replayed");
  g(ones(2));
  assert.is(g.recordings, before + 1, "shape 2 recorded again");
});

test("compileGrad refuses a cacheSize that is not a positive integer, and unknown options", () => {
  for (const bad of [0, -1, 1.5, Number.NaN]) {
    throwsKind(() => compileGrad(sumSquares, { cacheSize: bad }), TypeMismatchError, "compileGrad", /cacheSize is/);
  }
  throwsKind(() => compileGrad(sumSquares, { cachesize: 4 } as never), TypeMismatchError, "compileGrad", /unknown option 'cachesize'/);
});

test.run();
