/**
 * Review findings for gradcheck: an entry that is NaN in one mode while the
 * others are finite (or NaN everywhere) is counted as passing.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { gradcheck, defineOp, pow, type Lifted } from "../../lib/index.ts";

// value x^2 (derivative 2x) with a deliberately broken partial: NaN everywhere.
const brokenSquare = defineOp({
  name: "review_nan_partial_square", arity: 1,
  value: (x) => x * x,
  partials: () => [NaN],
});

test("gradcheck(f, [1]).ok is false when both AD modes give NaN and finite differences give 2 (f = x^2 with a NaN partial)", () => {
  const r = gradcheck((x: Lifted[]) => brokenSquare(x[0]!), [1]);
  assert.ok(Number.isNaN((r.forward as number[])[0]!));
  assert.is(r.ok, false);
  assert.ok(r.worst !== null, "the failing entry is reported as worst");
});

test("gradcheck(x0^x1, [-2, 2]).ok is false: jacfwd gives NaN for d/dx0 while jacrev and finite differences give x1 x0^(x1-1) = -4", () => {
  const r = gradcheck((x: Lifted[]) => pow(x[0]!, x[1]!), [-2, 2]);
  const rev = r.reverse as number[];
  const fwd = r.forward as number[];
  assert.is(rev[0], -4);
  // Either forward mode agrees with the other two, or gradcheck must flag the disagreement.
  assert.ok(fwd[0] === -4 || r.ok === false, `forward d/dx0 = ${fwd[0]} against reverse -4, yet ok = ${r.ok}`);
});

test("gradcheck(x^0.5, [-1]).ok is false when every entry is NaN (maxAbsError is Infinity)", () => {
  const r = gradcheck((x: Lifted[]) => pow(x[0]!, 0.5), [-1]);
  assert.is(r.maxAbsError, Infinity);
  assert.is(r.ok, false);
});

test.run();
