import { test } from "uvu";
import * as assert from "uvu/assert";
import { grad, derivative, jacfwd, variable, sqrt, log, log2, log10, sum, tensor, Tensor, Var, type Lifted } from "../../lib/index.ts";
import { G, Num } from "../../lib/registry/op.ts";
import { unsignedZero } from "../../lib/ops/zero-sign.ts";

test("unsignedZero reads -0 as +0 on numbers, tensors and traced values, and leaves other values alone", () => {
  assert.ok(Object.is(unsignedZero(Num, -0), 0));
  assert.is(unsignedZero(Num, -2), -2);
  const t = tensor([2, 3]);
  assert.is(unsignedZero(G, t), t, "no -0: the same tensor, no copy");
  const u = unsignedZero(G, tensor([-0, 2])) as Tensor;
  assert.ok(Object.is(u.data[0], 0));
  const v = variable(-0);
  assert.ok(Object.is((unsignedZero(G, v) as Var).value, 0));
});

test("sqrt, log, log2 and log10 have derivative +Infinity at -0 as at +0 (docs/ops.md), in both modes, on numbers and tensors", () => {
  for (const f of [sqrt, log, log2, log10]) {
    assert.is(grad((x: Lifted) => f(x))(-0), Infinity, `grad ${f.op.name}`);
    assert.is(derivative((x: Lifted) => f(x))(-0), Infinity, `derivative ${f.op.name}`);
    assert.equal(Array.from((grad((x: Lifted) => sum(f(x)))(tensor([-0, 0])) as Tensor).data), [Infinity, Infinity], `tensor grad ${f.op.name}`);
    assert.equal((jacfwd((x: Lifted) => f(x))(tensor([-0])) as Tensor).data[0], Infinity, `jacfwd ${f.op.name}`);
  }
});

test.run();
