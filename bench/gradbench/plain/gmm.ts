/**
 * Plain-JS gmm log posterior (numbers only), the same quantity as the module.
 */
import { gmmConstant, type GmmInput } from "../modules/gmm-input.ts";

function logSumExp(v: Float64Array): number {
  let a = -Infinity;
  for (const e of v) if (e > a) a = e;
  let s = 0;
  for (const e of v) s += Math.exp(e - a);
  return a + Math.log(s);
}

/** Q_k row-major (D×D, lower triangular) for every k, and Σ_j q_kj. */
function precisionFactors(inp: GmmInput): { qs: Float64Array[]; sumQ: Float64Array } {
  const { k, d, params } = inp;
  const t = (d * (d - 1)) / 2;
  const qOff = k + k * d;
  const lOff = k + 2 * k * d;
  const qs: Float64Array[] = [];
  const sumQ = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const m = new Float64Array(d * d);
    for (let j = 0; j < d; j++) {
      m[j * d + j] = Math.exp(params[qOff + c * d + j]!);
      sumQ[c]! += params[qOff + c * d + j]!;
    }
    let p = lOff + c * t;
    for (let col = 0; col < d; col++) for (let row = col + 1; row < d; row++) m[row * d + col] = params[p++]!;
    qs.push(m);
  }
  return { qs, sumQ };
}

/** The log posterior. @example `gmmPlain(parseGmm(input))` */
export function gmmPlain(inp: GmmInput): number {
  const { k, d, n, m, gamma, params } = inp;
  const x = inp.x.data;
  const { qs, sumQ } = precisionFactors(inp);
  const beta = new Float64Array(k);
  const diff = new Float64Array(d);
  let likelihood = 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < d; j++) diff[j] = x[i * d + j]! - params[k + c * d + j]!;
      const q = qs[c]!;
      let sq = 0;
      for (let r = 0; r < d; r++) {
        let z = 0;
        for (let col = 0; col <= r; col++) z += q[r * d + col]! * diff[col]!;
        sq += z * z;
      }
      beta[c] = params[c]! + sumQ[c]! - 0.5 * sq;
    }
    likelihood += logSumExp(beta);
  }
  likelihood -= n * logSumExp(Float64Array.from(params.slice(0, k)));
  let squares = 0;
  let sumAll = 0;
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) squares += qs[c]![j * d + j]! ** 2;
    sumAll += sumQ[c]!;
  }
  for (let p = k + 2 * k * d; p < params.length; p++) squares += params[p]! ** 2;
  return likelihood - 0.5 * gamma * gamma * squares + m * sumAll + gmmConstant(inp);
}
