/**
 * ht: hand tracking. A skinned hand model posed by 26 parameters; the
 * residuals compare observed points with model points (vertices in the
 * simple variant, barycentric points on triangles in the complicated one).
 *
 * The Jacobian is 3N × 26 (or 28) with N ≫ 26, so forward mode is the
 * natural choice: the source compiler's forward code for the plain-number
 * loops `htSource` (ht-source.ts, also the plain-JS primal; `compile`, once
 * per process), 4 directions per pass, compressed by the Jacobian's
 * sparsity (`sparse: true`): a finger's angles move only the points on
 * that finger, and each translation only its own coordinate, so the 26 or
 * 28 columns take 10-12 colors, 3 passes instead of 7, after one sparsity
 * pass that finds the pattern at the given pose. In the complicated
 * variant, residual i depends on us[i] only, so all us[i][0] share one
 * direction and all us[i][1] another (column compression): the model is
 * evaluated at us[i] + (δ0, δ1) and differentiated in δ at 0, which gives
 * exactly the eval's two per-row us columns. The same residuals written
 * with ops on traced values (`htResiduals`, `jacfwd`, 8 lanes per pass)
 * stay as `jacobian_tape`, for comparison.
 */
import { add, sub, mul, div, neg, sqrt, sin, cos, jacfwd, compile, type Value } from "../../../lib/index.ts";
import { evalFunction, type Module } from "../runs.ts";
import { numbers, scalar, matrix, type MatrixOutput } from "../output.ts";
import { parseHt, htArgs, type HtInput, type HtModel } from "./ht-input.ts";
import { htSource, htMul4 } from "./ht-source.ts";

type Mat = Value[][];

function product(a: Mat, b: Mat): Mat {
  return a.map((row) => b[0]!.map((_, j) => {
    let s: Value = mul(row[0]!, b[0]![j]!);
    for (let k = 1; k < b.length; k++) s = add(s, mul(row[k]!, b[k]![j]!));
    return s;
  }));
}

/** R = Rz(e1)·Ry(e2)·Rx(e0) as a 4×4 homogeneous matrix. */
function eulerTransform(e0: Value, e1: Value, e2: Value): Mat {
  const [cx, sx, cz, sz, cy, sy] = [cos(e0), sin(e0), cos(e1), sin(e1), cos(e2), sin(e2)];
  const rx: Mat = [[1, 0, 0], [0, cx, neg(sx)], [0, sx, cx]];
  const ry: Mat = [[cy, 0, sy], [0, 1, 0], [neg(sy), 0, cy]];
  const rz: Mat = [[cz, neg(sz), 0], [sz, cz, 0], [0, 0, 1]];
  const r = product(product(rz, ry), rx);
  return [[...r[0]!, 0], [...r[1]!, 0], [...r[2]!, 0], [0, 0, 0, 1]];
}

/** The Euler angles (e0, e1, e2) of every bone, taken from theta[6..25]. */
function boneAngles(theta: readonly Value[], bones: number): Value[][] {
  const angles: Value[][] = Array.from({ length: bones }, () => [0, 0, 0]);
  let next = 6;
  for (let finger = 0; finger < 5; finger++) {
    const bone = 2 + 4 * finger;
    angles[bone]![0] = theta[next++]!;
    angles[bone]![1] = theta[next++]!;
    angles[bone + 1]![0] = theta[next++]!;
    angles[bone + 2]![0] = theta[next++]!;
  }
  return angles;
}

/** transform_b = absolute_b · inverse_base_absolute_b for every bone. */
function boneTransforms(theta: readonly Value[], model: HtModel): Mat[] {
  const absolutes: Mat[] = [];
  return boneAngles(theta, model.bones).map(([e0, e1, e2], b) => {
    const relative = product(model.baseRelatives[b]!, eulerTransform(e0!, e1!, e2!));
    const parent = model.parents[b]!;
    const absolute = parent < 0 ? relative : product(absolutes[parent]!, relative);
    absolutes.push(absolute);
    return product(absolute, model.inverseBaseAbsolutes[b]!);
  });
}

/** The global rotation from the angle-axis vector a (identity when ‖a‖ < 1e-4). */
function globalRotation(a: readonly Value[]): Mat {
  const norm = sqrt(add(add(mul(a[0]!, a[0]!), mul(a[1]!, a[1]!)), mul(a[2]!, a[2]!)));
  if (scalar(norm) < 1e-4) return [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  const [x, y, z] = a.map((ai) => div(ai, norm)) as [Value, Value, Value];
  const s = sin(norm);
  const c = cos(norm);
  const oc = sub(1, c);
  const diag = (u: Value) => add(mul(u, u), mul(sub(1, mul(u, u)), c));
  return [
    [diag(x), sub(mul(mul(x, y), oc), mul(z, s)), add(mul(mul(x, z), oc), mul(y, s))],
    [add(mul(mul(x, y), oc), mul(z, s)), diag(y), sub(mul(mul(y, z), oc), mul(x, s))],
    [sub(mul(mul(x, z), oc), mul(y, s)), add(mul(mul(z, y), oc), mul(x, s)), diag(z)],
  ];
}

/** Linear blend skinning of one rest-pose vertex (bones with zero weight are skipped). */
function skinVertex(transforms: Mat[], position: readonly number[], weights: readonly number[]): Value[] {
  const out: Value[] = [0, 0, 0];
  for (let b = 0; b < weights.length; b++) {
    const w = weights[b]!;
    if (w === 0) continue;
    const t = transforms[b]!;
    for (let r = 0; r < 3; r++) {
      const tr = t[r]!;
      const moved = add(add(add(mul(tr[0]!, position[0]!), mul(tr[1]!, position[1]!)), mul(tr[2]!, position[2]!)), mul(tr[3]!, position[3]!));
      out[r] = add(out[r]!, mul(w, moved));
    }
  }
  return out;
}

/**
 * Every posed vertex position: skinning, optional mirroring, then the
 * global rotation and translation.
 *
 * @example
 * ```ts
 * posedVertices(input.theta, input.model).length; // V
 * ```
 */
export function posedVertices(theta: readonly Value[], model: HtModel): Value[][] {
  const transforms = boneTransforms(theta, model);
  const r = globalRotation(theta.slice(0, 3));
  return model.positions.map((p, v) => {
    const q = skinVertex(transforms, p, model.weights[v]!);
    if (model.mirrored) q[0] = neg(q[0]!);
    // The global scale column of the pose matrix is fixed at 1, so R's columns are used as they are.
    return r.map((row, i) => add(add(add(mul(row[0]!, q[0]!), mul(row[1]!, q[1]!)), mul(row[2]!, q[2]!)), theta[3 + i]!));
  });
}

/**
 * The 3N residuals points[i] - model_i for theta and barycentric shifts (δ0, δ1).
 *
 * @example
 * ```ts
 * htResiduals(input.theta, 0, 0, input).length; // 3N
 * ```
 */
export function htResiduals(theta: readonly Value[], d0: Value, d1: Value, inp: HtInput): Value[] {
  const pos = posedVertices(theta, inp.model);
  const err: Value[] = [];
  inp.points.forEach((pt, i) => {
    const c = inp.correspondences[i]!;
    let target: Value[];
    if (inp.us.length === 0) target = pos[c]!;
    else {
      const [a, b, e] = inp.model.triangles[c]!.map((v) => pos[v]!) as [Value[], Value[], Value[]];
      const u0 = add(inp.us[i]![0]!, d0);
      const u1 = add(inp.us[i]![1]!, d1);
      const u2 = sub(sub(1, u0), u1);
      target = [0, 1, 2].map((j) => add(add(mul(u0, a[j]!), mul(u1, b[j]!)), mul(u2, e[j]!)));
    }
    for (let j = 0; j < 3; j++) err.push(sub(pt[j]!, target[j]!));
  });
  return err;
}

/** Compiled once per variant, on first use: theta only (simple), or (d0, d1, theta) (complicated). */
const compiled: { simple?: ReturnType<typeof compile>; complicated?: ReturnType<typeof compile> } = {};
// Helpers are named by their function's own name, which a bundler that renames them keeps in step with the calls.
const helpers = { [htMul4.name]: htMul4 };
const htCompiled = (complicated: boolean) => complicated
  ? (compiled.complicated ??= compile(htSource, { wrt: [1, 2, 0], helpers }))
  : (compiled.simple ??= compile(htSource, { wrt: [0], helpers }));

/**
 * The Jacobian from the compiled forward code, compressed by its sparsity
 * pattern (found anew for each pose): rows of 26 columns, or 28
 * with the us columns first (wrt lists d0 and d1 before theta, and the
 * flat Jacobian's columns follow wrt), as one row-major buffer that becomes
 * rows when the response is written.
 *
 * @example
 * ```ts
 * htJacobian(parseHt(input)).toJSON().length; // 3N
 * ```
 */
export function htJacobian(inp: HtInput): MatrixOutput {
  const complicated = inp.us.length !== 0;
  const J = htCompiled(complicated).jacobian(htArgs(inp, 0, 0), { mode: "forward", flat: true, sparse: true }) as Float64Array;
  return matrix(J, complicated ? 28 : 26);
}

/** The Jacobian by `jacfwd` on the traced-ops residuals. */
function jacobianTape(inp: HtInput): number[][] {
  if (inp.us.length === 0) {
    return jacfwd((t: Value[]) => htResiduals(t, 0, 0, inp))(inp.theta) as number[][];
  }
  const f = (v: Value[]) => htResiduals(v.slice(2), v[0]!, v[1]!, inp);
  return jacfwd(f)([0, 0, ...inp.theta]) as number[][];
}

/** The ht module. @example `ht.jacobian.run(parseHt(input))` */
export const ht: Module = {
  objective: evalFunction(parseHt, (inp) => numbers(htResiduals(inp.theta, 0, 0, inp))),
  jacobian: evalFunction((input) => {
    const inp = parseHt(input);
    htCompiled(inp.us.length !== 0);
    return inp;
  }, htJacobian),
  jacobian_tape: evalFunction(parseHt, jacobianTape),
};
