import { test } from "uvu";
import * as assert from "uvu/assert";
import { newStacks, overflowed, instantiate } from "../../lib/source/runtime.ts";

test("overflowed: false while the sweep fit; else the stacks double until they fit", () => {
  const s = newStacks();
  s.fp = 10;
  s.ip = 3;
  assert.is(overflowed(s), false);
  s.fp = 5000;
  s.ip = 300;
  assert.is(overflowed(s), true);
  assert.is(s.f.length, 8192);
  assert.is(s.i.length, 512);
  assert.is(overflowed(s), false);
});

test("instantiate closes the generated function over named constants", () => {
  const f = instantiate<(x: number) => number>("function (x) { return $k * x; }", new Map([["$k", 3]]));
  assert.is(f(2), 6);
});

test.run();
