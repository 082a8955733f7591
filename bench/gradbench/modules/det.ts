/**
 * det: the determinant by Laplace (cofactor) expansion along the first row
 * of every minor, the O(ℓ!) algorithm of the reference. The gradient (the
 * cofactor matrix) is one reverse pass over that expansion, compiled once per
 * shape in `prepare` (compileGrad) and replayed per run.
 */
import { add, sub, mul, type Value } from "../../../lib/index.ts";
import { compiledGradient } from "../compiled.ts";
import { asObject, asInt, asVector } from "../input.ts";
import { evalFunction, type Module } from "../runs.ts";
import { scalar } from "../output.ts";

/** The determinant of the minor made of rows row.. and the columns `cols`. */
function minorDet(a: readonly Value[], ell: number, row: number, cols: readonly number[]): Value {
  if (cols.length === 1) return a[row * ell + cols[0]!]!;
  let total: Value = 0;
  for (let k = 0; k < cols.length; k++) {
    const rest = cols.filter((_, i) => i !== k);
    const term = mul(a[row * ell + cols[k]!]!, minorDet(a, ell, row + 1, rest));
    total = k % 2 === 0 ? add(total, term) : sub(total, term);
  }
  return total;
}

/**
 * The determinant of the ℓ×ℓ matrix `a` (row-major, flat).
 *
 * @example
 * ```ts
 * determinant([1, 2, 3, 4], 2); // -2
 * ```
 */
export function determinant(a: readonly Value[], ell: number): Value {
  return minorDet(a, ell, 0, Array.from({ length: ell }, (_, j) => j));
}

/** Parsed det input. */
export interface DetInput {
  a: number[];
  ell: number;
}

/**
 * Checks a det input.
 *
 * @example
 * ```ts
 * parseDet({ A: [1, 2, 3, 4], ell: 2 });
 * ```
 */
export function parseDet(input: unknown): DetInput {
  const o = asObject(input, "input");
  // Expansion by minors costs ell! products: 10! is about 3.6 million.
  const ell = asInt(o.ell, "input.ell", 1, 10);
  return { a: asVector(o.A, "input.A", ell * ell), ell };
}

/** The det module. @example `det.gradient.run(parseDet(input))` */
export const det: Module = {
  primal: evalFunction(parseDet, ({ a, ell }) => scalar(determinant(a, ell))),
  gradient: compiledGradient(parseDet, (p) => p.a, (p) => (v) => determinant(v, p.ell)),
};
