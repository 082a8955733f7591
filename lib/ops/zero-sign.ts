/**
 * Rules whose derivative at 0 is one-sided (sqrt, log: the function lives
 * on a >= 0) divide by the argument or the result. IEEE keeps the sign of a
 * zero through that division, so at -0 (which compares equal to 0 and is
 * in no way outside the domain) they returned -Infinity where docs/ops.md
 * promises +Infinity. Reading -0 as +0 in those rules gives one answer.
 */
import type { Algebra } from "../registry/op.ts";
import { primal, type Value } from "../registry/lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { isMaskBuilder } from "./mask.ts";

const isNegZero = (x: number): boolean => x === 0 && 1 / x < 0;

/**
 * `v` with every -0 read as +0 (adding 0 does exactly that in IEEE); `v`
 * itself when it holds no -0, so ordinary arguments cost one comparison.
 *
 * @example
 * ```ts
 * unsignedZero(Num, -0); // 0
 * unsignedZero(G, tensor([-0, 2])); // Tensor [0, 2]
 * ```
 */
export function unsignedZero(A: Algebra, v: Value): Value {
  if (typeof v === "number") return v + 0;
  const p = primal(v);
  // A symbolic value (source compiler) may be -0 at run time: add the 0 there.
  if (isMaskBuilder(p)) return A.add(v, 0);
  const has = typeof p === "number" ? isNegZero(p) : p.data.some(isNegZero);
  if (!has) return v;
  if (v instanceof Tensor) return new Tensor(v.data.map((x) => x + 0), v.shape);
  return A.add(v, 0);
}
