import { test } from "uvu";
import * as assert from "uvu/assert";
import { sum, mul, stack, index, tensor, variable, grad, jvp, hessian, gradients, type Lifted, type Value, type Var } from "../../lib/index.ts";
import { bilinear } from "../../lib/ops/bilinear.ts";
import type { Tensor } from "../../lib/tensor/tensor.ts";
import { near } from "../support/close.ts";
import { modesAgree } from "../support/agree.ts";

// A bilinear op declared only by its product and the product's transposes:
// the elementwise product of two tensors of one shape, P(a, b) = a * b.
let leftCalls = 0;
let rightCalls = 0;
const times = bilinear<undefined, (a: Value, b: Value) => Value>({
  name: "tBilinearTimes",
  notes: "test op",
  compute: (a, b) => (a as Tensor).mul(b as Tensor),
  product: (A, a, b) => A.mul(a, b),
  left: (A, g, _a, b) => {
    leftCalls++;
    return A.mul(g, b);
  },
  right: (A, g, a) => {
    rightCalls++;
    return A.mul(g, a);
  },
}, (run) => (a, b) => run([a, b], undefined));

const a = tensor([1, -2, 3]);
const b = tensor([4, 5, -6]);

test("bilinear: the value is compute on plain operands", () => {
  near(times(a, b), [4, -10, -18]);
});

test("bilinear: jvp is P(da, b) + P(a, db) = da*b + a*db, by hand", () => {
  const da = tensor([1, 0, 2]);
  const db = tensor([0, 3, 1]);
  const ab = stack([a, b]);
  const { tangent } = jvp((x: Lifted) => times(index(x, 0), index(x, 1)), ab, stack([da, db]));
  // da*b + a*db = [4, 0, -12] + [0, -6, 3]
  near(tangent, [4, -6, -9]);
});

test("bilinear: the gradient of sum(P(a, b)) is b for a and a for b, from the two transposes", () => {
  const va = variable(a);
  const vb = variable(b);
  const [ga, gb] = gradients(sum(times(va, vb)) as Var, [va, vb]);
  near(ga, [4, 5, -6]);
  near(gb, [1, -2, 3]);
});

test("bilinear: forward, reverse and differences agree on x -> P(x, b) and P(x, x)", () => {
  modesAgree((x) => times(x, b), a);
  modesAgree((x) => times(x, x), a);
});

test("bilinear: a constant operand's cotangent is never computed", () => {
  leftCalls = 0;
  rightCalls = 0;
  const g = grad((x: Lifted) => sum(times(x, b)))(a);
  near(g, [4, 5, -6]);
  assert.is(leftCalls, 1);
  assert.is(rightCalls, 0);
});

test("bilinear: rules are differentiable again: the Hessian of sum(P(x, x)) = |x|^2 is 2I", () => {
  const h = hessian((x: Lifted) => sum(times(x, x)) as Lifted)(a) as Tensor;
  near(h, [2, 0, 0, 0, 2, 0, 0, 0, 2]);
  near(grad((x: Lifted) => sum(mul(times(x, x), 0.5)))(a), [1, -2, 3]);
});

test.run();
