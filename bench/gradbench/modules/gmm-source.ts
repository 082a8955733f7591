/**
 * The gmm log posterior (without its parameter-free constant) as plain-number
 * loops over flat arrays, the natural C-like code: one copy shared by the
 * plain-JS primal (plain/gmm.ts) and the source compiler (modules/gmm.ts).
 *
 * Q_k = diag(exp q_k) + L_k is kept in a local array `qs`, its lower
 * triangle packed by rows (strictly lower part filled column by column from
 * l_k, as the eval lays it out), so the inner loop over a row is contiguous
 * and the adjoint's Q and its adjoint take half the memory of full d × d
 * blocks; `at`, where the current row starts, runs on through the rows of
 * all clusters for each point. Each β_ik = α_k + Σ q_k - ½‖Q_k (x_i - μ_k)‖²
 * goes into `beta`, and log Σ_k exp β_ik is shifted by its maximum.
 */

/**
 * Σ_i logsumexp_k β_ik - N logsumexp α - ½γ² (‖exp q‖² + ‖l‖²) + m Σ q for the
 * flat parameters [α (K), μ (K·D), q (K·D), l (K·D(D-1)/2)] and the points
 * `x` (N·D, row-major).
 *
 * @example
 * ```ts
 * gmmSource([0, 0, 0], new Float64Array([0]), 1, 1, 1, 0, 1); // -0.5: one point at the mean, q = 0, only the prior's -½γ²·exp(0)²
 * ```
 */
export function gmmSource(
  params: ArrayLike<number>, x: ArrayLike<number>, d: number, k: number, n: number, m: number, gamma: number,
): number {
  const t = (d * (d - 1)) / 2;
  const qOff = k + k * d;
  const lOff = k + 2 * k * d;
  // Q_k's lower triangle, packed by rows: row r of Q_k starts at c * tri + r (r + 1) / 2.
  const tri = (d * (d + 1)) / 2;
  const qs = new Float64Array(k * tri);
  const sumQ = new Float64Array(k);
  const beta = new Float64Array(k);
  const diff = new Float64Array(d);
  const qx = new Float64Array(d);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      qs[c * tri + (j * (j + 1)) / 2 + j] = Math.exp(params[qOff + c * d + j]!);
      s += params[qOff + c * d + j]!;
    }
    sumQ[c] = s;
    let p = lOff + c * t;
    for (let col = 0; col < d; col++) {
      for (let row = col + 1; row < d; row++) {
        qs[c * tri + (row * (row + 1)) / 2 + col] = params[p]!;
        p += 1;
      }
    }
  }
  let likelihood = 0;
  for (let i = 0; i < n; i++) {
    // Where row `row` of Q_c starts in qs: the rows of all clusters follow each other.
    let at = 0;
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < d; j++) diff[j] = x[i * d + j]! - params[k + c * d + j]!;
      let sq = 0;
      for (let row = 0; row < d; row++) {
        let z = 0;
        for (let col = 0; col <= row; col++) z += qs[at + col]! * diff[col]!;
        at += row + 1;
        qx[row] = z;
        sq += qx[row]! * qx[row]!;
      }
      beta[c] = params[c]! + sumQ[c]! - 0.5 * sq;
    }
    let top = beta[0]!;
    for (let c = 1; c < k; c++) if (beta[c]! > top) top = beta[c]!;
    let s = 0;
    for (let c = 0; c < k; c++) s += Math.exp(beta[c]! - top);
    likelihood += top + Math.log(s);
  }
  let topAlpha = params[0]!;
  for (let c = 1; c < k; c++) if (params[c]! > topAlpha) topAlpha = params[c]!;
  let sAlpha = 0;
  for (let c = 0; c < k; c++) sAlpha += Math.exp(params[c]! - topAlpha);
  likelihood -= n * (topAlpha + Math.log(sAlpha));
  let squares = 0;
  let sumAll = 0;
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) squares += qs[c * tri + (j * (j + 1)) / 2 + j]! * qs[c * tri + (j * (j + 1)) / 2 + j]!;
    sumAll += sumQ[c]!;
  }
  for (let p = lOff; p < lOff + k * t; p++) squares += params[p]! * params[p]!;
  return likelihood - 0.5 * gamma * gamma * squares + m * sumAll;
}
