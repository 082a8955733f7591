/**
 * Random nestings of 1..4 transforms (props/support/nesting.ts) with small
 * integer coefficients, exponents and points.
 */
import fc from "fast-check";
import { KINDS, Nesting, type Level } from "../support/nesting.ts";
import type { Monomial } from "../support/poly.ts";

/** A monomial; factors are never 0, or the inner transforms would be cut off. */
function monomial(vars: number, zero = false): fc.Arbitrary<Monomial> {
  const coef = fc.integer({ min: -3, max: 3 }).filter((c) => zero || c !== 0);
  return fc.record({
    coef,
    exps: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: vars, maxLength: vars }),
  });
}

function level(k: number): fc.Arbitrary<Level> {
  return fc.record({
    kind: fc.constantFrom(...KINDS),
    at: fc.integer({ min: -3, max: 3 }),
    factor: monomial(k + 1),
    offset: monomial(k + 1, true),
  });
}

/**
 * A nesting of depth 1..maxDepth.
 *
 * @example
 * ```ts
 * fc.sample(nesting(), 1)[0].toString(); // "derivative(x1 => 2*x1 * [grad(x2 => ...)(1)] + x1)(-2)"
 * ```
 */
export function nesting(maxDepth = 4): fc.Arbitrary<Nesting> {
  return fc.integer({ min: 1, max: maxDepth }).chain((d) =>
    fc.tuple(fc.tuple(...Array.from({ length: d }, (_, k) => level(k))), monomial(d)).map(([levels, inner]) => new Nesting(levels, inner)),
  );
}
