import { test } from "uvu";
import * as assert from "uvu/assert";
import { Lifted, primal, dual, variable, derivative, grad, mul, sin, add, Tensor, Dual, Var, compileGrad, jacfwd, hessian, TypeMismatchError, type Op, type Value } from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";

/** A minimal Lifted that records which ops reach it (a stand-in for a third derivative kind). */
class Probe extends Lifted {
  readonly value: Value;
  readonly calls: string[] = [];
  constructor(value: Value, private readonly lvl: number) {
    super();
    this.value = value;
  }
  get level(): number {
    return this.lvl;
  }
  applyOp(op: Op, args: Value[]): Value {
    this.calls.push(`${op.name}/${args.length}`);
    return new Probe(op.elementwise!.value(...args.map((a) => primal(a) as number)), this.lvl);
  }
}

test("Dual and Var are Lifted; numbers and Tensors are not", () => {
  assert.instance(dual(1), Lifted);
  assert.instance(variable(1), Lifted);
  assert.not.instance(new Tensor(new Float64Array(1), [1]), Lifted);
});

test("primal(v) returns numbers and Tensors unchanged", () => {
  const t = new Tensor(Float64Array.of(1, 2), [2]);
  assert.is(primal(3), 3);
  assert.is(primal(t), t);
});

test("primal(v) unwraps any number of Dual/Var layers", () => {
  assert.is(primal(dual(3)), 3);
  assert.is(primal(dual(dual(3))), 3);
  assert.is(primal(variable(dual(4))), 4);
  const t = new Tensor(Float64Array.of(1, 2), [2]);
  assert.is(primal(dual(t, t)), t);
});

test("an op whose operands sit at several levels is handled by the highest one", () => {
  const low = new Probe(2, 1_000_000);
  const high = new Probe(3, 2_000_000);
  const r = mul(low, high) as Probe;
  assert.equal(high.calls, ["mul/2"]);
  assert.equal(low.calls, []);
  assert.is(r.value, 6);
  add(high, low);
  assert.equal(low.calls, []);
});

test("the default applyUnary and applyBinary go through applyOp", () => {
  const p = new Probe(0.5, 3_000_000);
  assert.is((sin(p) as Probe).value, Math.sin(0.5));
  assert.is((mul(p, 4) as Probe).value, 2);
  assert.is((mul(4, p) as Probe).value, 2);
  assert.equal(p.calls, ["sin/1", "mul/2", "mul/2"]);
});

test("levels grow with nesting: an inner transform's values rank above the outer ones", () => {
  let outer = 0;
  let inner = 0;
  derivative((x) => {
    outer = x.level;
    return derivative((y) => {
      inner = y.level;
      return mul(x, y);
    })(1) as Lifted;
  })(1);
  assert.ok(inner > outer, `${inner} > ${outer}`);
  let rev = 0;
  grad((x) => {
    rev = x.level;
    return x;
  })(1);
  assert.ok(rev > inner, "a later transform takes a higher level");
});

test("ops are methods on Dual and Var: x.mul(y).sin()", () => {
  const d = dual(2).mul(3).sin() as Dual;
  assert.is(d.value, Math.sin(6));
  assert.is(d.tangent, 3 * Math.cos(6));
  const x = variable(2);
  const y = x.mul(x).add(1) as Var;
  y.backward();
  assert.is(y.value, 5);
  assert.is(x.grad, 4);
});

test("grad(x => x > 0 ? x*x : -3x)(2) throws instead of taking the wrong branch (-3)", () => {
  const f = (x: Lifted) => ((x as unknown as number) > 0 ? mul(x, x) : mul(-3, x));
  throwsKind(() => grad(f)(2), TypeMismatchError, "Var", /converted to a primitive.*use the dualtape ops.*gt/);
  throwsKind(() => derivative(f)(2), TypeMismatchError, "Dual", /converted to a primitive/);
  throwsKind(() => compileGrad(f)(2), TypeMismatchError, "Var", /converted to a primitive/);
  throwsKind(() => hessian(f)(2), TypeMismatchError, "Var", /converted to a primitive/);
});

test("x * 2, x + 1 and Math.max(x, 0) on a Dual or Var throw, in every mode", () => {
  const uses: ((x: Lifted) => unknown)[] = [
    (x) => (x as unknown as number) * 2,
    (x) => (x as unknown as number) + 1,
    (x) => Math.max(x as unknown as number, 0),
    (x) => x.valueOf(),
  ];
  for (const use of uses) {
    throwsKind(() => use(dual(2)), TypeMismatchError, "Dual", /Math\.max/);
    throwsKind(() => use(variable(2)), TypeMismatchError, "Var", /maximum/);
    throwsKind(() => jacfwd((x: Lifted[]) => use(x[0]!) as Value)([1, 2]), TypeMismatchError, "Dual", /primitive/);
    throwsKind(() => compileGrad((x: Lifted[]) => use(x[0]!) as Value)([1, 2]), TypeMismatchError, "Var", /primitive/);
  }
});

test("string conversion still reads a Dual or Var: `${dual(2)}`", () => {
  assert.is(`${dual(2)}`, "Dual(2, 1)");
  assert.is(String(variable(3)), "Var(3)");
});

test.run();
