/**
 * Plain-JS bundle-adjustment residuals (numbers only) for all p
 * observations, the same computation as the module's objective.
 */
import type { BaInput } from "../modules/ba.ts";

/** Writes observation residuals (e_x, e_y) of camera `c`, point `x`, weight `w` into out[o], out[o+1]. */
function project(c: readonly number[], x: readonly number[], w: number, feat: readonly number[], out: Float64Array, o: number): void {
  const y0 = x[0]! - c[3]!, y1 = x[1]! - c[4]!, y2 = x[2]! - c[5]!;
  const r0 = c[0]!, r1 = c[1]!, r2 = c[2]!;
  const t2 = r0 * r0 + r1 * r1 + r2 * r2;
  let z0: number, z1: number, z2: number;
  if (t2 !== 0) {
    const t = Math.sqrt(t2), ct = Math.cos(t), st = Math.sin(t);
    const w0 = r0 / t, w1 = r1 / t, w2 = r2 / t;
    const along = (w0 * y0 + w1 * y1 + w2 * y2) * (1 - ct);
    z0 = y0 * ct + (w1 * y2 - w2 * y1) * st + w0 * along;
    z1 = y1 * ct + (w2 * y0 - w0 * y2) * st + w1 * along;
    z2 = y2 * ct + (w0 * y1 - w1 * y0) * st + w2 * along;
  } else {
    z0 = y0 + (r1 * y2 - r2 * y1);
    z1 = y1 + (r2 * y0 - r0 * y2);
    z2 = y2 + (r0 * y1 - r1 * y0);
  }
  const px = z0 / z2, py = z1 / z2;
  const rho = px * px + py * py;
  const scale = 1 + rho * (c[9]! + c[10]! * rho);
  out[o] = w * (c[6]! * (px * scale) + c[7]! - feat[0]!);
  out[o + 1] = w * (c[6]! * (py * scale) + c[8]! - feat[1]!);
}

/** All residuals: 2p reprojection errors and p weight errors. @example `baPlain(parseBa(input))` */
export function baPlain(b: BaInput): { reproj: Float64Array; werr: Float64Array } {
  const reproj = new Float64Array(2 * b.p);
  const werr = new Float64Array(b.p);
  for (let i = 0; i < b.p; i++) {
    const w = b.weights[i]!;
    project(b.cams[i % b.n]!, b.points[i % b.m]!, w, b.feats[i]!, reproj, 2 * i);
    werr[i] = 1 - w * w;
  }
  return { reproj, werr };
}
