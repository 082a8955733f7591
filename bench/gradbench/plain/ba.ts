/**
 * Plain-JS bundle-adjustment residuals (numbers only) for all p
 * observations: the loop programs the source compiler differentiates, run
 * on numbers (one copy of the program, in modules/ba-source.ts).
 */
import type { BaInput } from "../modules/ba.ts";
import { baSource, weightErrorSource } from "../modules/ba-source.ts";

/** All residuals: 2p reprojection errors and p weight errors. @example `baPlain(parseBa(input))` */
export function baPlain(b: BaInput): { reproj: Float64Array; werr: Float64Array } {
  const { v, feats, weights } = b.flat;
  return { reproj: baSource(v, feats, b.p), werr: weightErrorSource(weights, b.p) };
}
