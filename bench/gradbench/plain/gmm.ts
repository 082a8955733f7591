/**
 * Plain-JS gmm log posterior (numbers only), the same quantity as the
 * module: the loops the source compiler differentiates (`gmmSource`, one
 * copy of the program) plus the parameter-free constant.
 */
import { gmmConstant, type GmmInput } from "../modules/gmm-input.ts";
import { gmmSource } from "../modules/gmm-source.ts";

/** The log posterior. @example `gmmPlain(parseGmm(input))` */
export function gmmPlain(inp: GmmInput): number {
  const { d, k, n, m, gamma, params } = inp;
  return gmmSource(params, inp.x.data, d, k, n, m, gamma) + gmmConstant(inp);
}
