/**
 * Structures, argnums and hasAux through the public transforms. Every
 * expected value is a hand-derived formula or another mode's answer.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  grad, valueAndGrad, jacfwd, jacrev, jacobian, hessian, jvp, vjp, tensor, add, mul, sum, sin, cos, Tensor, Var, Dual,
  DomainError, ShapeError, TypeMismatchError, type Lifted, type Value,
} from "../../lib/index.ts";
import { close, closeAll } from "../support/close.ts";
import { throwsKind } from "../support/errors.ts";

type Params = { w: Lifted; b: Lifted };
// loss(p) = Σ w_i² x_i + b², x = [1, 2, 3]: ∂/∂w = 2 w x, ∂/∂b = 2 b.
const X = [1, 2, 3];
const loss = (p: Params): Value => add(sum(mul(mul(p.w, p.w), tensor(X))), mul(p.b, p.b));

test("grad over { w: Tensor, b: number } returns { w: 2 w x, b: 2 b }", () => {
  const g = grad(loss)({ w: tensor([0.5, -1, 2]), b: 3 }) as { w: Tensor; b: number };
  assert.ok(g.w instanceof Tensor);
  closeAll(g.w.data, [2 * 0.5 * 1, 2 * -1 * 2, 2 * 2 * 3]);
  close(g.b, 6);
});

test("grad over nested arrays [[a, b], t] matches the hand gradient of a b + Σ sin t", () => {
  const f = (x: [[Lifted, Lifted], Lifted]) => add(mul(x[0][0], x[0][1]), sum(sin(x[1])));
  const g = grad(f as never, {})([[2, 5], tensor([0.1, 0.2])]) as [[number, number], Tensor];
  close(g[0][0], 5);
  close(g[0][1], 2);
  closeAll(g[1].data, [Math.cos(0.1), Math.cos(0.2)]);
});

// F({ a, b }) = { u: a b, v: Σ a } for a in R^2, b in R: J.u.a = b I, J.u.b = a, J.v.a = [1, 1], J.v.b = 0.
const F = (p: { a: Lifted; b: Lifted }) => ({ u: mul(p.a, p.b), v: sum(p.a) });
const at = { a: tensor([2, -3]), b: 4 };

test("jacfwd, jacrev and jacobian of a structure to a structure agree with the hand Jacobian, laid out output outside, input inside", () => {
  for (const J of [jacfwd(F)(at), jacrev(F)(at), jacobian(F, { mode: "auto" })(at)]) {
    const j = J as { u: { a: Tensor; b: Tensor }; v: { a: Tensor; b: number } };
    assert.equal(j.u.a.shape, [2, 2]);
    closeAll(j.u.a.data, [4, 0, 0, 4]);
    closeAll(j.u.b.data, [2, -3]);
    closeAll(j.v.a.data, [1, 1]);
    close(j.v.b, 0);
  }
});

test("hessian over { a, b } of a² b gives { a: { a: 2b, b: 2a }, b: { a: 2a, b: 0 } }", () => {
  const H = hessian((p: { a: Lifted; b: Lifted }) => mul(mul(p.a, p.a), p.b))({ a: 3, b: 5 }) as Record<string, Record<string, number>>;
  close(H.a!.a!, 10);
  close(H.a!.b!, 6);
  close(H.b!.a!, 6);
  close(H.b!.b!, 0);
});

test("jvp with a structured tangent, and vjp with a structured cotangent, match J v and w^T J", () => {
  const tangent = jvp(F, at, { a: tensor([1, 0]), b: 1 }).tangent as { u: Tensor; v: number };
  closeAll(tangent.u.data, [4 * 1 + 2 * 1, 0 + -3 * 1]); // b da + a db
  close(tangent.v, 1);
  const { pullback } = vjp(F, at);
  const back = pullback({ u: tensor([1, 1]), v: 2 }) as { a: Tensor; b: number };
  closeAll(back.a.data, [4 + 2, 4 + 2]);
  close(back.b, 2 - 3);
});

test("jvp and vjp refuse a tangent or cotangent whose structure differs from the input's or output's", () => {
  throwsKind(() => jvp(F as never, at as never, { b: 1, a: tensor([1, 0]) } as never), ShapeError, "jvp", /structure/);
  const { pullback } = vjp(F as never, at as never);
  throwsKind(() => pullback([tensor([1, 1]), 2] as never), ShapeError, "vjp", /structure/);
});

// affine(w, b, x) = w x + b
const affine = (w: Lifted, b: Lifted, x: Lifted) => add(mul(w, x), b);

test("argnums picks the arguments to differentiate; the others are constants", () => {
  assert.equal(grad(affine as never, { argnums: [0, 1] })(2, 1, 3), [3, 1]);
  assert.is(grad(affine as never, { argnums: 2 })(2, 1, 3), 2);
  assert.is(grad(affine as never, { argnums: 0 })(2, 1, 3), 3);
  assert.equal(valueAndGrad(affine as never, { argnums: [1] })(2, 1, 3), { value: 7, grad: [1] });
  const J = jacrev(((a: Lifted, b: Lifted) => [mul(a, b), sin(a)]) as never, { argnums: [0, 1] })(2, 3) as number[][];
  assert.equal(J.length, 2);
  closeAll(J[0]!, [3, 2]);
  closeAll(J[1]!, [Math.cos(2), 0]);
  close(hessian(((x: Lifted, y: Lifted) => mul(mul(x, x), y)) as never, { argnums: 0 })(3, 2) as number, 4);
});

test("argnums refuses an index past the call's arguments, a repeated index and a non-integer", () => {
  throwsKind(() => grad(affine as never, { argnums: 3 })(2, 1, 3), DomainError, "grad", /argnums names argument 3, but the function was called with 3 arguments/);
  throwsKind(() => grad(affine as never, { argnums: [0, 0] }), DomainError, "grad", /lists an argument twice/);
  throwsKind(() => jacobian(affine as never, { argnums: 1.5 }), DomainError, "jacobian", /non-negative integer/);
});

// squareWithAux(x) = [x², { twice: 2x, label: "sq" }]
const squareWithAux = (x: Lifted) => [mul(x, x), { twice: mul(2, x), label: "sq" }];

test("hasAux returns f's auxiliary data beside the derivative, with plain values instead of the transform's Duals/Vars", () => {
  const [g, aux] = grad(squareWithAux as never, { hasAux: true })(3) as [number, { twice: unknown; label: string }];
  close(g, 6);
  assert.is(aux.twice, 6);
  assert.is(aux.label, "sq");
  const vg = valueAndGrad(squareWithAux as never, { hasAux: true })(3) as { value: number; grad: number; aux: { twice: unknown } };
  assert.equal([vg.value, vg.grad, vg.aux.twice], [9, 6, 6]);
  const [J, jaux] = jacfwd(squareWithAux as never, { hasAux: true })(3) as [number, { twice: unknown }];
  close(J, 6);
  assert.is(jaux.twice, 6);
  const t = jvp(squareWithAux as never, 3 as never, 1 as never, { hasAux: true });
  assert.equal([t.value, t.tangent, (t.aux as { twice: unknown }).twice], [9, 6, 6]);
  const r = vjp(squareWithAux as never, 3 as never, { hasAux: true });
  assert.equal([r.pullback(1), (r.aux as { twice: unknown }).twice], [6, 6]);
  const [H, haux] = hessian(squareWithAux as never, { hasAux: true })(3) as [number, { twice: unknown }];
  close(H, 2);
  assert.not.ok(haux.twice instanceof Var || haux.twice instanceof Dual, "no traced value escapes through aux");
  assert.is(haux.twice, 6);
});

test("hasAux inside an enclosing transform keeps the enclosing transform's values in aux", () => {
  // d/dy of the aux value 2 x y (x fixed by the inner grad) is 2 x.
  const outer = grad(((y: Lifted) => {
    const [, aux] = grad(((x: Lifted) => [mul(x, y), mul(mul(2, x), y)]) as never, { hasAux: true })(3) as [Value, Value];
    return aux;
  }) as never, {})(5);
  close(outer as number, 6);
});

test("hasAux refuses an f that does not return [output, aux]", () => {
  throwsKind(() => grad(((x: Lifted) => mul(x, x)) as never, { hasAux: true })(3), TypeMismatchError, "grad", /with hasAux, f must return \[output, aux\]/);
  throwsKind(() => grad(((x: Lifted) => x) as never, { hasAux: "yes" as never }), TypeMismatchError, "grad", /hasAux must be true or false/);
});

test("a plain number[] input keeps its flat Jacobian layout (m rows of n numbers)", () => {
  const J = jacobian((x: Lifted[]) => [mul(x[0]!, x[1]!), cos(x[0]!)])([2, 3]) as number[][];
  closeAll(J[0]!, [3, 2]);
  closeAll(J[1]!, [-Math.sin(2), 0]);
});

test.run();
