import { test } from "uvu";
import * as assert from "uvu/assert";
import { sum, mul, dot, reshape, tensor, randn, jvp, vjp, grad, hessian, type Lifted, type Value } from "../../lib/index.ts";
import { linear, linearPair } from "../../lib/ops/linear.ts";
import { G } from "../../lib/registry/op.ts";
import { Tensor } from "../../lib/tensor/tensor.ts";
import { near } from "../support/close.ts";
import { modesAgree } from "../support/agree.ts";

// A linear op declared by its map and transpose only: x -> reverse(x), its own transpose.
let transposeCalls = 0;
const reverse = linear<undefined, (x: Value) => Value>({
  name: "tLinearReverse",
  notes: "test op",
  compute: (x) => {
    const d = (x as Tensor).data;
    return new Tensor(d.map((_, i) => d[d.length - 1 - i]), (x as Tensor).shape);
  },
  map: (A, x) => A.op("tLinearReverse")(x),
  transpose: (A, g) => {
    transposeCalls++;
    return A.op("tLinearReverse")(g);
  },
}, (run) => (x) => run([x], undefined));

// Two linear ops declared as each other's transpose: repeat x k times (k from the shape) and fold back by summing.
const [repeat, fold] = linearPair<(x: Value, s: number[]) => Value, (x: Value, s: number[]) => Value>({
  name: "tLinearRepeat",
  notes: "test op",
  compute: (x, s) => G.broadcastTo(x, s) as Tensor,
  map: (A, x, s) => A.op("tLinearRepeat")(x, s as never),
  expose: (run) => (x, s) => run([x], s),
}, {
  name: "tLinearFold",
  notes: "test op",
  compute: (x, s) => G.sumToShape(x, s) as Tensor,
  map: (A, x, s) => A.op("tLinearFold")(x, s as never),
  expose: (run) => (x, s) => run([x], s),
});

const x = tensor([1, 2, 3]);

test("linear: the jvp is the map applied to the tangent", () => {
  near(reverse(x), [3, 2, 1]);
  near(jvp((t: Lifted) => reverse(t), x, tensor([1, 0, 5])).tangent, [5, 0, 1]);
});

test("linear: the gradient is the transpose applied to the cotangent, and forward, reverse and differences agree", () => {
  transposeCalls = 0;
  near(grad((t: Lifted) => dot(reverse(t), tensor([10, 20, 30])))(x), [30, 20, 10]);
  assert.is(transposeCalls, 1);
  modesAgree((t) => mul(reverse(t), reverse(t)), x);
});

test("linearPair: <repeat(v), w> = <v, fold(w)> from jvp and vjp, each op the other's transpose", () => {
  const v = randn([3], { seed: 1 }) as Tensor;
  const w = randn([2, 3], { seed: 2 }) as Tensor;
  const Jv = jvp((t: Lifted) => repeat(t, [2, 3]), x, v).tangent as Tensor;
  const JTw = vjp((t: Lifted) => repeat(t, [2, 3]), x).pullback(w) as Tensor;
  near(sum(Jv.mul(w)), [sum(v.mul(JTw)) as number]);
  // fold's transpose is repeat: the gradient of sum(fold(y) * c) is c repeated.
  near(grad((y: Lifted) => sum(mul(fold(y, [3]), tensor([1, 2, 3]))))(reshape(tensor([1, 2, 3, 4, 5, 6]), [2, 3])), [1, 2, 3, 1, 2, 3]);
  modesAgree((t) => fold(repeat(t, [2, 3]), [3]), x);
});

test("linear: rules are differentiable again: the Hessian of sum(reverse(x)^2) is 2I", () => {
  near(hessian((t: Lifted) => sum(mul(reverse(t), reverse(t))) as Lifted)(x), [2, 0, 0, 0, 2, 0, 0, 0, 2]);
});

test.run();
