/**
 * The lstm loss as plain-number loops over flat arrays: the one copy of the
 * program that the plain-JS primal runs and the source compiler differentiates.
 */

/**
 * The lstm loss for the flat parameter array `p` ([main_params rows...,
 * extra_params rows...]), the flat `state` (2·layers rows of `b`: hidden,
 * cell, hidden, ...) and the flat `seq` (`chars` rows of `b`). The gates
 * use σ(z) = ½ tanh(z/2) + ½, the same function as the registry's sigmoid
 * without a branch or an overflowing exp.
 *
 * @example
 * ```ts
 * lstmSource(inp.params, inp.stateFlat, inp.sequenceFlat, inp.layers, inp.bits, inp.sequence.length);
 * ```
 */
export function lstmSource(p: ArrayLike<number>, state: ArrayLike<number>, seq: ArrayLike<number>, layers: number, b: number, chars: number): number {
  const extra = 8 * layers * b;
  const h = new Float64Array(layers * b);
  const c = new Float64Array(layers * b);
  const v = new Float64Array(b);
  const yhat = new Float64Array(b);
  for (let l = 0; l < layers; l++) {
    for (let j = 0; j < b; j++) {
      h[l * b + j] = state[2 * l * b + j]!;
      c[l * b + j] = state[(2 * l + 1) * b + j]!;
    }
  }
  let total = 0;
  for (let t = 0; t + 1 < chars; t++) {
    for (let j = 0; j < b; j++) v[j] = seq[t * b + j]! * p[extra + j]!;
    for (let l = 0; l < layers; l++) {
      const w = 8 * l * b;
      const bias = w + 4 * b;
      const at = l * b;
      for (let j = 0; j < b; j++) {
        const forget = 0.5 * Math.tanh(0.5 * (v[j]! * p[w + j]! + p[bias + j]!)) + 0.5;
        const ingate = 0.5 * Math.tanh(0.5 * (h[at + j]! * p[w + b + j]! + p[bias + b + j]!)) + 0.5;
        const outgate = 0.5 * Math.tanh(0.5 * (v[j]! * p[w + 2 * b + j]! + p[bias + 2 * b + j]!)) + 0.5;
        const change = Math.tanh(h[at + j]! * p[w + 3 * b + j]! + p[bias + 3 * b + j]!);
        c[at + j] = c[at + j]! * forget + ingate * change;
        h[at + j] = outgate * Math.tanh(c[at + j]!);
      }
      for (let j = 0; j < b; j++) v[j] = h[at + j]!;
    }
    let sumExp = 0;
    for (let j = 0; j < b; j++) {
      yhat[j] = v[j]! * p[extra + b + j]! + p[extra + 2 * b + j]!;
      sumExp += Math.exp(yhat[j]!);
    }
    const lse = Math.log(sumExp + 2);
    for (let j = 0; j < b; j++) total += seq[(t + 1) * b + j]! * (yhat[j]! - lse);
  }
  return total / (-(chars - 1) * b);
}
