/**
 * ba: bundle adjustment residuals built by replication (observation i
 * links camera i mod n with point i mod m). Every observation is computed.
 *
 * Each observation's residual pair depends on 15 inputs (11 camera, 3
 * point, 1 weight): with 2 outputs against 15 inputs, its 2×15 Jacobian
 * block is one recording and two reverse sweeps (`jacrev`); the weight
 * error 1 - w² is differentiated with `derivative`. The blocks fill the full CSR arrays (31p nonzeros), of
 * which the eval's output carries the first 30 and the last entry.
 */
import { add, sub, mul, div, sqrt, sin, cos, jacrev, derivative, type Value } from "../../../lib/index.ts";
import { asObject, asInt, asNumber, asVector } from "../input.ts";

/** The most observations (and cameras, points) a ba request may ask for: about 1 GB of Jacobian arrays. */
const MAX_OBSERVATIONS = 2_000_000;
import { evalFunction, type Module } from "../runs.ts";
import { scalar } from "../output.ts";

type V3 = [Value, Value, Value];

const dot = (a: readonly Value[], b: readonly Value[]): Value => add(add(mul(a[0]!, b[0]!), mul(a[1]!, b[1]!)), mul(a[2]!, b[2]!));
const cross = (a: readonly Value[], b: readonly Value[]): V3 => [
  sub(mul(a[1]!, b[2]!), mul(a[2]!, b[1]!)),
  sub(mul(a[2]!, b[0]!), mul(a[0]!, b[2]!)),
  sub(mul(a[0]!, b[1]!), mul(a[1]!, b[0]!)),
];

/** Rodrigues rotation of y by the rotation vector r (exactly zero r: first-order form). */
function rotate(r: readonly Value[], y: readonly Value[]): V3 {
  const theta2 = dot(r, r);
  if (scalar(theta2) === 0) {
    const rx = cross(r, y);
    return [add(y[0]!, rx[0]), add(y[1]!, rx[1]), add(y[2]!, rx[2])];
  }
  const theta = sqrt(theta2);
  const c = cos(theta);
  const s = sin(theta);
  const w = r.map((ri) => div(ri, theta));
  const wy = cross(w, y);
  const along = mul(dot(w, y), sub(1, c));
  return [0, 1, 2].map((k) => add(add(mul(y[k]!, c), mul(wy[k]!, s)), mul(w[k]!, along))) as V3;
}

/**
 * The weighted reprojection residual pair of one observation from its 15
 * inputs [camera (11), point (3), weight].
 *
 * @example
 * ```ts
 * reprojection([...cam, ...x, w], feat); // [e_x, e_y]
 * ```
 */
export function reprojection(v: readonly Value[], feat: readonly number[]): [Value, Value] {
  const y = [sub(v[11]!, v[3]!), sub(v[12]!, v[4]!), sub(v[13]!, v[5]!)];
  const z = rotate(v.slice(0, 3), y);
  const px = div(z[0], z[2]);
  const py = div(z[1], z[2]);
  const rho = add(mul(px, px), mul(py, py));
  const scale = add(1, mul(rho, add(v[9]!, mul(v[10]!, rho))));
  const f = v[6]!;
  const w = v[14]!;
  return [
    mul(w, sub(add(mul(f, mul(px, scale)), v[7]!), feat[0]!)),
    mul(w, sub(add(mul(f, mul(py, scale)), v[8]!), feat[1]!)),
  ];
}

/** The weight error 1 - w². @example `weightError(0.5) // 0.75` */
export function weightError(w: Value): Value {
  return sub(1, mul(w, w));
}

/** Parsed ba input: the replicated problem's data. */
export interface BaInput {
  n: number;
  m: number;
  p: number;
  cams: number[][];
  points: number[][];
  weights: number[];
  feats: number[][];
}

/**
 * Checks a ba input and builds the replicated cameras, points, weights and features.
 *
 * @example
 * ```ts
 * parseBa(input).cams.length; // n
 * ```
 */
export function parseBa(input: unknown): BaInput {
  const o = asObject(input, "input");
  // Bounds: the Jacobian holds 31p nonzeros (Float64 + Int32), and each camera, point and observation is a JS array.
  const n = asInt(o.n, "input.n", 1, MAX_OBSERVATIONS);
  const m = asInt(o.m, "input.m", 1, MAX_OBSERVATIONS);
  const p = asInt(o.p, "input.p", 10, MAX_OBSERVATIONS);
  const cam = asVector(o.cam, "input.cam", 11);
  const x = asVector(o.x, "input.x", 3);
  const w = asNumber(o.w, "input.w");
  const feat = asVector(o.feat, "input.feat", 2);
  return {
    n, m, p,
    cams: Array.from({ length: n }, () => cam.slice()),
    points: Array.from({ length: m }, () => x.slice()),
    weights: new Array<number>(p).fill(w),
    feats: Array.from({ length: p }, () => feat.slice()),
  };
}

function inputsOf(b: BaInput, i: number): number[] {
  return [...b.cams[i % b.n]!, ...b.points[i % b.m]!, b.weights[i]!];
}

function objective(b: BaInput): object {
  const reproj = new Float64Array(2 * b.p);
  const werr = new Float64Array(b.p);
  for (let i = 0; i < b.p; i++) {
    const [ex, ey] = reprojection(inputsOf(b, i), b.feats[i]!);
    reproj[2 * i] = scalar(ex);
    reproj[2 * i + 1] = scalar(ey);
    werr[i] = scalar(weightError(b.weights[i]!));
  }
  return {
    reproj_error: { elements: [reproj[0], reproj[1]], repeated: b.p },
    w_err: { element: werr[0], repeated: b.p },
  };
}

/** Column indices of observation i's residual rows: 11 camera, 3 point, 1 weight. */
function residualCols(b: BaInput, i: number): number[] {
  const cam = 11 * (i % b.n);
  const pt = 11 * b.n + 3 * (i % b.m);
  return [...Array.from({ length: 11 }, (_, k) => cam + k), pt, pt + 1, pt + 2, 11 * b.n + 3 * b.m + i];
}

function jacobian(b: BaInput): object {
  const nnz = 31 * b.p;
  const rowPtr = new Int32Array(3 * b.p + 1);
  const cols = new Int32Array(nnz);
  const vals = new Float64Array(nnz);
  let at = 0;
  for (let i = 0; i < b.p; i++) {
    const feat = b.feats[i]!;
    const block = jacrev((v: Value[]) => reprojection(v, feat))(inputsOf(b, i)) as number[][];
    const cs = residualCols(b, i);
    for (const row of block) {
      cols.set(cs, at);
      vals.set(row, at);
      at += 15;
      rowPtr[2 * i + 1 + (row === block[0] ? 0 : 1)] = at;
    }
  }
  const wcol = 11 * b.n + 3 * b.m;
  for (let i = 0; i < b.p; i++) {
    cols[at] = wcol + i;
    vals[at] = scalar(derivative(weightError)(b.weights[i]!) as Value);
    rowPtr[2 * b.p + i + 1] = ++at;
  }
  const head = <T extends Int32Array | Float64Array>(a: T) => [...Array.from(a.subarray(0, 30)), a[a.length - 1]!];
  return { rows: head(rowPtr), cols: head(cols), vals: head(vals) };
}

/** The ba module. @example `ba.jacobian.run(parseBa(input))` */
export const ba: Module = {
  objective: evalFunction(parseBa, objective),
  jacobian: evalFunction(parseBa, jacobian),
};
