import { test } from "uvu";
import * as assert from "uvu/assert";
import { findOp, defineOp, primal, Tensor } from "../../lib/index.ts";
import { canGenerate } from "../../lib/codegen.ts";
import { emitPartials, Deps } from "../../lib/compile/emit-algebra.ts";

/** Evaluates emitted partial sources at numbers, with the dependencies they name. */
function evaluate(parts: (string | null)[], deps: Deps, names: string[], at: number[]): (number | null)[] {
  return parts.map((p) => (p === null ? null : (new Function(...Object.keys(deps.map), ...names, `return ${p};`) as (...a: unknown[]) => number)(
    ...Object.values(deps.map), ...at)));
}

// The emitter checks its output by compiling it: without code generation it emits nothing (and nothing is fused).
const on = canGenerate();

test("the registry's partials emitted as source evaluate to the hand-derived partials", () => {
  if (!on) return assert.is(emitPartials(findOp("mul")!, ["a", "b"], "y", new Deps()), null);
  const deps = new Deps();
  const mul = emitPartials(findOp("mul")!, ["a", "b"], "y", deps)!;
  assert.equal(evaluate(mul, deps, ["a", "b", "y"], [3, 5, 15]), [5, 3]);
  const div = emitPartials(findOp("div")!, ["a", "b"], "y", deps)!;
  assert.equal(evaluate(div, deps, ["a", "b", "y"], [3, 4, 0.75]), [0.25, -0.75 / 4]);
  const tanh = emitPartials(findOp("tanh")!, ["a"], "y", deps)!;
  const t = Math.tanh(0.3);
  assert.ok(Math.abs((evaluate(tanh, deps, ["a", "y"], [0.3, t])[0] as number) - (1 - t * t)) < 1e-15);
});

test("a mask in a rule (relu's) becomes a call of its predicate: 1 above zero, 0 below, NaN at NaN", () => {
  if (!on) return;
  const deps = new Deps();
  const relu = emitPartials(findOp("relu")!, ["a"], "y", deps)!;
  const at = (x: number) => evaluate(relu, deps, ["a", "y"], [x, Math.max(x, 0)])[0];
  assert.is(at(2), 1);
  assert.is(at(-1), 0);
  assert.ok(Number.isNaN(at(NaN)));
});

test("a rule that reads a value without a mask (a plain Math call, NaN on a symbol) is caught by the sample check: null", () => {
  const step = defineOp({
    name: "jitTestSignedSquare", arity: 1,
    value: (x) => x * Math.abs(x),
    // Numbers read directly (a symbol makes Math.abs NaN), Tensors through the algebra: right on both, not emittable.
    partials: (A, [x]) => {
      const p = primal(x);
      return [p instanceof Tensor ? A.mul(2, A.abs(x)) : 2 * Math.abs(p as number)];
    },
  });
  assert.is(emitPartials(step.op, ["a"], "y", new Deps()), null);
});

test("constants are named dependencies, never spliced into the source", () => {
  if (!on) return;
  const deps = new Deps();
  const parts = emitPartials(findOp("square")!, ["a"], "y", deps)!;
  assert.not.match(parts[0] ?? "", /\b2\b/);
  assert.ok(Object.values(deps.map).includes(2));
});

test.run();
