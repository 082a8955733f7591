/**
 * The ht residuals as plain-number loops over flat arrays: the one copy of
 * the program that the plain-JS primal runs and the source compiler
 * differentiates. Matrices are row-major 4×4 blocks of 16 numbers.
 */

/**
 * out[oo..oo+15] = a[ao..ao+15] · m[mo..mo+15] (4×4, row-major).
 *
 * @example
 * ```ts
 * htMul4(a, 0, m, 0, out, 0);
 * ```
 */
export function htMul4(a: ArrayLike<number>, ao: number, m: ArrayLike<number>, mo: number, out: Float64Array, oo: number): number {
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      out[oo + 4 * r + c] = a[ao + 4 * r]! * m[mo + c]! + a[ao + 4 * r + 1]! * m[mo + 4 + c]! + a[ao + 4 * r + 2]! * m[mo + 8 + c]! + a[ao + 4 * r + 3]! * m[mo + 12 + c]!;
    }
  }
  return 0;
}

/**
 * The 3N residuals points[i] - model_i of the hand model posed by `theta`
 * (26 numbers). Bone b's Euler angles come from theta[6..25] (two for each
 * finger's base bone, one for the next two); its transform is
 * absolute_b · inverse_base_absolute_b with absolute_b = absolute_parent ·
 * base_relative_b · R(angles), R = Rz(e1)·Ry(e2)·Rx(e0). Every vertex is
 * skinned (bones of zero weight skipped), mirrored when `mirrored` is 1,
 * rotated by the angle-axis theta[0..2] (identity when its norm is below
 * 1e-4) and moved by theta[3..5]. When `complicated` is 1, point i's model
 * point lies on triangle correspondences[i] at barycentric (us[2i] + d0,
 * us[2i+1] + d1); otherwise it is vertex correspondences[i]. (d0, d1) are
 * 0 in the eval: the derivatives in them are the us columns.
 *
 * @example
 * ```ts
 * htSource(theta, 0, 0, bones, parents, relatives, inverses, positions, weights, vertices, 0, triangles, corr, points, us, n, 1);
 * ```
 */
export function htSource(
  theta: ArrayLike<number>, d0: number, d1: number,
  bones: number, parents: ArrayLike<number>, relatives: ArrayLike<number>, inverses: ArrayLike<number>,
  positions: ArrayLike<number>, weights: ArrayLike<number>, vertices: number, mirrored: number,
  triangles: ArrayLike<number>, corr: ArrayLike<number>, points: ArrayLike<number>, us: ArrayLike<number>, n: number, complicated: number,
): Float64Array {
  const angles = new Float64Array(3 * bones);
  const rot = new Float64Array(16);
  const relative = new Float64Array(16);
  const absolutes = new Float64Array(16 * bones);
  const transforms = new Float64Array(16 * bones);
  const g = new Float64Array(9);
  const posed = new Float64Array(3 * vertices);
  const out = new Float64Array(3 * n);
  for (let f = 0; f < 5; f++) {
    const b = 2 + 4 * f;
    angles[3 * b] = theta[6 + 4 * f]!;
    angles[3 * b + 1] = theta[7 + 4 * f]!;
    angles[3 * b + 3] = theta[8 + 4 * f]!;
    angles[3 * b + 6] = theta[9 + 4 * f]!;
  }
  rot[15] = 1;
  for (let b = 0; b < bones; b++) {
    const cx = Math.cos(angles[3 * b]!);
    const sx = Math.sin(angles[3 * b]!);
    const cz = Math.cos(angles[3 * b + 1]!);
    const sz = Math.sin(angles[3 * b + 1]!);
    const cy = Math.cos(angles[3 * b + 2]!);
    const sy = Math.sin(angles[3 * b + 2]!);
    rot[0] = cz * cy;
    rot[1] = cz * sy * sx - sz * cx;
    rot[2] = sz * sx + cz * sy * cx;
    rot[4] = sz * cy;
    rot[5] = cz * cx + sz * sy * sx;
    rot[6] = sz * sy * cx - cz * sx;
    rot[8] = -sy;
    rot[9] = cy * sx;
    rot[10] = cy * cx;
    htMul4(relatives, 16 * b, rot, 0, relative, 0);
    const parent = parents[b]!;
    if (parent < 0) {
      for (let k = 0; k < 16; k++) absolutes[16 * b + k] = relative[k]!;
    } else {
      htMul4(absolutes, 16 * parent, relative, 0, absolutes, 16 * b);
    }
    htMul4(absolutes, 16 * b, inverses, 16 * b, transforms, 16 * b);
  }
  const norm = Math.sqrt(theta[0]! * theta[0]! + theta[1]! * theta[1]! + theta[2]! * theta[2]!);
  if (norm < 1e-4) {
    g[0] = 1;
    g[4] = 1;
    g[8] = 1;
  } else {
    const x = theta[0]! / norm;
    const y = theta[1]! / norm;
    const z = theta[2]! / norm;
    const s = Math.sin(norm);
    const c = Math.cos(norm);
    const oc = 1 - c;
    g[0] = x * x + (1 - x * x) * c;
    g[1] = x * y * oc - z * s;
    g[2] = x * z * oc + y * s;
    g[3] = x * y * oc + z * s;
    g[4] = y * y + (1 - y * y) * c;
    g[5] = y * z * oc - x * s;
    g[6] = x * z * oc - y * s;
    g[7] = z * y * oc + x * s;
    g[8] = z * z + (1 - z * z) * c;
  }
  for (let v = 0; v < vertices; v++) {
    let q0 = 0;
    let q1 = 0;
    let q2 = 0;
    const p0 = positions[4 * v]!;
    const p1 = positions[4 * v + 1]!;
    const p2 = positions[4 * v + 2]!;
    const p3 = positions[4 * v + 3]!;
    for (let b = 0; b < bones; b++) {
      const w = weights[v * bones + b]!;
      if (w === 0) continue;
      const t = 16 * b;
      q0 += w * (transforms[t]! * p0 + transforms[t + 1]! * p1 + transforms[t + 2]! * p2 + transforms[t + 3]! * p3);
      q1 += w * (transforms[t + 4]! * p0 + transforms[t + 5]! * p1 + transforms[t + 6]! * p2 + transforms[t + 7]! * p3);
      q2 += w * (transforms[t + 8]! * p0 + transforms[t + 9]! * p1 + transforms[t + 10]! * p2 + transforms[t + 11]! * p3);
    }
    if (mirrored === 1) q0 = -q0;
    for (let i = 0; i < 3; i++) posed[3 * v + i] = g[3 * i]! * q0 + g[3 * i + 1]! * q1 + g[3 * i + 2]! * q2 + theta[3 + i]!;
  }
  for (let i = 0; i < n; i++) {
    const c = corr[i]!;
    if (complicated === 1) {
      const a = triangles[3 * c]!;
      const b = triangles[3 * c + 1]!;
      const e = triangles[3 * c + 2]!;
      const u0 = us[2 * i]! + d0;
      const u1 = us[2 * i + 1]! + d1;
      const u2 = 1 - u0 - u1;
      for (let j = 0; j < 3; j++) out[3 * i + j] = points[3 * i + j]! - (u0 * posed[3 * a + j]! + u1 * posed[3 * b + j]! + u2 * posed[3 * e + j]!);
    } else {
      for (let j = 0; j < 3; j++) out[3 * i + j] = points[3 * i + j]! - posed[3 * c + j]!;
    }
  }
  return out;
}
