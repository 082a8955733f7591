import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  vmap, grad, jvp, jacfwd, jacrev, hessian, randn, tensor, index, matmul, tanh, sum, mul, sin, add, exp, dot, transpose,
  Tensor, ShapeError, TypeMismatchError, PerturbationError, type Lifted, type Value,
} from "../../lib/index.ts";

function close(a: Value, b: Value, tol = 1e-12): void {
  const x = typeof a === "number" ? [a] : Array.from((a as Tensor).data);
  const y = typeof b === "number" ? [b] : Array.from((b as Tensor).data);
  assert.is(x.length, y.length);
  x.forEach((v, i) => assert.ok(Math.abs(v - y[i]!) <= tol * Math.max(1, Math.abs(y[i]!)), `entry ${i}: ${v} vs ${y[i]}`));
}

const X = randn([4, 3], { seed: 1 });
const W = randn([2, 3], { seed: 2 });
const layer = (x: Lifted, w: Lifted) => tanh(matmul(w, x));

test("vmap(f, { inAxes: [0, null] })(X, W) row i equals tanh(W X[i])", () => {
  const out = vmap(layer, { inAxes: [0, null] })(X, W) as Tensor;
  assert.equal(out.shape, [4, 2]);
  for (let i = 0; i < 4; i++) assert.equal(Array.from((index(out, i) as Tensor).data), Array.from((layer(index(X, i) as never, W as never) as unknown as Tensor).data));
});

test("inAxes 1 maps over columns; outAxes 1 puts the batch axis last", () => {
  const Xt = transpose(X) as Tensor; // [3, 4]: examples are columns
  const out = vmap((x: Lifted) => mul(x, 2), { inAxes: 1, outAxes: 1 })(Xt) as Tensor;
  assert.equal(out.shape, [3, 4]);
  assert.equal(Array.from(out.data), Array.from(Xt.data).map((v) => v * 2));
});

test("a negative inAxes counts from the end", () => {
  const out = vmap((x: Lifted) => sum(x), { inAxes: -1 })(transpose(X) as Tensor) as Tensor;
  for (let i = 0; i < 4; i++) assert.is(out.data[i], sum(index(X, i) as Tensor) as number);
});

test("inAxes and outAxes shaped like the arguments and results (pytrees)", () => {
  const f = (p: { x: Lifted; w: Lifted }) => ({ y: layer(p.x, p.w), n: sum(p.w) });
  const out = vmap(f, { inAxes: [{ x: 0, w: null }], outAxes: { y: 0, n: null } })({ x: X, w: W }) as { y: Tensor; n: number };
  assert.equal(out.y.shape, [4, 2]);
  assert.is(out.n, sum(W) as number);
});

test("an output that does not depend on the batch is repeated over it", () => {
  const out = vmap((_x: Lifted) => 7)(X) as Tensor;
  assert.equal(out.toArray(), [7, 7, 7, 7]);
});

test("misuse gives clear errors", () => {
  assert.throws(() => vmap((x: Lifted) => x, { inAxes: null })(X), (e: unknown) => e instanceof ShapeError && /no argument is mapped/.test((e as Error).message));
  assert.throws(() => vmap((x: Lifted, y: Lifted) => add(x, y))(X, randn([5, 3], { seed: 3 })), /extents 4 and 5/);
  assert.throws(() => vmap((x: Lifted) => x)(3), /has no axis 0 to map over/);
  assert.throws(() => vmap((x: Lifted) => x, { inAxes: 2 })(X), /axis 2 is out of range/);
  assert.throws(() => vmap((x: Lifted) => x, { inAxes: [0, 0] })(X), /2 entries/);
  assert.throws(() => vmap((x: Lifted) => x, { outAxes: null })(X), /depends on the mapped arguments/);
  assert.throws(() => vmap((x: Lifted) => x, { inAxes: 0.5 })(X), (e: unknown) => e instanceof TypeMismatchError);
  assert.throws(() => vmap(3 as never), (e: unknown) => e instanceof TypeMismatchError && /^vmap: /.test((e as Error).message));
});

test("grad of a vmapped loss equals the sum of per-example gradients (hand formula)", () => {
  const loss = (w: Lifted) => sum(vmap((x: Lifted) => sum(tanh(matmul(w, x))))(X) as Lifted);
  const g = grad(loss)(W) as Tensor;
  // d/dW sum_i sum_j tanh(W x_i)_j = sum_i (1 - tanh²(W x_i)) x_iᵀ
  const want = new Float64Array(6);
  for (let i = 0; i < 4; i++) {
    const x = (index(X, i) as Tensor).data;
    const y = (tanh(matmul(W, index(X, i) as Tensor)) as Tensor).data;
    for (let r = 0; r < 2; r++) for (let c = 0; c < 3; c++) want[r * 3 + c]! += (1 - y[r]! * y[r]!) * x[c]!;
  }
  close(g, new Tensor(want, [2, 3]));
});

test("vmap of grad equals grad of each example; vmap of jvp and of jacfwd too", () => {
  const f = (x: Lifted) => sum(mul(sin(x), exp(x)));
  const vg = vmap(grad(f))(X) as Tensor;
  const vj = vmap(jacfwd((x: Lifted) => tanh(matmul(W, x))))(X) as Tensor;
  const vt = vmap((x: Lifted) => jvp(f, x, tensor([1, 0, 0])).tangent)(X) as Tensor;
  for (let i = 0; i < 4; i++) {
    const xi = index(X, i) as Tensor;
    close(index(vg, i), grad(f)(xi) as Tensor);
    close(index(vj, i), jacrev((x: Lifted) => tanh(matmul(W, x)))(xi) as Tensor);
    close(index(vt, i), (grad(f)(xi) as Tensor).data[0]!);
  }
});

test("jacfwd and jacrev of a vmapped function give the block-diagonal Jacobian", () => {
  const g = (x: Lifted) => vmap((r: Lifted) => tanh(matmul(W, r)))(x) as Lifted;
  const Jf = jacfwd(g)(X) as Tensor;
  const Jr = jacrev(g)(X) as Tensor;
  assert.equal(Jf.shape, [4, 2, 4, 3]);
  close(Jf, Jr);
  const J1 = jacrev((r: Lifted) => tanh(matmul(W, r)))(index(X, 1) as Tensor) as Tensor;
  for (let a = 0; a < 2; a++) for (let c = 0; c < 3; c++) {
    assert.ok(Math.abs(Jf.data[((1 * 2 + a) * 4 + 1) * 3 + c]! - J1.data[a * 3 + c]!) < 1e-15);
    assert.is(Jf.data[((1 * 2 + a) * 4 + 2) * 3 + c], 0);
  }
});

test("vmap of vmap maps two axes: out[i][j] = dot(X[i], Y[j])", () => {
  const Y = randn([5, 3], { seed: 4 });
  const out = vmap((x: Lifted) => vmap((y: Lifted) => dot(x, y))(Y))(X) as Tensor;
  assert.equal(out.shape, [4, 5]);
  close(out, matmul(X, transpose(Y)) as Tensor, 1e-14);
});

test("hessian of a function of a vmapped sum matches the per-example block diagonal", () => {
  const f = (x: Lifted) => sum(vmap((r: Lifted) => sum(mul(sin(r), r)))(x) as Lifted);
  const x = randn([2, 2], { seed: 5 });
  const H = hessian(f)(x) as Tensor;
  // d²/dr² sum(r sin r) = 2 cos r - r sin r on the diagonal
  for (let e = 0; e < 4; e++) for (let k = 0; k < 4; k++) {
    const r = x.data[e]!;
    const want = e === k ? 2 * Math.cos(r) - r * Math.sin(r) : 0;
    assert.ok(Math.abs(H.data[e * 4 + k]! - want) < 1e-13, `H[${e}][${k}]`);
  }
});

test("a batched value that escapes its vmap call is refused when used later", () => {
  let kept: Lifted | null = null;
  vmap((x: Lifted) => {
    kept = x;
    return sum(x);
  })(X);
  assert.throws(() => mul(kept!, 2), (e: unknown) => e instanceof PerturbationError && /^vmap: .*after that call returned/.test((e as Error).message));
});

test.run();
