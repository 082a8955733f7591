/**
 * Plain-JS lstm loss (numbers only): the loop program the source compiler
 * differentiates, run on numbers (one copy of the program, in
 * modules/lstm-source.ts).
 */
import type { LstmInput } from "../modules/lstm.ts";
import { lstmSource } from "../modules/lstm-source.ts";

/** The lstm loss. @example `lstmPlain(parseLstm(input))` */
export function lstmPlain(inp: LstmInput): number {
  const { params, state, sequence } = inp.flat;
  return lstmSource(params, state, sequence, inp.layers, inp.bits, inp.sequence.length);
}
