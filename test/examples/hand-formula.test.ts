import { test } from "uvu";
import * as assert from "uvu/assert";
import { handFormula } from "../../examples/hand-formula.ts";

test("the gradient of sum(x² eˣ) equals 2x eˣ + x² eˣ on randn([3, 4]) tensors", () => {
  for (const seed of [0, 1, 2]) {
    const r = handFormula(seed);
    assert.equal(r.autograd.shape, [3, 4]);
    r.byHand.forEach((h, i) => {
      const g = r.autograd.data[i]!;
      assert.ok(Math.abs(g - h) <= 1e-14 * Math.max(1, Math.abs(h)), `seed ${seed}, [${i}]: ${g} vs ${h}`);
    });
  }
});

test.run();
