import { test } from "uvu";
import * as assert from "uvu/assert";
import { findOp } from "../../lib/index.ts";
import { emitPartials, Deps } from "../../lib/compile/emit-algebra.ts";

/** Evaluates emitted partial sources at numbers, with the dependencies they name. */
function evaluate(parts: (string | null)[], deps: Deps, names: string[], at: number[]): (number | null)[] {
  return parts.map((p) => (p === null ? null : (new Function(...Object.keys(deps.map), ...names, `return ${p};`) as (...a: unknown[]) => number)(
    ...Object.values(deps.map), ...at)));
}

test("the registry's partials emitted as source evaluate to the hand-derived partials", () => {
  const deps = new Deps();
  const mul = emitPartials(findOp("mul")!, ["a", "b"], "y", deps)!;
  assert.equal(evaluate(mul, deps, ["a", "b", "y"], [3, 5, 15]), [5, 3]);
  const div = emitPartials(findOp("div")!, ["a", "b"], "y", deps)!;
  assert.equal(evaluate(div, deps, ["a", "b", "y"], [3, 4, 0.75]), [0.25, -0.75 / 4]);
  const tanh = emitPartials(findOp("tanh")!, ["a"], "y", deps)!;
  const t = Math.tanh(0.3);
  assert.ok(Math.abs((evaluate(tanh, deps, ["a", "y"], [0.3, t])[0] as number) - (1 - t * t)) < 1e-15);
});

test("a rule that reads its arguments' values (relu's mask) is not emitted: null, so the loop calls the op's kernel", () => {
  assert.is(emitPartials(findOp("relu")!, ["a"], "y", new Deps()), null);
});

test("constants are named dependencies, never spliced into the source", () => {
  const deps = new Deps();
  const parts = emitPartials(findOp("square")!, ["a"], "y", deps)!;
  assert.not.match(parts[0] ?? "", /\b2\b/);
  assert.ok(Object.values(deps.map).includes(2));
});

test.run();
