/**
 * Bilinear ops declared once (JAX's defbilinear idea): for a product
 * P(a, b) that is linear in each operand, the tangent is
 * P(da, b) + P(a, db), and the cotangents are the transposes of
 * a -> P(a, b) and b -> P(a, b) applied to the output's cotangent. A
 * declaration gives the product and those two transposes; both rules follow.
 * Everything is written with the algebra's ops, so it is differentiable again.
 */
import { structural, type Algebra, type OpFunction, type StructuralRunner, type BatchRule } from "../registry/op.ts";
import type { Value } from "../registry/lifted.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { tangentOf, cotangentOf, fitKind } from "./tensor-rules.ts";

/** A bilinear op of two operands, with `params` fixed by its public function. */
export interface BilinearSpec<P> {
  name: string;
  /** Conventions for the op reference. */
  notes: string;
  /** The value on plain operands. */
  compute: (a: number | Tensor, b: number | Tensor, params: P) => number | Tensor;
  /** The product on algebra `A` (the op itself). */
  product: (A: Algebra, a: Value, b: Value, params: P) => Value;
  /** a's cotangent: the transpose of a -> P(a, b), applied to the output's cotangent `g`. */
  left: (A: Algebra, g: Value, a: Value, b: Value, params: P) => Value;
  /** b's cotangent: the transpose of b -> P(a, b), applied to `g`. */
  right: (A: Algebra, g: Value, a: Value, b: Value, params: P) => Value;
  /** The product on a batch of examples (see `StructuralSpec.batch`). */
  batch?: BatchRule<P>;
}

/**
 * Declares a bilinear op from its product and the product's two
 * transposes; `expose` maps the user's call to `run([a, b], params)` as for
 * `structural`. A constant operand's cotangent is never computed.
 *
 * @example
 * ```ts
 * const dot = bilinear<undefined, (a: Value, b: Value) => Value>({
 *   name: "dot", notes: "bilinear", compute: (a, b) => ...,
 *   product: (A, a, b) => A.dot(a, b),
 *   left: (A, g, _a, b) => A.mul(g, b),
 *   right: (A, g, a) => A.mul(g, a),
 * }, (run) => (a, b) => run([a, b], undefined));
 * ```
 */
export function bilinear<P, F extends (...args: never[]) => unknown>(spec: BilinearSpec<P>, expose: (run: StructuralRunner<P>) => F): OpFunction<F> {
  const { name, product, left, right } = spec;
  return structural<P, F>({
    name, arity: 2, notes: spec.notes, batch: spec.batch,
    compute: ([a, b], params) => spec.compute(a, b, params),
    jvp: (A, [a, b], _out, [ta, tb], params) => {
      const da = tangentOf(A, name, ta, a);
      const db = tangentOf(A, name, tb, b);
      const viaA = da === null ? null : product(A, da, b, params);
      const viaB = db === null ? null : product(A, a, db, params);
      return viaA === null ? viaB ?? 0 : viaB === null ? viaA : A.add(viaA, viaB);
    },
    vjp: (A, [a, b], out, g, params, needed) => {
      const gc = cotangentOf(A, name, g, out);
      return [
        needed?.[0] === false ? null : fitKind(A, left(A, gc, a, b, params), a),
        needed?.[1] === false ? null : fitKind(A, right(A, gc, a, b, params), b),
      ];
    },
  }, expose);
}
