/**
 * kmeans: f(P, C) = Σ_i min_j ‖C_j - P_i‖², differentiated in the centroids
 * C. `dir` needs J = ∂f/∂C and the diagonal of the Hessian.
 *
 * J is the source compiler's reverse code for the plain loops
 * `kmeansSource` (`compile`, once per process; the same loops are the
 * plain-JS primal); `gradient` returns J alone, to compare against that
 * primal. The Hessian diagonal stays on the tensor route below: `compile`
 * gives first derivatives only (its forward and reverse code run on plain
 * numbers, so neither can be differentiated again), and a second
 * derivative needs forward over reverse. The tensor version (the module's
 * `cost`) writes f with tensor ops: squared distances by broadcasting,
 * `min` over the centroids, `sum` over the points, points taken in blocks
 * so the n×k×d intermediate stays around a million entries; `dir_tape`
 * takes J from it too (`grad`), for comparison.
 *
 * Each point's nearest centroid is locally constant, so near C the cost is
 * Σ_j Σ_{i∈S_j} ‖C_j - P_i‖², a sum of separate quadratics, one per centroid
 * coordinate: the Hessian is diagonal (2|S_j| on centroid j's coordinates)
 * and one Hessian-vector product with v = ones (forward over reverse,
 * `hvp`) returns exactly that diagonal without forming the kd × kd Hessian.
 * (The tensor `min` splits the gradient between exactly tied distances,
 * where the eval, like the comparison in `kmeansSource`, gives ties to the
 * lowest j; ties have probability zero with these inputs.)
 */
import { add, sub, square, sum, min, reshape, slice, grad, hvp, tensor, ones, compile, type Value, type Tensor } from "../../../lib/index.ts";
import { asObject, asMatrix, InputError } from "../input.ts";
import { evalFunction, type Module } from "../runs.ts";
import { scalar, rows } from "../output.ts";
import { kmeansSource } from "./kmeans-source.ts";

/** Parsed kmeans input. */
export interface KmeansInput {
  points: number[][];
  /** The points as an n×d Tensor. */
  pointTensor: Tensor;
  /** The points flattened row-major. */
  flatPoints: Float64Array;
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
  const pointTensor = tensor(points);
  return { points, pointTensor, flatPoints: pointTensor.data, centroids: cs.flat(), k: cs.length, d };
}

/** The Hessian diagonal: one Hessian-vector product with v = ones (see above). */
function hessianDiagonal({ pointTensor, centroids, k, d }: KmeansInput): Float64Array {
  return (hvp((c: Value) => kmeansCost(pointTensor, c, k))(tensor(centroids, [k, d]), ones([k, d])) as Tensor).data;
}

function directionTape(inp: KmeansInput): number[][] {
  const { pointTensor, centroids, k, d } = inp;
  const j = grad((c: Value) => kmeansCost(pointTensor, c, k))(tensor(centroids, [k, d])) as Tensor;
  const h = hessianDiagonal(inp);
  return rows(j.data.map((g, i) => g / h[i]!), d);
}

/** Compiled once, on first use (compiling reads the source; nothing depends on the input). */
let compiled: ReturnType<typeof compile> | null = null;
const kmeansCompiled = () => (compiled ??= compile(kmeansSource, { wrt: [0] }));

type CompiledState = KmeansInput & { g: ReturnType<typeof compile>; out: Float64Array };
const prepareCompiled = (input: unknown): CompiledState => {
  const p = parseKmeans(input);
  return { ...p, g: kmeansCompiled(), out: new Float64Array(p.centroids.length) };
};

/** J = ∂f/∂C, flat, by the compiled reverse code (into a buffer made once, in prepare, as a tool in any language reuses its output). */
function compiledJ({ centroids, flatPoints, points, k, d, g, out }: CompiledState): Float64Array {
  return g.valueAndGradInto(out, centroids, flatPoints, points.length, k, d).grad as Float64Array;
}

function direction(s: CompiledState): number[][] {
  const j = compiledJ(s);
  const h = hessianDiagonal(s);
  return rows(j.map((g, i) => g / h[i]!), s.d);
}

/** The kmeans module. @example `kmeans.dir.run(kmeans.dir.prepare(input))` */
export const kmeans: Module = {
  cost: evalFunction(parseKmeans, ({ pointTensor, centroids, k, d }) => scalar(kmeansCost(pointTensor, tensor(centroids, [k, d]), k))),
  dir: evalFunction(prepareCompiled, direction),
  dir_tape: evalFunction(parseKmeans, directionTape),
  gradient: evalFunction(prepareCompiled, (s) => rows(compiledJ(s), s.d)),
};
