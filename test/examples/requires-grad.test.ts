import { test } from "uvu";
import * as assert from "uvu/assert";
import { requiresGradFlags } from "../../examples/requires-grad.ts";

test("leaves a, b require grad with no gradFn; c = add(a, b) requires grad, is not a leaf, gradFn 'add'", () => {
  const r = requiresGradFlags();
  assert.equal(r.a, { requiresGrad: true, isLeaf: true, gradFn: null });
  assert.equal(r.b, { requiresGrad: true, isLeaf: true, gradFn: null });
  assert.equal(r.c, { requiresGrad: true, isLeaf: false, gradFn: "add" });
  assert.equal(r.d, { requiresGrad: true, isLeaf: false, gradFn: "mul" });
});

test("constants, noGrad results and detach() require no grad and are leaves", () => {
  const r = requiresGradFlags();
  for (const f of [r.k, r.e, r.detached]) assert.equal(f, { requiresGrad: false, isLeaf: true, gradFn: null });
});

test.run();
