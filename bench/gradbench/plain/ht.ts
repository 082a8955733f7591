/**
 * Plain-JS hand-tracking residuals (numbers only): the loop program the
 * source compiler differentiates, run on numbers (one copy of the program,
 * in modules/ht-source.ts; every vertex is posed).
 */
import { htArgs, type HtInput } from "../modules/ht-input.ts";
import { htSource } from "../modules/ht-source.ts";

/** The 3N residuals. @example `htPlain(parseHt(input))` */
export function htPlain(inp: HtInput): Float64Array {
  return htSource(...(htArgs(inp, 0, 0) as Parameters<typeof htSource>));
}
