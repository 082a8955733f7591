import { test } from "uvu";
import * as assert from "uvu/assert";
import { jitValueAndGrad, log, sum, exp, Tensor, type Lifted } from "../../lib/index.ts";
import { canGenerate } from "../../lib/codegen.ts";
import { close } from "../support/close.ts";

test("jitValueAndGrad returns log-sum-exp and softmax, recording once per shape", () => {
  const lse = jitValueAndGrad((x: Lifted) => log(sum(exp(x))));
  for (const xs of [[1, 2, 3], [0, 0, 1], [-1, 4, 0.5]]) {
    const { value, grad } = lse(new Tensor(Float64Array.from(xs), [3]));
    const z = xs.reduce((s, v) => s + Math.exp(v), 0);
    close(value as number, Math.log(z));
    xs.forEach((v, i) => close((grad as Tensor).data[i], Math.exp(v) / z));
  }
  assert.is(lse.recordings, 1);
  assert.is(lse.plan !== null, canGenerate());
  lse(new Tensor(new Float64Array(5), [5]));
  assert.is(lse.recordings, 2);
});

test("jitValueAndGrad takes compileGrad's options and checks them", () => {
  assert.throws(() => jitValueAndGrad((x: Lifted) => sum(x), { cacheSize: 0 }), /cacheSize/);
});

test.run();
