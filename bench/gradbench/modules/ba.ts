/**
 * ba: bundle adjustment residuals built by replication (observation i
 * links camera i mod n with point i mod m). Every observation is computed.
 *
 * Each observation's residual pair depends on 15 inputs (11 camera, 3
 * point, 1 weight). The Jacobian comes from the source compiler's reverse
 * code for the plain-number loops `baSource` (ba-source.ts, also the
 * plain-JS primal; `compile`, once per process), run on every observation
 * at once with each observation owning a copy of its 15 inputs: the
 * Jacobian is then block diagonal, so the pullback of ones on every e_x
 * row gives every block's first row and ones on every e_y row the second
 * (one compiled call instead of p, whose per-call overhead measured about
 * 100x the observation's own cost). The loop's trips are independent, so
 * both pullbacks take one fused pass, and their entries are added straight
 * into their places in the full CSR arrays (31p nonzeros; scatter
 * into-entries), of which the eval's output carries the first 30 and the
 * last entry. The weight errors 1 - w² likewise, with one pullback of ones. The same residuals written with ops on traced values
 * (`reprojection`, `jacrev` per observation and `derivative` for 1 - w²)
 * stay as `jacobian_tape`, for comparison.
 */
import { add, sub, mul, div, sqrt, sin, cos, jacrev, derivative, compile, scatter, type Scatter, type Value } from "../../../lib/index.ts";
import { baSource, weightErrorSource } from "./ba-source.ts";
import { asObject, asInt, asNumber, asVector } from "../input.ts";

/**
 * The most observations (and cameras, points) a ba request may ask for: about 1 GB of Jacobian
 * arrays, and about as much again for the compiled route (15p flat inputs, two 15p adjoints,
 * about 170 saved bytes per observation on the reverse stacks).
 */
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
  /**
   * The flat arrays `baSource` takes: each observation's 15 inputs
   * (camera, point, weight) in `v`, its feature pair in `feats`, and every
   * weight in `weights`.
   */
  flat: { v: Float64Array; feats: Float64Array; weights: Float64Array };
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
  const b = {
    n, m, p,
    cams: Array.from({ length: n }, () => cam.slice()),
    points: Array.from({ length: m }, () => x.slice()),
    weights: new Array<number>(p).fill(w),
    feats: Array.from({ length: p }, () => feat.slice()),
  };
  return { ...b, flat: baFlat(b) };
}

/**
 * The flat arrays of `baSource` for the replicated cameras, points, weights and features.
 *
 * @example
 * ```ts
 * baFlat(b).v.length; // 15 p
 * ```
 */
export function baFlat(b: Omit<BaInput, "flat">): BaInput["flat"] {
  const v = new Float64Array(15 * b.p);
  const feats = new Float64Array(2 * b.p);
  for (let i = 0; i < b.p; i++) {
    v.set(b.cams[i % b.n]!, 15 * i);
    v.set(b.points[i % b.m]!, 15 * i + 11);
    v[15 * i + 14] = b.weights[i]!;
    feats.set(b.feats[i]!, 2 * i);
  }
  return { v, feats, weights: Float64Array.from(b.weights) };
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

/** The CSR arrays of the full Jacobian (31p nonzeros: 15 per residual row, 1 per weight row). */
export interface CsrBuffers {
  rowPtr: Int32Array;
  cols: Int32Array;
  vals: Float64Array;
}

/**
 * The Jacobian's sparsity structure: observation i's two residual rows hold
 * its camera's 11 columns, its point's 3 and its weight's, at entries
 * 30i..30i+29; its weight row (after all residual rows) holds its weight's
 * column.
 */
function fillStructure(b: BaInput, rowPtr: Int32Array, cols: Int32Array): void {
  const { n, m, p } = b;
  const points = 11 * n;
  const weightsAt = 11 * n + 3 * m;
  let at = 0;
  for (let i = 0; i < p; i++) {
    const cam = 11 * (i % n);
    const pt = points + 3 * (i % m);
    for (let r = 0; r < 2; r++) {
      for (let k = 0; k < 11; k++) cols[at + k] = cam + k;
      for (let k = 0; k < 3; k++) cols[at + 11 + k] = pt + k;
      cols[at + 14] = weightsAt + i;
      at += 15;
      rowPtr[2 * i + 1 + r] = at;
    }
  }
  for (let i = 0; i < p; i++) {
    cols[at] = weightsAt + i;
    rowPtr[2 * p + i + 1] = ++at;
  }
}

/**
 * The input with the Jacobian's CSR arrays allocated and its structure
 * filled, as the eval's "prepare" step does: both follow from the input's
 * sizes alone. Allocating and zeroing 31p Float64 and Int32 entries (67 MB
 * at ba3's size) on every evaluation would time the allocator, not the
 * derivative; each evaluation writes every value.
 */
function prepareJacobian(input: unknown): BaInput & { jac: CsrBuffers } {
  const b = parseBa(input);
  const nnz = 31 * b.p;
  const jac = { rowPtr: new Int32Array(3 * b.p + 1), cols: new Int32Array(nnz), vals: new Float64Array(nnz) };
  fillStructure(b, jac.rowPtr, jac.cols);
  return { ...b, jac };
}

/** The CSR arrays in the eval's output form (their first 30 entries and their last). */
function csrOutput({ rowPtr, cols, vals }: CsrBuffers): object {
  const head = <T extends Int32Array | Float64Array>(a: T) => [...Array.from(a.subarray(0, 30)), a[a.length - 1]!];
  return { rows: head(rowPtr), cols: head(cols), vals: head(vals) };
}

/** Compiled once, on first use (compiling reads the source; nothing depends on the input). */
let compiled: { reproj: ReturnType<typeof compile>; werr: ReturnType<typeof compile> } | null = null;
const baCompiled = () => (compiled ??= { reproj: compile(baSource, { wrt: [0] }), werr: compile(weightErrorSource, { wrt: [0] }) });

/** Ones at every `stride`-th entry from `first`. */
function seed(length: number, first: number, stride: number): Float64Array {
  const s = new Float64Array(length);
  for (let k = first; k < length; k += stride) s[k] = 1;
  return s;
}

/**
 * What `baValues` needs for p observations, made once per input in the
 * eval's "prepare" step (they follow from p alone; fresh arrays on every
 * evaluation, 15p numbers each, would make the timing depend on the
 * garbage collector): the seeds, ones on every e_x row, ones on every e_y
 * row and ones for the weight errors, and where each block's entries go
 * in the CSR values: observation i's block rows at 30i..30i+14 and
 * 30i+15..30i+29, its weight's entry at 30p + i.
 */
export interface BaWork {
  seedX: Float64Array;
  seedY: Float64Array;
  ones: Float64Array;
  x: Scatter;
  y: Scatter;
  w: Scatter;
}

/**
 * Fresh `BaWork` for p observations, scattering into `vals` (31p entries).
 *
 * @example
 * ```ts
 * baWork(10, new Float64Array(310)).x.at.length; // 150
 * ```
 */
export function baWork(p: number, vals: Float64Array): BaWork {
  const row = (first: number) => Int32Array.from({ length: 15 * p }, (_, j) => 30 * Math.floor(j / 15) + first + (j % 15));
  return {
    seedX: seed(2 * p, 0, 2), seedY: seed(2 * p, 1, 2), ones: seed(p, 0, 1),
    x: scatter(vals, row(0)), y: scatter(vals, row(15)), w: scatter(vals, Int32Array.from({ length: p }, (_, i) => 30 * p + i)),
  };
}

/**
 * The Jacobian's CSR values from the compiled reverse code: the pullbacks
 * of the residuals for ones on every e_x row and ones on every e_y row, in
 * one fused pass of two lanes (each observation's adjoint right after it,
 * see the README's fused pass), added straight into their CSR places; and
 * the pullback of ones for the weight errors. `vals` is zeroed first (the
 * pullbacks add into it).
 *
 * @example
 * ```ts
 * const vals = new Float64Array(31 * b.p);
 * baValues(b, vals, baWork(b.p, vals)); // vals[30i + k]: d e_x(i) / d input k of observation i
 * ```
 */
export function baValues(b: BaInput, vals: Float64Array, work: BaWork): Float64Array {
  const { reproj, werr } = baCompiled();
  const { v, feats, weights } = b.flat;
  vals.fill(0);
  reproj.pullbacks([v, feats, b.p], [work.seedX, work.seedY], [work.x, work.y]);
  werr.pullback([weights, b.p], work.ones, work.w);
  return vals;
}

/** The Jacobian in the eval's CSR output form, from `baValues`. @example `ba.jacobian.run(ba.jacobian.prepare(input))` */
function baJacobian(b: BaInput & { jac: CsrBuffers; work: BaWork }): object {
  baValues(b, b.jac.vals, b.work);
  return csrOutput(b.jac);
}

/** The Jacobian by `jacrev` per observation (one recording, two sweeps) and `derivative` for 1 - w². */
function jacobianTape(b: BaInput & { jac: CsrBuffers }): object {
  const { vals } = b.jac;
  for (let i = 0; i < b.p; i++) {
    const feat = b.feats[i]!;
    const block = jacrev((v: Value[]) => reprojection(v, feat))(inputsOf(b, i)) as number[][];
    vals.set(block[0]!, 30 * i);
    vals.set(block[1]!, 30 * i + 15);
  }
  for (let i = 0; i < b.p; i++) vals[30 * b.p + i] = scalar(derivative(weightError)(b.weights[i]!) as Value);
  return csrOutput(b.jac);
}

/** The ba module. @example `ba.jacobian.run(parseBa(input))` */
export const ba: Module = {
  objective: evalFunction(parseBa, objective),
  jacobian: evalFunction((input) => {
    baCompiled();
    const b = prepareJacobian(input);
    return { ...b, work: baWork(b.p, b.jac.vals) };
  }, baJacobian),
  jacobian_tape: evalFunction(prepareJacobian, jacobianTape),
};
