import { test } from "uvu";
import * as assert from "uvu/assert";
import { Lifted, primal, dual, variable, derivative, grad, mul, sin, add, Tensor, Dual, Var, type Op, type Value } from "../../lib/index.ts";

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

test.run();
