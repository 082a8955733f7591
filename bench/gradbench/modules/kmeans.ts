/**
 * kmeans: f(P, C) = Σ_i min_j ‖C_j - P_i‖², differentiated in the centroids
 * C (a k×d Tensor), written with tensor ops: squared distances by
 * broadcasting, `min` over the centroids, `sum` over the points. Points are
 * taken in blocks so the n×k×d intermediate stays around a million entries.
 *
 * `dir` needs J = ∂f/∂C and the diagonal of the Hessian. Each point's
 * nearest centroid is locally constant, so near C the cost is
 * Σ_j Σ_{i∈S_j} ‖C_j - P_i‖², a sum of separate quadratics, one per centroid
 * coordinate: the Hessian is diagonal (2|S_j| on centroid j's coordinates)
 * and one Hessian-vector product with v = ones (forward over reverse,
 * `hvp`) returns exactly that diagonal without forming the kd × kd Hessian.
 * (`min` splits the gradient between exactly tied distances where the eval
 * gives ties to the lowest j; ties have probability zero with these inputs.)
 */
import { add, sub, square, sum, min, reshape, slice, grad, hvp, tensor, ones, type Value, type Tensor } from "../../../lib/index.ts";
import { asObject, asMatrix, InputError } from "../input.ts";
import { evalFunction, type Module } from "../runs.ts";
import { scalar, rows } from "../output.ts";

/** Parsed kmeans input. */
export interface KmeansInput {
  points: number[][];
  /** The points as an n×d Tensor. */
  pointTensor: Tensor;
  /** Centroids flattened row-major. */
  centroids: number[];
  k: number;
  d: number;
}

const BLOCK_ENTRIES = 1 << 20;

/**
 * The cost for k centroids `c` (a k×d Tensor, plain or traced).
 *
 * @example
 * ```ts
 * kmeansCost(tensor([[0, 0], [2, 0]]), tensor([[1, 0]]), 1); // 2
 * ```
 */
export function kmeansCost(points: Tensor, c: Value, k: number): Value {
  const [n, d] = points.shape as [number, number];
  const centroids = reshape(c, [1, k, d]);
  const block = Math.max(1, Math.floor(BLOCK_ENTRIES / (k * d)));
  let total: Value = 0;
  for (let start = 0; start < n; start += block) {
    const count = Math.min(block, n - start);
    const p = reshape(slice(points, start, start + count), [count, 1, d]);
    total = add(total, sum(min(sum(square(sub(centroids, p)), 2), 1)));
  }
  return total;
}

/**
 * Checks a kmeans input.
 *
 * @example
 * ```ts
 * parseKmeans({ points: [[0, 0]], centroids: [[1, 1]] }).k; // 1
 * ```
 */
export function parseKmeans(input: unknown): KmeansInput {
  const o = asObject(input, "input");
  const points = asMatrix(o.points, "input.points");
  const d = points[0]?.length ?? 0;
  if (d === 0) throw new InputError("input.points must hold at least one point of dimension >= 1");
  const cs = asMatrix(o.centroids, "input.centroids", undefined, d);
  if (cs.length === 0) throw new InputError("input.centroids must hold at least one centroid");
  return { points, pointTensor: tensor(points), centroids: cs.flat(), k: cs.length, d };
}

function direction({ pointTensor, centroids, k, d }: KmeansInput): number[][] {
  const cost = (c: Value) => kmeansCost(pointTensor, c, k);
  const c = tensor(centroids, [k, d]);
  const j = grad(cost)(c) as Tensor;
  const h = hvp(cost)(c, ones([k, d])) as Tensor;
  return rows(j.data.map((g, i) => g / h.data[i]!), d);
}

/** The kmeans module. @example `kmeans.dir.run(parseKmeans(input))` */
export const kmeans: Module = {
  cost: evalFunction(parseKmeans, ({ pointTensor, centroids, k, d }) => scalar(kmeansCost(pointTensor, tensor(centroids, [k, d]), k))),
  dir: evalFunction(parseKmeans, direction),
};
