/**
 * det: the determinant by Laplace (cofactor) expansion along the first row
 * of every minor, the O(ℓ!) algorithm of the reference. The gradient (the
 * cofactor matrix) is the source compiler's reverse code for `detSource`,
 * the same expansion as loops over an explicit stack (`compile` refuses
 * recursion; the loops are also the plain-JS primal), compiled once per
 * process. The recursive ops version below stays as the module's `primal`
 * and, compiled once per shape in `prepare` (compileGrad) and replayed per
 * run, as `gradient_tape`, for comparison.
 *
 * The compiled reverse sweep stores about 28 bytes per node of the
 * expansion tree (e·ℓ! nodes): 27 MB at ℓ = 9, 272 MB at ℓ = 10, the
 * largest ℓ accepted.
 */
import { add, sub, mul, compile, type Value } from "../../../lib/index.ts";
import { compiledGradient } from "../compiled.ts";
import { asObject, asInt, asVector } from "../input.ts";
import { evalFunction, type Module } from "../runs.ts";
import { scalar, list } from "../output.ts";
import { detSource } from "./det-source.ts";

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

/** Compiled once, on first use (compiling reads the source; nothing depends on the input). */
let compiled: ReturnType<typeof compile> | null = null;
const detCompiled = () => (compiled ??= compile(detSource, { wrt: [0] }));

/** The det module. @example `det.gradient.run(det.gradient.prepare(input))` */
export const det: Module = {
  primal: evalFunction(parseDet, ({ a, ell }) => scalar(determinant(a, ell))),
  gradient: evalFunction(
    (input) => { const p = parseDet(input); return { ...p, g: detCompiled(), out: new Float64Array(p.a.length) }; },
    // The gradient goes into a buffer made once, in prepare, as a tool in any language reuses its output.
    ({ a, ell, g, out }) => list(g.valueAndGradInto(out, a, ell).grad as Float64Array),
  ),
  gradient_tape: compiledGradient(parseDet, (p) => p.a, (p) => (v) => determinant(v, p.ell)),
};
