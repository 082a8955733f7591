/**
 * Reading an ht input: the hand model (bones, rest pose, skinning weights,
 * triangles), the correspondences and points, and the barycentric us of the
 * complicated variant. Only shapes and index ranges are checked here; the
 * values are used as given.
 */
import { asObject, asInt, asVector, asMatrix, asIndices, InputError } from "../input.ts";

/** The hand model. */
export interface HtModel {
  bones: number;
  parents: number[];
  baseRelatives: number[][][];
  inverseBaseAbsolutes: number[][][];
  /** Rest-pose vertices (x, y, z, 1). */
  positions: number[][];
  /** weights[v][b]. */
  weights: number[][];
  triangles: number[][];
  mirrored: boolean;
}

/** A parsed ht input. */
export interface HtInput {
  theta: number[];
  model: HtModel;
  correspondences: number[];
  points: number[][];
  /** Empty in the simple variant. */
  us: number[][];
  /** The arguments of `htSource` after theta, d0, d1 (flat arrays; see `htArgs`). */
  flat: unknown[];
}

function matrices4(v: unknown, what: string, count: number): number[][][] {
  if (!Array.isArray(v) || v.length !== count) throw new InputError(`${what} must be a list of ${count} 4x4 matrices`);
  return v.map((m, b) => asMatrix(m, `${what}[${b}]`, 4, 4));
}

function parseParents(v: unknown, bones: number): number[] {
  const parents = asVector(v, "input.data.model.parents", bones);
  parents.forEach((p, b) => {
    if (!Number.isInteger(p) || p < -1 || p >= b) {
      throw new InputError(`input.data.model.parents[${b}] must be -1 or the index of an earlier bone, got ${p}`);
    }
  });
  return parents;
}

/**
 * Checks and reads a hand model.
 *
 * @example
 * ```ts
 * parseModel(input.data.model).bones; // 22
 * ```
 */
export function parseModel(v: unknown): HtModel {
  const o = asObject(v, "input.data.model");
  const bones = asInt(o.bone_count, "input.data.model.bone_count", 1);
  const positions = asMatrix(o.base_positions, "input.data.model.base_positions", undefined, 4);
  const vertices = positions.length;
  const triangles = asMatrix(o.triangles, "input.data.model.triangles", undefined, 3);
  triangles.forEach((t, i) => asIndices(t, `input.data.model.triangles[${i}]`, vertices, 3));
  if (typeof o.is_mirrored !== "boolean") throw new InputError("input.data.model.is_mirrored must be true or false");
  return {
    bones,
    parents: parseParents(o.parents, bones),
    baseRelatives: matrices4(o.base_relatives, "input.data.model.base_relatives", bones),
    inverseBaseAbsolutes: matrices4(o.inverse_base_absolutes, "input.data.model.inverse_base_absolutes", bones),
    positions,
    weights: asMatrix(o.weights, "input.data.model.weights", vertices, bones),
    triangles,
    mirrored: o.is_mirrored,
  };
}

/**
 * Checks and reads an ht input (simple when `us` is empty).
 *
 * @example
 * ```ts
 * parseHt(input).us.length === 0; // simple variant
 * ```
 */
export function parseHt(input: unknown): HtInput {
  const o = asObject(input, "input");
  const data = asObject(o.data, "input.data");
  const model = parseModel(data.model);
  if (model.bones < 22) throw new InputError(`the hand model needs at least 22 bones (theta drives bones up to 20), got ${model.bones}`);
  const points = asMatrix(data.points, "input.data.points", undefined, 3);
  const us = o.us === undefined ? [] : asMatrix(o.us, "input.us", undefined, 2);
  if (us.length !== 0 && us.length !== points.length) throw new InputError(`input.us must be empty or hold one pair per point (${points.length}), got ${us.length}`);
  const bound = us.length === 0 ? model.positions.length : model.triangles.length;
  const correspondences = asIndices(data.correspondences, "input.data.correspondences", bound, points.length);
  return { theta: asVector(o.theta, "input.theta", 26), model, correspondences, points, us, flat: flatArgs(model, correspondences, points, us) };
}

const flat = (rows: number[][] | number[][][]): Float64Array => Float64Array.from(rows.flat(2) as number[]);

function flatArgs(model: HtModel, correspondences: number[], points: number[][], us: number[][]): unknown[] {
  return [
    model.bones, Float64Array.from(model.parents), flat(model.baseRelatives), flat(model.inverseBaseAbsolutes),
    flat(model.positions), flat(model.weights), model.positions.length, model.mirrored ? 1 : 0,
    flat(model.triangles), Float64Array.from(correspondences), flat(points), flat(us), points.length, us.length === 0 ? 0 : 1,
  ];
}

/**
 * The full argument list of `htSource` for theta and barycentric shifts (d0, d1).
 *
 * @example
 * ```ts
 * htSource(...(htArgs(parseHt(input), 0, 0) as Parameters<typeof htSource>));
 * ```
 */
export function htArgs(inp: HtInput, d0: number, d1: number): unknown[] {
  return [inp.theta, d0, d1, ...inp.flat];
}
