import { test } from "uvu";
import * as assert from "uvu/assert";
import { compiledLayer, byHand, loss } from "../../examples/compiled-layer.ts";
import { closeAll, closeMat } from "../support/close.ts";
import { central } from "../support/differences.ts";

const P = { w: [[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]], b: [0.1, -0.2, 0.05], v: [1, -0.5, 0.7] };
const XS = [[0.3, -1.2], [1.1, 0.4], [-0.7, 0.9], [0.2, 0.2]];
const TS = [0.5, -0.3, 0.8, 0.1];

test("examples/compiled-layer: the gradient, an object of the parameters, equals backpropagation by hand, for tanh and the identity", () => {
  for (const kind of [0, 1]) {
    const r = compiledLayer(P, XS, TS, kind);
    const hand = byHand(P, XS, TS, kind);
    assert.equal(Object.keys(r.grads), ["b", "v", "w"]);
    closeMat(r.grads.w, hand.w, 1e-12);
    closeAll(r.grads.b, hand.b, 1e-12);
    closeAll(r.grads.v, hand.v, 1e-12);
  }
});

test("examples/compiled-layer: the weights' gradient against central differences of the plain loss", () => {
  const { grads } = compiledLayer(P, XS, TS, 0);
  P.w.forEach((row, j) => row.forEach((_, k) => {
    const numeric = central((t) => { const w = P.w.map((r) => r.slice()); w[j]![k] = t; return loss({ ...P, w }, XS, TS, 0); }, P.w[j]![k]!, 1e-6);
    assert.ok(Math.abs(numeric - grads.w[j]![k]!) < 1e-7, `dL/dw[${j}][${k}]: ${grads.w[j]![k]} vs ${numeric}`);
  }));
});

test("examples/compiled-layer: gradient descent on the compiled gradient lowers the loss at every step", () => {
  const { losses } = compiledLayer(P, XS, TS, 0);
  assert.is(losses.length, 20);
  losses.slice(1).forEach((l, i) => assert.ok(l < losses[i]!, `step ${i + 1}: ${l} after ${losses[i]}`));
  assert.ok(losses[19]! < 0.1 * losses[0]!, `${losses[19]} after ${losses[0]}`);
});

test.run();
