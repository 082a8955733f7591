import { test } from "uvu";
import * as assert from "uvu/assert";
import { compiledSource } from "../../examples/compiled-source.ts";
import { closeAll, close } from "../support/close.ts";

test("examples/compiled-source: compiled grad equals the hand formula; jvp along ones is the sum of the gradient", () => {
  const x = Float64Array.from([0.1, 0.5, -0.3, 1.2, -2]);
  const r = compiledSource(x, Float64Array.from([1, 1, 1, 1, 1]));
  closeAll(r.grad, r.byHand);
  close(r.tangent, r.byHand.reduce((a, b) => a + b), 1e-12);
  assert.match(r.source, /function forward\(x, n, x\$d\)/);
  assert.match(r.source, /function reverse\(x, n, x\$b, \$seed\)/);
});

test.run();
