/**
 * Activity analysis: what carries a derivative. Checked on small functions
 * by hand, including local arrays that nothing reads.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseFunction } from "../../lib/source/parse.ts";
import { checkFunction } from "../../lib/source/check.ts";
import { forwardStores } from "../../lib/source/forward-stores.ts";
import { activity } from "../../lib/source/activity.ts";

const actOf = (src: string, wrt: number[] = [0]) => {
  const fn = forwardStores(checkFunction(parseFunction(src), {}));
  wrt.forEach((k, i) => (fn.params[k]!.wrt = i));
  return activity(fn);
};

test("values that depend on wrt arguments are active; counters, indices and conditions are not", () => {
  const act = actOf("function f(x, n) { let s = 0; for (let i = 0; i < n; i++) { const t = x[i] * 2; if (t > 0) s += t; } return s; }");
  assert.ok(act.vars.has("s") && act.vars.has("t"));
  assert.not.ok(act.vars.has("i") || act.vars.has("n"));
  assert.ok(act.arrays.has("x"));
});

test("a local array written with active values is active while something reads it, and not once nothing does", () => {
  const read = actOf("function f(x, n) { const a = new Float64Array(n); let s = 0; for (let i = 0; i < n; i++) { a[i] = x[i] * x[i]; s += a[i] * 2; } return s; }");
  assert.ok(read.arrays.has("a"));
  // After forwarding, a[i] is read as the name it was stored from: a is written but never read.
  const unread = actOf("function f(x, n) { const a = new Float64Array(n); let s = 0; for (let i = 0; i < n; i++) { const v = x[i] * x[i]; a[i] = v; s += a[i] * 2; } return s; }");
  assert.not.ok(unread.arrays.has("a"));
  assert.ok(unread.vars.has("s"));
  // The array the function returns stays active although the function does not read it.
  const result = actOf("function f(x, n) { const a = new Float64Array(n); for (let i = 0; i < n; i++) a[i] = x[i] * 3; return a; }");
  assert.ok(result.arrays.has("a"));
});

test.run();
