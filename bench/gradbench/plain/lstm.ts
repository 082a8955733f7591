/**
 * Plain-JS lstm loss (numbers only), the same computation as the module.
 */
import type { LstmInput } from "../modules/lstm.ts";

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** The lstm loss. @example `lstmPlain(parseLstm(input))` */
export function lstmPlain(inp: LstmInput): number {
  const { layers, bits: b, params: p, sequence: seq } = inp;
  const extra = 8 * layers * b;
  const h = inp.state.filter((_, r) => r % 2 === 0).map((row) => Float64Array.from(row));
  const c = inp.state.filter((_, r) => r % 2 === 1).map((row) => Float64Array.from(row));
  const v = new Float64Array(b);
  const yhat = new Float64Array(b);
  let total = 0;
  for (let t = 0; t + 1 < seq.length; t++) {
    for (let j = 0; j < b; j++) v[j] = seq[t]![j]! * p[extra + j]!;
    for (let l = 0; l < layers; l++) {
      const w = 8 * l * b;
      const bias = w + 4 * b;
      const hl = h[l]!;
      const cl = c[l]!;
      for (let j = 0; j < b; j++) {
        const forget = sigmoid(v[j]! * p[w + j]! + p[bias + j]!);
        const ingate = sigmoid(hl[j]! * p[w + b + j]! + p[bias + b + j]!);
        const outgate = sigmoid(v[j]! * p[w + 2 * b + j]! + p[bias + 2 * b + j]!);
        const change = Math.tanh(hl[j]! * p[w + 3 * b + j]! + p[bias + 3 * b + j]!);
        cl[j] = cl[j]! * forget + ingate * change;
        hl[j] = outgate * Math.tanh(cl[j]!);
      }
      v.set(hl);
    }
    let sumExp = 0;
    for (let j = 0; j < b; j++) {
      yhat[j] = v[j]! * p[extra + b + j]! + p[extra + 2 * b + j]!;
      sumExp += Math.exp(yhat[j]!);
    }
    const lse = Math.log(sumExp + 2);
    for (let j = 0; j < b; j++) total += seq[t + 1]![j]! * (yhat[j]! - lse);
  }
  return total / (-(seq.length - 1) * b);
}
