import { test } from "uvu";
import * as assert from "uvu/assert";
import { estimateCosts, measuredCosts, explainJacobian, DomainError, type CostModel, type Lifted } from "../../lib/index.ts";

const model: CostModel = { forwardPass: 10, forwardPerLane: 2, record: 30, sweep: 3, chunk: 4 };

test("estimateCosts follows forward = ceil(n / chunk) (pass + perLane min(n, chunk)), reverse = record + m sweep", () => {
  // n = 10, chunk 4: 3 passes of 4 lanes; m = 5: 5 sweeps.
  assert.equal(estimateCosts(10, 5, model), { forward: 3 * (10 + 2 * 4), reverse: 30 + 5 * 3 });
  // n = 3 < chunk: one pass of 3 lanes.
  assert.equal(estimateCosts(3, 1, model), { forward: 10 + 2 * 3, reverse: 33 });
});

test("estimateCosts counts at least one pass and one sweep for empty problems", () => {
  assert.equal(estimateCosts(0, 0, model), { forward: 10, reverse: 33 });
});

test("estimateCosts is non-decreasing in n for forward and in m for reverse, and each ignores the other size", () => {
  for (const mdl of [model, measuredCosts]) {
    let prevF = -Infinity;
    let prevR = -Infinity;
    for (let k = 1; k <= 200; k++) {
      const c = estimateCosts(k, k, mdl);
      assert.ok(c.forward >= prevF && c.reverse >= prevR, `k = ${k}`);
      prevF = c.forward;
      prevR = c.reverse;
      assert.is(estimateCosts(k, 1, mdl).forward, c.forward);
      assert.is(estimateCosts(1, k, mdl).reverse, c.reverse);
    }
  }
});

test("estimateCosts uses measuredCosts by default", () => {
  assert.equal(estimateCosts(17, 9), estimateCosts(17, 9, measuredCosts));
});

test("measuredCosts are positive numbers and a whole positive chunk", () => {
  for (const k of ["forwardPass", "forwardPerLane", "record", "sweep"] as const) {
    assert.ok(Number.isFinite(measuredCosts[k]) && measuredCosts[k] > 0, k);
  }
  assert.ok(Number.isInteger(measuredCosts.chunk) && measuredCosts.chunk >= 1);
});

test("with measuredCosts, many inputs and one output favour reverse; one input and many outputs favour forward", () => {
  const wide = estimateCosts(1000, 1);
  assert.ok(wide.reverse < wide.forward);
  const tall = estimateCosts(1, 1000);
  assert.ok(tall.forward < tall.reverse);
});

test("estimateCosts and explainJacobian reject a model whose chunk is not a positive integer, or negative costs, with DomainError", () => {
  for (const bad of [{ ...model, chunk: 0 }, { ...model, chunk: 2.5 }, { ...model, sweep: -1 }, { ...model, forwardPass: NaN }]) {
    assert.throws(() => estimateCosts(4, 2, bad), (e: unknown) => e instanceof DomainError, JSON.stringify(bad));
    assert.throws(() => explainJacobian((x: Lifted) => x, 1, bad), (e: unknown) => e instanceof DomainError, JSON.stringify(bad));
  }
});

test("estimateCosts rejects negative or fractional sizes with DomainError", () => {
  for (const [n, m] of [[-5, 1], [1, -1], [2.5, 1]]) {
    assert.throws(() => estimateCosts(n!, m!), (e: unknown) => e instanceof DomainError, `${n} x ${m}`);
  }
});

test.run();
