/**
 * Review findings: imperative Vars made inside a transform's function. The
 * imperative tape sits below every transform, so a gradient taken there
 * cannot see the transform's perturbation; instead of a silently wrong (zero
 * or constant) result, backward() and gradients() refuse with a clear error.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { grad, gradients, variable, mul, GraphError, type Lifted, type Var } from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";

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

test.run();
