import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  variable, gradients, grad, mul, add, sin, cos, exp, sum, tensor, ones, Tensor, Var,
  GraphError, ShapeError, TypeMismatchError, type Lifted,
} from "../../lib/index.ts";
import { defaultSeed, zerosLike } from "../../lib/reverse/backward.ts";
import { throwsKind } from "../support/errors.ts";
import { close } from "../support/close.ts";
import { vec } from "../support/tensors.ts";

test("backward() frees the graph: a second backward throws GraphError naming retainGraph", () => {
  const x = variable(2);
  const y = mul(x, x) as Var;
  y.backward();
  throwsKind(() => y.backward(), GraphError, "backward", /freed by an earlier backward\(\); pass \{ retainGraph: true \}/);
});

test("backward(seed, { retainGraph: true }) keeps the graph: two calls add up", () => {
  const x = variable(2);
  const y = mul(x, x) as Var;
  y.backward(1, { retainGraph: true });
  y.backward(1);
  assert.is(x.grad, 8);
});

test("a leaf can be used again after backward; a freed intermediate used in a new backward throws GraphError", () => {
  const x = variable(2);
  const y = mul(x, x) as Var;
  y.backward();
  assert.is(x.grad, 4);
  (mul(x, 3) as Var).backward();
  assert.is(x.grad, 7);
  const z = mul(y, 2) as Var;
  throwsKind(() => z.backward(), GraphError, "backward", /retainGraph/);
});

test("backward frees only the graph it reached: an independent output on the same tape can still run backward", () => {
  const x = variable(2);
  const z = variable(5);
  const y1 = mul(x, x) as Var;
  const y2 = mul(z, 3) as Var;
  y1.backward();
  y2.backward();
  assert.is(x.grad, 4);
  assert.is(z.grad, 3);
  throwsKind(() => y1.backward(), GraphError, "backward", /retainGraph/);
});

test("an output that shares a freed intermediate cannot run backward", () => {
  const x = variable(2);
  const y = mul(x, x) as Var;
  const a = mul(y, 2) as Var;
  const b = mul(y, 3) as Var;
  a.backward();
  assert.is(x.grad, 8);
  throwsKind(() => b.backward(), GraphError, "backward", /freed by an earlier backward\(\).*retainGraph/);
});

test("gradients frees what it reached unless retainGraph, naming itself in the error", () => {
  const x = variable(2);
  const y = mul(x, x) as Var;
  const a = mul(y, 2) as Var;
  gradients(a, [x]);
  throwsKind(() => gradients(mul(y, 3) as Var, [x]), GraphError, "gradients", /retainGraph/);
});

test("backward of a non-scalar Var without a seed throws GraphError asking for a seed", () => {
  const x = variable(vec(1, 2));
  throwsKind(() => (mul(x, x) as Var).backward(), GraphError, "backward", /shape \[2\], not a scalar, so it needs a seed.*ones\(\[2\]\)/);
  throwsKind(() => gradients(mul(x, x) as Var, [x]), GraphError, "gradients", /not a scalar, so it needs a seed/);
});

test("backward with a seed of the wrong shape throws ShapeError; a non-value seed TypeMismatchError", () => {
  const x = variable(vec(1, 2));
  const y = mul(x, x) as Var;
  throwsKind(() => y.backward(vec(1, 1, 1), { retainGraph: true }), ShapeError, "backward", /seed has shape \[3\] but the output has shape \[2\]/);
  throwsKind(() => y.backward(1, { retainGraph: true }), ShapeError, "backward", /seed has shape \[\] but the output has shape \[2\]/);
  throwsKind(() => (mul(variable(2), 3) as Var).backward(vec(1)), ShapeError, "backward", /seed has shape \[1\] but the output has shape \[\]/);
  throwsKind(() => y.backward("1" as never), TypeMismatchError, "backward", /the seed is string "1"/);
});

test("backward of a one-element Tensor needs no seed", () => {
  const x = variable(new Tensor(Float64Array.of(3), [1]));
  (mul(x, x) as Var).backward();
  assert.equal((x.grad as Tensor).toArray(), [6]);
});

test("backward of a Var that requires no grad throws GraphError", () => {
  const c = variable(2, { requiresGrad: false });
  throwsKind(() => (mul(c, c) as Var).backward(), GraphError, "backward", /does not require grad/);
});

test("backward({ createGraph: true }) leaves a differentiable x.grad: the second derivative of sin(x^2)", () => {
  const x = variable(1.5);
  (sin(mul(x, x)) as Var).backward(undefined, { createGraph: true });
  const g = x.grad as Var;
  assert.instance(g, Var);
  close(g.value, 3 * Math.cos(2.25));
  x.grad = null;
  g.backward();
  close(x.grad!, 2 * Math.cos(2.25) - 4 * 2.25 * Math.sin(2.25));
});

test("a leaf hook also applies under createGraph, and its replacement stays differentiable", () => {
  const x = variable(2);
  const h = x.registerHook((g) => mul(g, 2));
  (mul(mul(x, x), x) as Var).backward(undefined, { createGraph: true });
  const g = x.grad as Var;
  assert.is(g.value, 2 * 3 * 4);
  x.grad = null;
  h.remove();
  g.backward();
  assert.is(x.grad, 2 * 6 * 2);
});

test("gradients(y, [x]) returns dy/dx and leaves .grad untouched", () => {
  const x = variable(0.4);
  const y = mul(exp(x), cos(x)) as Var;
  const [g] = gradients(y, [x]);
  close(g!, Math.exp(0.4) * (Math.cos(0.4) - Math.sin(0.4)));
  assert.is(x.grad, null);
});

test("gradients of several outputs adds their contributions; gradOutputs weights them", () => {
  const x = variable(2);
  const y = variable(3);
  const a = mul(x, y) as Var;
  const b = add(mul(x, x), y) as Var;
  assert.equal(gradients([a, b], [x, y], { retainGraph: true }), [3 + 4, 2 + 1]);
  assert.equal(gradients([a, b], [x, y], { gradOutputs: [10, -1] }), [10 * 3 - 4, 10 * 2 - 1]);
});

test("gradients takes a single output and a single gradOutput without arrays", () => {
  const x = variable(2);
  assert.equal(gradients(mul(x, x) as Var, x, { gradOutputs: 5 }), [20]);
});

test("gradients of a Tensor output with a gradOutputs Tensor is the vector-Jacobian product", () => {
  const x = variable(vec(1, 2, 3));
  const [g] = gradients(mul(x, x) as Var, [x], { gradOutputs: vec(1, 0, -1) });
  assert.equal((g as Tensor).toArray(), [2, 0, -6]);
});

test("gradients gives zeros (of the input's shape) for inputs the outputs do not depend on", () => {
  const x = variable(2);
  const unused = variable(5);
  const t = variable(vec(1, 2));
  assert.equal(gradients(mul(x, 3) as Var, [unused, x]), [0, 3]);
  const [gt] = gradients(mul(x, 3) as Var, [t]);
  assert.equal((gt as Tensor).toArray(), [0, 0]);
});

test("gradients({ createGraph: true }) twice gives the second derivative of x^3: 6x", () => {
  const x = variable(2);
  const y = mul(mul(x, x), x) as Var;
  const [g] = gradients(y, [x], { createGraph: true });
  assert.instance(g, Var);
  assert.is((g as Var).value, 12);
  assert.equal(gradients(g as Var, [x]), [12]);
});

test("gradients createGraph agrees with grad of grad for f = x0^2 x1 + sin(x0 x1)", () => {
  const [a, b] = [0.7, -1.3];
  const x0 = variable(a);
  const x1 = variable(b);
  const f = add(mul(mul(x0, x0), x1), sin(mul(x0, x1))) as Var;
  const [g0, g1] = gradients(f, [x0, x1], { createGraph: true }) as Var[];
  const h0 = gradients(g0!, [x0, x1], { retainGraph: true }) as number[];
  const h1 = gradients(g1!, [x0, x1]) as number[];
  const s = Math.sin(a * b);
  const c = Math.cos(a * b);
  close(h0[0]!, 2 * b - b * b * s);
  close(h0[1]!, 2 * a + c - a * b * s);
  close(h1[0]!, 2 * a + c - a * b * s);
  close(h1[1]!, -a * a * s);
});

test("gradients errors: no outputs, non-Var arguments, seeds count and shape", () => {
  const x = variable(2);
  const y = mul(x, x) as Var;
  throwsKind(() => gradients([], [x]), TypeMismatchError, "gradients", /no outputs were given/);
  throwsKind(() => gradients(3 as never, [x]), TypeMismatchError, "gradients", /expected Vars, got number 3/);
  throwsKind(() => gradients(y, [2 as never]), TypeMismatchError, "gradients", /expected Vars, got number 2/);
  throwsKind(() => gradients(y, [x], { gradOutputs: [1, 2] }), ShapeError, "gradients", /2 gradOutputs for 1 outputs/);
  throwsKind(() => gradients(y, [x], { gradOutputs: vec(1, 2) }), ShapeError, "gradients", /seed has shape \[2\] but the output has shape \[\]/);
});

test("gradients refuses outputs recorded on different tapes", () => {
  const x = variable(1);
  let inner: Var | null = null;
  grad((z) => (inner = mul(z, 2) as Var))(1);
  throwsKind(() => gradients([mul(x, 2) as Var, inner!], [x]), GraphError, "gradients", /outputs were recorded on different tapes/);
});

test("gradients refuses an output whose graph was freed", () => {
  const x = variable(1);
  const y = mul(x, 2) as Var;
  gradients(y, [x]);
  throwsKind(() => gradients(y, [x]), GraphError, "gradients", /freed.*retainGraph/);
});

test("defaultSeed is 1 for scalars and a ones Tensor for one-element Tensors; zerosLike matches kinds", () => {
  assert.is(defaultSeed("backward", variable(3)), 1);
  assert.equal((defaultSeed("backward", variable(new Tensor(Float64Array.of(2), [1, 1]))) as Tensor).toArray(), [[1]]);
  assert.is(zerosLike(5), 0);
  assert.equal((zerosLike(vec(1, 2)) as Tensor).toArray(), [0, 0]);
  assert.is(zerosLike(variable(3)), 0);
});

// Imperative Vars made inside a transform's function sit on the imperative
// tape, below every transform, so a gradient taken there cannot see the
// transform's perturbation: backward() and gradients() refuse instead of
// giving a silently wrong (zero or constant) result.
test("gradients(w^2 x, w) inside grad(f)(2) throws GraphError (w is on the imperative tape, w^2 x on grad's)", () => {
  grad((x: Lifted) => {
    const w = variable(3);
    const l = mul(mul(w, w), x) as Var;
    throwsKind(() => gradients(l, w), GraphError, "gradients", /input 1 was recorded on a different tape than the outputs/);
    return x;
  })(2);
});

test("gradients(..., { createGraph: true }) inside grad across tapes throws GraphError instead of returning 0", () => {
  grad((x: Lifted) => {
    const w = variable(3);
    const l = mul(mul(w, w), x) as Var;
    throwsKind(() => gradients(l, w, { createGraph: true }), GraphError, "gradients", /different tape/);
    return x;
  })(2);
});

test("(w x).backward() inside grad(f)(2) throws GraphError instead of leaving w.grad null", () => {
  let w: Var | null = null;
  grad((x: Lifted) => {
    w = variable(3);
    const y = mul(w, x) as Var;
    throwsKind(() => y.backward(), GraphError, "backward", /computed inside a function transform/);
    return x;
  })(2);
  assert.is(w!.grad, null);
});

test("outside any transform the same computation works: d(w^2 x)/dw = 2 w x = 12 at w = 3, x = 2", () => {
  const w = variable(3);
  const l = mul(mul(w, w), 2) as Var;
  assert.equal(gradients(l, w), [12]);
});

test("y.backward(seed) on a Tensor y gives the vector-Jacobian product: seed · f'(x) elementwise", () => {
  // y = cos x elementwise, seed s: x.grad = -s sin x
  const x = variable(vec(0.1, 0.2, 0.3));
  cos(x).backward(vec(1, -2, 0.5));
  const want = [0.1, 0.2, 0.3].map((v, i) => -[1, -2, 0.5][i]! * Math.sin(v));
  assert.equal((x.grad as Tensor).toArray(), want);
});

test("y.backward(ones) equals sum(y).backward() for a Tensor y", () => {
  const a = variable(tensor([[1, -2], [0.5, 3]]));
  mul(a, a).backward(ones([2, 2]));
  const b = variable(tensor([[1, -2], [0.5, 3]]));
  (sum(mul(b, b)) as Var).backward();
  assert.equal(Array.from((a.grad as Tensor).data), [2, -4, 1, 6]);
  assert.equal(Array.from((b.grad as Tensor).data), [2, -4, 1, 6]);
});

test("after add(x, 1).backward(s), x.grad is its own storage: writing into s leaves it alone", () => {
  const x = variable(vec(1, 2));
  const s = vec(5, 7);
  (add(x, 1) as Var).backward(s);
  assert.is.not(x.grad, s);
  s.fill_(0);
  assert.equal((x.grad as Tensor).toArray(), [5, 7]);
});

test("after add(a, b).backward(seed), a.grad and b.grad are separate tensors", () => {
  const a = variable(vec(1, 2));
  const b = variable(vec(3, 4));
  (add(a, b) as Var).backward(vec(1, 1));
  assert.is.not(a.grad, b.grad);
  (a.grad as Tensor).fill_(9);
  assert.equal((b.grad as Tensor).toArray(), [1, 1]);
});

test("gradients(add(a, b), [a, b], { gradOutputs: s }) returns neither s nor one tensor twice", () => {
  for (const createGraph of [false, true]) {
    const a = variable(vec(1, 2));
    const b = variable(vec(3, 4));
    const s = vec(2, 3);
    const [ga, gb] = gradients(add(a, b) as Var, [a, b], { gradOutputs: s, createGraph });
    assert.is.not(ga, s);
    assert.is.not(gb, s);
    assert.is.not(ga, gb);
    s.fill_(0);
    assert.equal((ga as Tensor).toArray(), [2, 3]);
    assert.equal((gb as Tensor).toArray(), [2, 3]);
  }
});


test("gradients(y, [x, w]) is typed per input: a number for a number leaf, a Tensor for a Tensor leaf (y = x² + Σ w²)", () => {
  const x = variable(3);
  const w = variable(tensor([1, -2]));
  const y = add(mul(x, x), sum(mul(w, w)));
  const [gx, gw] = gradients(y, [x, w], { retainGraph: true });
  const dx: number = gx;
  const dw: Tensor = gw;
  // @ts-expect-error a number leaf's gradient is not a Tensor: the typecheck fails if the typing regresses
  const wrong: Tensor = gx;
  assert.is(dx, 6);
  assert.equal(Array.from(dw.data), [2, -4]);
  assert.is(typeof wrong, "number");
  const [only] = gradients(y, w);
  assert.equal(Array.from(only.data), [2, -4]);
});

test.run();
