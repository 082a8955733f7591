import { test } from "uvu";
import * as assert from "uvu/assert";
import { dual, variable, derivative, grad, jacfwd, jvp, vmap, tensor, maximum, minimum, relu, clamp, abs, sign, where, sum, Tensor, ShapeError, type Lifted, type Value } from "../../lib/index.ts";
import { mask } from "../../lib/ops/mask.ts";
import { vec } from "../support/tensors.ts";

const positive = (x: number) => (x > 0 ? 1 : 0);

test("mask(pred, x) on numbers is pred(x)", () => {
  assert.is(mask(positive, 2), 1);
  assert.is(mask(positive, -2), 0);
  assert.is(mask((a, b) => (a === b ? 0.5 : 0), 3, 3), 0.5);
});

test("mask reads through Duals and Vars and returns a plain number", () => {
  assert.is(mask(positive, dual(-2)), 0);
  assert.is(mask(positive, dual(dual(3))), 1);
  assert.is(mask(positive, variable(4)), 1);
  assert.is(mask((a, b) => (a > b ? 1 : 0), dual(1), variable(2)), 0);
});

test("mask over Tensors is elementwise and broadcasts", () => {
  const r = mask(positive, vec(-1, 0, 2)) as Tensor;
  assert.instance(r, Tensor);
  assert.equal(r.toArray(), [0, 0, 1]);
  const b = mask((x, y) => (x > y ? 1 : 0), new Tensor(Float64Array.of(1, 2), [2, 1]), vec(0, 1.5, 3)) as Tensor;
  assert.equal(b.toArray(), [[1, 0, 0], [1, 1, 0]]);
  const mixed = mask((x, y) => (x > y ? 1 : 0), vec(1, 5), 2) as Tensor;
  assert.equal(mixed.toArray(), [0, 1]);
});

test("mask over a tensor-valued Dual returns a plain Tensor", () => {
  const t = vec(-1, 1);
  const r = mask(positive, dual(t, vec(1, 1)));
  assert.instance(r, Tensor);
  assert.equal((r as Tensor).toArray(), [0, 1]);
});

test("a mask is a constant: it carries no derivative inside a transform", () => {
  let seen: unknown = null;
  const d = derivative((x: Lifted) => {
    seen = mask(positive, x);
    return x;
  })(3);
  assert.is(seen, 1);
  assert.is(d, 1);
});

test("mask throws ShapeError (api 'mask') for operands that do not broadcast", () => {
  try {
    mask((a, b) => a + b, vec(1, 2), vec(1, 2, 3));
    assert.unreachable("no error");
  } catch (e) {
    assert.instance(e, ShapeError);
    assert.match((e as Error).message, /^mask: shapes \[2\] and \[3\] do not broadcast/);
  }
});

test("mask(pred, ...) is NaN where an argument is NaN, on numbers and tensors", () => {
  assert.ok(Number.isNaN(mask(positive, NaN)));
  assert.ok(Number.isNaN(mask((a, b) => (a > b ? 1 : 0), 1, NaN)));
  assert.equal(Array.from((mask(positive, vec(NaN, 2, -1)) as Tensor).data), [NaN, 1, 0]);
  assert.equal(Array.from((mask((a, b, c) => (a > b && b > c ? 1 : 0), vec(3, 3), 2, vec(1, NaN)) as Tensor).data), [1, NaN]);
});

// Every comparison with NaN is false, so before masks propagated NaN these slopes came out 0 or 1.
const piecewise: [string, (x: Lifted) => Value][] = [
  ["maximum(x, 1)", (x) => maximum(x, 1)],
  ["maximum(1, x)", (x) => maximum(1, x)],
  ["minimum(x, 1)", (x) => minimum(x, 1)],
  ["relu(x)", (x) => relu(x)],
  ["clamp(x, 0, 1)", (x) => clamp(x, 0, 1)],
  ["abs(x)", (x) => abs(x)],
  ["sign(x)", (x) => sign(x)],
];

test("a NaN input gives a NaN derivative in both modes: maximum, minimum, relu, clamp, abs, sign", () => {
  for (const [name, f] of piecewise) {
    assert.ok(Number.isNaN(grad(f)(NaN)), `grad ${name}`);
    assert.ok(Number.isNaN(derivative(f)(NaN) as number), `derivative ${name}`);
    const t = grad((x: Lifted) => sum(f(x)))(tensor([NaN, 0.5])) as Tensor;
    assert.ok(Number.isNaN(t.data[0]!), `tensor grad ${name}`);
  }
});

test("maximum(NaN, y) has a NaN partial in y too, and a NaN bound of clamp gives NaN in x", () => {
  assert.ok((jacfwd((v: Lifted[]) => [maximum(v[0]!, v[1]!)])([NaN, 1]) as number[][])[0]!.every((d) => Number.isNaN(d)));
  assert.ok(Number.isNaN(grad((x: Lifted) => clamp(x, 0, NaN))(0.5)));
});

test("where's condition is not differentiated: where(NaN, a, b) selects b with slope 1, as its value does", () => {
  assert.equal(grad((v: Lifted[]) => where(NaN, v[0]!, v[1]!))([2, 3]), [0, 1]);
  assert.equal(jvp((v: Lifted[]) => [where(NaN, v[0]!, v[1]!)], [2, 3], [1, 10]).tangent, [10]);
});

test("under vmap of grad, piecewise masks are read per example (relu, clamp with a shared bound, maximum)", () => {
  const X = tensor([[-1, 2], [3, -4]]);
  const g = (f: (x: Lifted) => Lifted) => (vmap(grad(f))(X) as Tensor).toArray();
  assert.equal(g((x) => sum(relu(x)) as Lifted), [[0, 1], [1, 0]]);
  assert.equal(g((x) => sum(clamp(x, tensor([0, -5]), 2.5)) as Lifted), [[0, 1], [0, 1]]);
  assert.equal(g((x) => sum(maximum(x, 0)) as Lifted), [[0, 1], [1, 0]]);
});

test.run();
