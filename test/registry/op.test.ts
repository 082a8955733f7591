import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  allOps, findOp, defineOp, derivative, grad, gradients, jvp, dual, variable, mul, add, sin, where, clamp, Tensor, Dual, Var,
  DualtapeError, TypeMismatchError, tensor, type Lifted, type Value, type Algebra,
} from "../../lib/index.ts";
import * as dualtape from "../../lib/index.ts";
import { apply, evaluatePlain, algebraFor, opById, onOpRegistered, structural, Num, G, type Op } from "../../lib/registry/op.ts";
import { throwsKind } from "../support/errors.ts";
import { close } from "../support/close.ts";
import { vec } from "../support/tensors.ts";

const op = (name: string): Op => findOp(name)!;

/** The elementwise ops API.md lists, in its order. */
const BUILTIN = [
  "add", "sub", "mul", "div", "neg", "pow", "square", "sqrt", "cbrt", "reciprocal", "abs", "sign",
  "exp", "expm1", "log", "log1p", "log2", "log10",
  "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
  "sigmoid", "softplus", "relu", "erf", "hypot", "maximum", "minimum", "where", "clamp",
];

// Custom ops used below (registered once per process; names are unique to this file).
const twice = defineOp({ name: "tOpTwice", arity: 1, value: (x) => 2 * x, partials: () => [2] });

/** x * k with k a parameter, through structural's `expose`. */
const scaleBy = structural<number, (x: Value, k: number) => Value>(
  {
    name: "tOpScaleBy", arity: 1,
    compute: ([x], k) => (typeof x === "number" ? x * k : new Tensor(x!.data.map((v) => v * k), x!.shape)),
    jvp: (A, _args, _out, [t], k) => (t === null ? 0 : A.mul(t!, k)),
    vjp: (A, _args, _out, g, k) => [A.mul(g, k)],
  },
  (run) => (x: Value, k: number) => run([x], k),
);

test("allOps() lists every built-in op of API.md with dense ids in registration order", () => {
  const ops = allOps();
  ops.forEach((o, i) => {
    assert.is(o.id, i);
    assert.is(opById(i), o);
  });
  const names = ops.map((o) => o.name);
  for (const n of BUILTIN) assert.ok(names.includes(n), `missing ${n}`);
  const builtinIds = BUILTIN.map((n) => op(n).id);
  assert.equal(builtinIds, [...builtinIds].sort((a, b) => a - b));
});

test("every built-in op is exported from lib/index.ts as the function carrying it", () => {
  for (const n of BUILTIN) {
    const fn = (dualtape as unknown as Record<string, { op?: Op }>)[n];
    assert.type(fn, "function", n);
    assert.is(fn!.op, op(n), n);
  }
});

test("findOp(name) gives the op's arity and spec; an unknown name gives undefined", () => {
  assert.is(op("sin").arity, 1);
  assert.is(op("atan2").arity, 2);
  assert.is(op("clamp").arity, 3);
  assert.is(op("sin").elementwise!.value, Math.sin);
  assert.is(op("sin").structural, null);
  assert.is(findOp("noSuchOp"), undefined);
  for (const o of allOps()) assert.ok((o.elementwise === null) !== (o.structural === null), `${o.name} has exactly one kind`);
  for (const o of allOps()) if (o.elementwise !== null) assert.is(o.elementwise.arity, o.arity, o.name);
});

test("constantPartials: add's () => [1, 1] is evaluated once and frozen; mul's depend on args", () => {
  assert.equal([...op("add").constantPartials!], [1, 1]);
  assert.ok(Object.isFrozen(op("add").constantPartials));
  assert.equal([...op("tOpTwice").constantPartials!], [2]);
  assert.is(op("mul").constantPartials, null);
});

test("kernels exist for elementwise ops of arity 1 and 2 only", () => {
  for (const o of allOps()) {
    const want = o.elementwise !== null && o.arity <= 2;
    assert.is(o.kernel !== null, want, o.name);
  }
});

test("Num holds each op's value on numbers; G each op's public function", () => {
  assert.is(Num.sin, Math.sin);
  assert.is(Num.add(2, 3), 5);
  assert.is(Num.where(0, 1, 2), 2);
  assert.is(G.mul, mul as unknown);
  assert.is(G.op("tOpTwice"), twice as unknown);
  for (const o of allOps()) {
    assert.type(G.op(o.name), "function", o.name);
    // Structural ops are their public function on numbers too (it computes the plain value there).
    assert.is(Num.op(o.name), o.elementwise !== null ? o.elementwise.value : G.op(o.name), o.name);
  }
  // Rules evaluated on G are differentiable.
  const y = G.mul(dual(2), 3) as Dual;
  assert.instance(y, Dual);
  assert.is(y.value, 6);
  assert.is(y.tangent, 3);
});

test("algebraFor(args) is Num for all-number args, G otherwise", () => {
  assert.is(algebraFor([1, 2]), Num);
  assert.is(algebraFor([]), Num);
  assert.is(algebraFor([1, vec(1)]), G);
  assert.is(algebraFor([dual(1)]), G);
});

test("evaluatePlain(op, args) evaluates on numbers, broadcasts over Tensors, and runs structural compute", () => {
  assert.is(evaluatePlain(op("mul"), [2, 3], undefined), 6);
  assert.equal((evaluatePlain(op("add"), [vec(1, 2), 10], undefined) as Tensor).toArray(), [11, 12]);
  assert.is(evaluatePlain(op("sum"), [vec(1, 2, 3)], { axis: null, keepdims: false }), 6);
  assert.is(evaluatePlain(op("tOpScaleBy"), [4], 2.5), 10);
});

test("apply(op, args) on numbers gives a number and on a Tensor a Tensor", () => {
  assert.is(apply(op("mul"), [2, 3], undefined), 6);
  const t = apply(op("mul"), [vec(1, 2), 3], undefined) as Tensor;
  assert.instance(t, Tensor);
  assert.equal(t.toArray(), [3, 6]);
});

test("apply(op, args) hands a Dual or Var argument the op: mul(2, dual(3)) is Dual(6, 2)", () => {
  const d = apply(op("mul"), [2, dual(3)], undefined) as Dual;
  assert.instance(d, Dual);
  assert.is(d.value, 6);
  assert.is(d.tangent, 2);
  const v = apply(op("mul"), [variable(3), 2], undefined) as Var;
  assert.instance(v, Var);
  assert.is(v.value, 6);
  assert.is(v.gradFn, "mul");
});

test("apply dispatches to the highest level: an inner derivative's Dual wraps an outer Var", () => {
  const x = variable(3);
  let seen = 0 as Value;
  const t = derivative((y: Lifted) => {
    seen = apply(op("mul"), [x, y], undefined);
    return seen as Lifted;
  })(2) as Var;
  assert.instance(seen, Dual);
  assert.instance((seen as Dual).value, Var);
  // d/dy (x y) = x, still a Var of x: differentiating it again gives 1.
  assert.instance(t, Var);
  assert.is(t.value, 3);
  assert.equal(gradients(t, [x]), [1]);
});

test("apply dispatches to the highest level: a grad's Var wraps a hand-made (outer) Dual", () => {
  const outer = dual(2);
  let seen = 0 as Value;
  const g = grad((x: Lifted) => {
    seen = apply(op("mul"), [outer, x], undefined);
    return seen as Lifted;
  })(5);
  assert.instance(seen, Var);
  assert.instance((seen as Var).value, Dual);
  assert.instance(g, Dual);
  assert.is((g as unknown as Dual).value, 2);
  assert.is((g as unknown as Dual).tangent, 1);
});

test("apply(op, args) rejects a string, an object or a JS array with TypeMismatchError naming the op and position", () => {
  throwsKind(() => apply(op("mul"), [2, "3" as unknown as number], undefined), TypeMismatchError, "mul", /argument 2 is string "3"/);
  throwsKind(() => mul(2, "3" as unknown as number), TypeMismatchError, "mul", /argument 2/);
  throwsKind(() => sin({} as unknown as number), TypeMismatchError, "sin", /argument 1 is Object/);
  throwsKind(() => sin([1, 2] as unknown as number), TypeMismatchError, "sin", /array\(2\).*wrap arrays with tensor/);
  throwsKind(() => add(1, [2] as unknown as number), TypeMismatchError, "add", /argument 2 is array\(1\)/);
});

test("every op checks its argument count: add(1), where(1, 2) and clamp(1, 2, 3, 4) throw TypeMismatchError", () => {
  throwsKind(() => (add as unknown as (x: number) => number)(1), TypeMismatchError, "add", /argument 2 is undefined/);
  throwsKind(() => (where as unknown as (a: number, b: number) => number)(1, 2), TypeMismatchError, "where", /expects 3 arguments, got 2/);
  throwsKind(() => (clamp as unknown as (...a: number[]) => number)(1, 2, 3, 4), TypeMismatchError, "clamp", /expects 3 arguments, got 4/);
});

test("onOpRegistered(cb) is called for every op already registered and for later ones", () => {
  const seen: string[] = [];
  onOpRegistered((name) => seen.push(name));
  for (const n of BUILTIN) assert.ok(seen.includes(n), n);
  defineOp({ name: "tOpLater", arity: 1, value: (x) => x, partials: () => [1] });
  assert.is(seen[seen.length - 1], "tOpLater");
});

test("structural(spec, expose) passes params: scaleBy(x, k) = k x in both modes and as a method", () => {
  assert.is(scaleBy(3, 2), 6);
  assert.is(G.op("tOpScaleBy"), scaleBy as unknown);
  assert.is(derivative((x: Lifted) => scaleBy(x, 5) as Lifted)(1), 5);
  assert.is(grad((x: Lifted) => scaleBy(x, 5) as Lifted)(1), 5);
  const d = (dual(1, 2) as unknown as { tOpScaleBy(k: number): Dual }).tOpScaleBy(4);
  assert.is(d.value, 4);
  assert.is(d.tangent, 8);
});

test("A.op(name) reaches an op added with defineOp on both algebras and throws for a name that is not registered", () => {
  assert.is(Num.op("tOpTwice")(3), 6);
  assert.is(Num.op("mul"), Num.mul);
  assert.is((G.op("tOpTwice")(dual(3)) as Dual).tangent, 2);
  throwsKind(() => G.op("cso"), TypeMismatchError, "A.op", /no op named 'cso' is registered/);
  throwsKind(() => Num.op("op"), TypeMismatchError, "A.op", /no op named 'op' is registered/);
});

test("a rule may call a structural op on the number algebra: Num.sum(3) is 3, Num.matmul multiplies Tensors", () => {
  assert.is(Num.sum(3), 3);
  assert.equal((Num.matmul(tensor([[1, 2]]), tensor([[3], [4]])) as Tensor).toArray(), [[11]]);
});

test("the algebra is typed from the op table: a misspelt op in a rule does not compile", () => {
  // The type check of the test suite fails if either line below compiles.
  const typo = (A: Algebra, x: Value) => [
    // @ts-expect-error 'cso' is not an op
    A.cso(x),
    // @ts-expect-error reshape takes a shape, not a string
    A.reshape(x, "2x3"),
  ];
  assert.type(typo, "function");
});

test.run();
