/**
 * defineOp: custom elementwise ops (value and partials) and structural ops
 * (compute, jvp, vjp) registered at run time, differentiated by both modes
 * like built-ins, and the checks on their specs.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  defineOp, findOp, primal, derivative, grad, gradients, jvp, dual, variable, mul, add, sin, Tensor, Dual, Var,
  DualtapeError, TypeMismatchError, type Lifted, type Value,
} from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";
import { close } from "../support/close.ts";
import { vec } from "../support/tensors.ts";

// Custom ops used below (registered once per process; names are unique to this file).
const cube = defineOp({
  name: "tDefCube", arity: 1,
  value: (x) => x * x * x,
  partials: (A, [x]) => [A.mul(3, A.square(x!))],
});
const affine = defineOp({
  name: "tDefAffine", arity: 3,
  value: (w, x, b) => w * x + b,
  partials: (_A, [w, x]) => [x!, w!, 1],
  nondiff: [1],
});
function onesLike(x: Value): Value {
  const p = primal(x);
  return typeof p === "number" ? 1 : new Tensor(new Float64Array(p.size).fill(1), p.shape);
}
/** Sum of all elements, as a structural op (linear: its jvp is itself, its vjp broadcasts g). */
const total = defineOp({
  name: "tDefTotal", arity: 1,
  compute: ([x]) => (typeof x === "number" ? x : x!.data.reduce((s, v) => s + v, 0)),
  jvp: (A, _args, _out, [t]) => (t === null || t === 0 ? 0 : A.op("tDefTotal")(t!)),
  vjp: (A, [x], _out, g) => [A.mul(g, onesLike(x!))],
});

test("defineOp elementwise: cube(x) = x^3 on numbers and Tensors, with d/dx = 3x^2 by derivative and grad", () => {
  assert.is(cube(2), 8);
  assert.equal((cube(vec(1, 2, -3)) as Tensor).toArray(), [1, 8, -27]);
  for (const x of [-1.5, 0, 2]) {
    close(derivative((v: Lifted) => cube(v) as Lifted)(x) as number, 3 * x * x);
    close(grad((v: Lifted) => cube(v) as Lifted)(x), 3 * x * x);
  }
});

test("defineOp elementwise: the second derivative of cube is 6x, forward over forward and reverse over reverse", () => {
  const d1 = (v: Lifted) => derivative((u: Lifted) => cube(u) as Lifted)(v) as Lifted;
  close(derivative(d1)(1.5) as number, 9);
  const x = variable(1.5);
  const [g] = gradients(cube(x) as Var, [x], { createGraph: true });
  assert.equal(gradients(g as Var, [x]), [9]);
});

test("defineOp elementwise: the op becomes a method on Dual and Var", () => {
  type WithCube = { tDefCube(): Lifted };
  const d = (dual(2) as unknown as WithCube).tDefCube() as Dual;
  assert.is(d.value, 8);
  assert.is(d.tangent, 12);
  const x = variable(2);
  const y = (x as unknown as WithCube).tDefCube() as Var;
  y.backward();
  assert.is(x.grad, 12);
});

test("defineOp elementwise: jvp on a Tensor gives 3x^2 v elementwise", () => {
  const r = jvp((v: Lifted) => cube(v) as Lifted, vec(1, 2), vec(1, -1));
  assert.equal((r.value as Tensor).toArray(), [1, 8]);
  assert.equal((r.tangent as Tensor).toArray(), [3, -12]);
});

test("defineOp nondiff: affine(w, x, b) with nondiff [1] has grad [x, 0, 1] in both modes", () => {
  assert.is(affine(2, 3, 1), 7);
  assert.equal(grad((p: Lifted[]) => affine(p[0]!, p[1]!, p[2]!) as Lifted)([2, 3, 1]), [3, 0, 1]);
  assert.is(derivative((x: Lifted) => affine(2, x, 1) as Lifted)(3), 0);
  assert.is(derivative((w: Lifted) => affine(w, 3, 1) as Lifted)(2), 3);
});

test("defineOp structural: total(x) sums a Tensor; jvp gives total(v), grad gives ones", () => {
  assert.is(total(vec(1, 2, 3)), 6);
  const r = jvp((x: Lifted) => total(mul(x, x)) as Lifted, vec(1, 2, 3), vec(1, 0, 2));
  assert.is(r.value, 14);
  assert.is(r.tangent, 2 * 1 * 1 + 2 * 3 * 2);
  assert.equal((grad((x: Lifted) => total(mul(x, x)) as Lifted)(vec(1, 2, 3)) as Tensor).toArray(), [2, 4, 6]);
});

test("a defineOp op of arity 3 called with one argument throws TypeMismatchError naming the op", () => {
  throwsKind(() => (affine as unknown as (a: number) => number)(1), TypeMismatchError, "tDefAffine", /expects 3 arguments, got 1/);
});

test("defineOp structural ops check their operand count like elementwise ops", () => {
  throwsKind(() => total(vec(1), vec(2)), TypeMismatchError, "tDefTotal", /expects 1 argument, got 2/);
});

test("a custom op whose partials do not give one entry per argument is refused, naming the op", () => {
  try {
    const short = defineOp({ name: "tDefShortPartials", arity: 2, value: (a, b) => a * b, partials: (_A, [a]) => [a!] });
    const g = grad((p: Lifted[]) => short(p[0]!, p[1]!) as Lifted)([2, 3]);
    assert.unreachable(`gave ${String(g)} (the true gradient of a b is [3, 2])`);
  } catch (e) {
    assert.instance(e, TypeMismatchError, String(e));
    assert.match((e as Error).message, /tDefShortPartials/);
    assert.match((e as Error).message, /partial/);
  }
});

test("defineOp rejects a duplicate name, including a built-in one", () => {
  const spec = { arity: 1, value: (x: number) => x, partials: () => [1] };
  throwsKind(() => defineOp({ name: "tDefCube", ...spec }), DualtapeError, "defineOp", /'tDefCube' is already registered/);
  throwsKind(() => defineOp({ name: "sin", ...spec }), DualtapeError, "defineOp", /'sin' is already registered/);
});

test("defineOp rejects the name 'op', which the algebra keeps for A.op(name)", () => {
  const spec = { arity: 1, value: (x: number) => x, partials: () => [1] };
  throwsKind(() => defineOp({ name: "op", ...spec }), DualtapeError, "defineOp", /the name 'op' is reserved/);
  assert.is(findOp("op"), undefined);
});

test("defineOp rejects a spec that is not an object", () => {
  throwsKind(() => defineOp(null as never), TypeMismatchError, "defineOp", /the spec is null/);
  throwsKind(() => defineOp("cube" as never), TypeMismatchError, "defineOp", /the spec is string/);
});

test("defineOp rejects a name that is not an identifier", () => {
  const spec = { arity: 1, value: (x: number) => x, partials: () => [1] };
  throwsKind(() => defineOp({ name: "my op", ...spec }), TypeMismatchError, "defineOp", /not an identifier/);
  throwsKind(() => defineOp({ name: 42 as unknown as string, ...spec }), TypeMismatchError, "defineOp", /number 42 is not an identifier/);
  assert.is(findOp("my op"), undefined);
});

test("defineOp rejects an arity that is not a positive integer and registers nothing", () => {
  const base = { value: (x: number) => x, partials: () => [1] };
  throwsKind(() => defineOp({ name: "tDefBadArity", arity: 0, ...base }), TypeMismatchError, "defineOp", /arity number 0 of 'tDefBadArity'/);
  throwsKind(() => defineOp({ name: "tDefBadArity", arity: 1.5, ...base }), TypeMismatchError, "defineOp", /not a positive integer/);
  assert.is(findOp("tDefBadArity"), undefined);
});

test("defineOp rejects an elementwise spec without value or partials", () => {
  throwsKind(() => defineOp({ name: "tDefNoPartials", arity: 1, value: (x: number) => x } as never), TypeMismatchError, "defineOp", /needs both value and partials/);
  throwsKind(() => defineOp({ name: "tDefNoValue", arity: 1, partials: () => [1] } as never), TypeMismatchError, "defineOp", /needs both value and partials/);
  assert.is(findOp("tDefNoPartials"), undefined);
});

test("defineOp rejects a structural spec missing compute, jvp or vjp", () => {
  const jvpOnly = { name: "tDefHalf", arity: 1, compute: () => 0, jvp: () => 0 };
  throwsKind(() => defineOp(jvpOnly as never), TypeMismatchError, "defineOp", /'tDefHalf' needs compute, jvp and vjp/);
  const noCompute = { name: "tDefHalf", arity: 1, jvp: () => 0, vjp: () => [0] };
  throwsKind(() => defineOp(noCompute as never), TypeMismatchError, "defineOp", /needs compute, jvp and vjp/);
  assert.is(findOp("tDefHalf"), undefined);
});

test.run();
