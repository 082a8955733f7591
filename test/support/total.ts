/**
 * A custom structural op registered through the public `defineOp`, for tests
 * that need a Tensor -> number function whose derivative rules come from a
 * user declaration rather than a built-in.
 */
import { defineOp, primal, Tensor } from "../../lib/index.ts";

/**
 * Sum of all elements, declared with compute/jvp/vjp: linear, so its jvp is
 * itself applied to the tangent and its vjp spreads g over the input's shape.
 *
 * @example
 * ```ts
 * total(tensor([1, 2, 3])); // 6
 * grad((x: Lifted) => total(mul(x, x)) as Lifted)(tensor([1, 2])); // Tensor [2, 4]
 * ```
 */
export const total = defineOp({
  name: "tSupportTotal", arity: 1,
  compute: ([x]) => (typeof x === "number" ? x : x!.data.reduce((s, v) => s + v, 0)),
  jvp: (A, _a, _o, [t]) => (t === null || t === 0 ? 0 : A.op("tSupportTotal")(t!)),
  vjp: (A, [x], _o, g) => {
    const p = primal(x!);
    return [typeof p === "number" ? g : A.mul(g, new Tensor(new Float64Array(p.size).fill(1), p.shape))];
  },
});
