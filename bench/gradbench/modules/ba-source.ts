/**
 * The ba residuals as plain-number code: the one copy of the program that
 * the plain-JS primal runs and the source compiler differentiates.
 */

/**
 * The weighted reprojection residual pairs of `p` observations. Observation
 * i reads its 15 inputs at v[15i..15i+14]: camera (rotation vector 0-2,
 * centre 3-5, focal length 6, principal point 7-8, radial distortion 9-10),
 * point (11-13) and weight (14); its feature at feats[2i], feats[2i+1]; its
 * pair goes to out[2i], out[2i+1]. The rotation is Rodrigues' formula; at
 * an exactly zero rotation vector (θ² = 0), its first-order form
 * y + r × y, which has the same value and first derivatives there. Each
 * observation owning its inputs makes the Jacobian block diagonal, so one
 * pullback seeded on every e_x and one on every e_y give all blocks.
 *
 * @example
 * ```ts
 * baSource(v, feats, p); // [e_x, e_y] of each observation
 * ```
 */
export function baSource(v: ArrayLike<number>, feats: ArrayLike<number>, p: number): Float64Array {
  const out = new Float64Array(2 * p);
  for (let i = 0; i < p; i++) {
    const o = 15 * i;
    const y0 = v[o + 11]! - v[o + 3]!;
    const y1 = v[o + 12]! - v[o + 4]!;
    const y2 = v[o + 13]! - v[o + 5]!;
    const r0 = v[o]!;
    const r1 = v[o + 1]!;
    const r2 = v[o + 2]!;
    const t2 = r0 * r0 + r1 * r1 + r2 * r2;
    let z0 = 0;
    let z1 = 0;
    let z2 = 0;
    if (t2 !== 0) {
      const t = Math.sqrt(t2);
      const ct = Math.cos(t);
      const st = Math.sin(t);
      const w0 = r0 / t;
      const w1 = r1 / t;
      const w2 = r2 / t;
      const along = (w0 * y0 + w1 * y1 + w2 * y2) * (1 - ct);
      z0 = y0 * ct + (w1 * y2 - w2 * y1) * st + w0 * along;
      z1 = y1 * ct + (w2 * y0 - w0 * y2) * st + w1 * along;
      z2 = y2 * ct + (w0 * y1 - w1 * y0) * st + w2 * along;
    } else {
      z0 = y0 + (r1 * y2 - r2 * y1);
      z1 = y1 + (r2 * y0 - r0 * y2);
      z2 = y2 + (r0 * y1 - r1 * y0);
    }
    const px = z0 / z2;
    const py = z1 / z2;
    const rho = px * px + py * py;
    const scale = 1 + rho * (v[o + 9]! + v[o + 10]! * rho);
    const w = v[o + 14]!;
    out[2 * i] = w * (v[o + 6]! * (px * scale) + v[o + 7]! - feats[2 * i]!);
    out[2 * i + 1] = w * (v[o + 6]! * (py * scale) + v[o + 8]! - feats[2 * i + 1]!);
  }
  return out;
}

/**
 * The weight errors 1 - w_i² of `p` observations (a diagonal Jacobian:
 * one pullback seeded with ones gives it).
 *
 * @example
 * ```ts
 * weightErrorSource([0.5], 1); // [0.75]
 * ```
 */
export function weightErrorSource(w: ArrayLike<number>, p: number): Float64Array {
  const out = new Float64Array(p);
  for (let i = 0; i < p; i++) out[i] = 1 - w[i]! * w[i]!;
  return out;
}
