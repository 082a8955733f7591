import { test } from "uvu";
import * as assert from "uvu/assert";
import { DualtapeError } from "../../lib/index.ts";
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

test("where code generation is forbidden (CSP), instantiate throws a DualtapeError saying so", () => {
  const real = globalThis.Function;
  globalThis.Function = function blocked() {
    throw new EvalError("Code generation from strings disallowed for this context");
  } as unknown as FunctionConstructor;
  try {
    assert.throws(() => instantiate("function () { return 1; }", new Map()),
      (e: unknown) => e instanceof DualtapeError && /compile: the generated code cannot be loaded \(EvalError: Code generation/.test((e as Error).message));
  } finally {
    globalThis.Function = real;
  }
});

test.run();
