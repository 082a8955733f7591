import { test } from "uvu";
import * as assert from "uvu/assert";
import { accumulate } from "../../examples/accumulate.ts";

test("sum(x).backward() three times leaves k ones after call k, and zeroGrad() restarts at ones", () => {
  const r = accumulate(4, 3);
  assert.equal(r.afterEach.map((g) => g.toArray()), [[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3]]);
  assert.equal(r.afterZero.toArray(), [1, 1, 1, 1]);
});

test.run();
