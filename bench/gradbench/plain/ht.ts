/**
 * Plain-JS hand-tracking residuals (numbers only), the same computation as
 * the module's objective (every vertex is posed).
 */
import type { HtInput, HtModel } from "../modules/ht-input.ts";

type Mat = number[][];

function product(a: Mat, b: Mat): Mat {
  return a.map((row) => b[0]!.map((_, j) => {
    let s = 0;
    for (let k = 0; k < b.length; k++) s += row[k]! * b[k]![j]!;
    return s;
  }));
}

function eulerTransform(e0: number, e1: number, e2: number): Mat {
  const [cx, sx, cz, sz, cy, sy] = [Math.cos(e0), Math.sin(e0), Math.cos(e1), Math.sin(e1), Math.cos(e2), Math.sin(e2)];
  const r = product(product([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]], [[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]]), [[1, 0, 0], [0, cx, -sx], [0, sx, cx]]);
  return [[...r[0]!, 0], [...r[1]!, 0], [...r[2]!, 0], [0, 0, 0, 1]];
}

function boneTransforms(theta: readonly number[], model: HtModel): Mat[] {
  const angles: number[][] = Array.from({ length: model.bones }, () => [0, 0, 0]);
  let next = 6;
  for (let f = 0; f < 5; f++) {
    const b = 2 + 4 * f;
    angles[b]![0] = theta[next++]!;
    angles[b]![1] = theta[next++]!;
    angles[b + 1]![0] = theta[next++]!;
    angles[b + 2]![0] = theta[next++]!;
  }
  const absolutes: Mat[] = [];
  return angles.map(([e0, e1, e2], b) => {
    const relative = product(model.baseRelatives[b]!, eulerTransform(e0!, e1!, e2!));
    const parent = model.parents[b]!;
    const absolute = parent < 0 ? relative : product(absolutes[parent]!, relative);
    absolutes.push(absolute);
    return product(absolute, model.inverseBaseAbsolutes[b]!);
  });
}

function globalRotation(a: readonly number[]): Mat {
  const norm = Math.hypot(a[0]!, a[1]!, a[2]!);
  if (norm < 1e-4) return [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  const [x, y, z] = [a[0]! / norm, a[1]! / norm, a[2]! / norm];
  const s = Math.sin(norm), c = Math.cos(norm), oc = 1 - c;
  return [
    [x * x + (1 - x * x) * c, x * y * oc - z * s, x * z * oc + y * s],
    [x * y * oc + z * s, y * y + (1 - y * y) * c, y * z * oc - x * s],
    [x * z * oc - y * s, z * y * oc + x * s, z * z + (1 - z * z) * c],
  ];
}

/** Posed vertices, flat [V·3]. */
function posed(theta: readonly number[], model: HtModel): Float64Array {
  const transforms = boneTransforms(theta, model);
  const r = globalRotation(theta);
  const out = new Float64Array(model.positions.length * 3);
  const q = [0, 0, 0];
  model.positions.forEach((p, v) => {
    q[0] = q[1] = q[2] = 0;
    const w = model.weights[v]!;
    for (let b = 0; b < w.length; b++) {
      if (w[b] === 0) continue;
      const t = transforms[b]!;
      for (let row = 0; row < 3; row++) {
        const tr = t[row]!;
        q[row]! += w[b]! * (tr[0]! * p[0]! + tr[1]! * p[1]! + tr[2]! * p[2]! + tr[3]! * p[3]!);
      }
    }
    if (model.mirrored) q[0] = -q[0]!;
    for (let i = 0; i < 3; i++) out[3 * v + i] = r[i]![0]! * q[0]! + r[i]![1]! * q[1]! + r[i]![2]! * q[2]! + theta[3 + i]!;
  });
  return out;
}

/** The 3N residuals. @example `htPlain(parseHt(input))` */
export function htPlain(inp: HtInput): Float64Array {
  const pos = posed(inp.theta, inp.model);
  const err = new Float64Array(3 * inp.points.length);
  inp.points.forEach((pt, i) => {
    const c = inp.correspondences[i]!;
    for (let j = 0; j < 3; j++) {
      let target: number;
      if (inp.us.length === 0) target = pos[3 * c + j]!;
      else {
        const [a, b, e] = inp.model.triangles[c]!;
        const [u0, u1] = inp.us[i]!;
        target = u0! * pos[3 * a! + j]! + u1! * pos[3 * b! + j]! + (1 - u0! - u1!) * pos[3 * e! + j]!;
      }
      err[3 * i + j] = pt[j]! - target;
    }
  });
  return err;
}
