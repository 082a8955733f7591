/**
 * Linear ops declared once (JAX's deflinear idea): an op that is linear in
 * its operand has the op itself as its tangent map, so a declaration gives
 * the op on an algebra (`map`) and its transpose, and both rules follow:
 * jvp(t) = map(t), vjp(g) = transpose(g). Both are written with the
 * algebra's ops, so they are differentiable again (Hessians through them work).
 */
import { structural, type Algebra, type OpFunction, type StructuralRunner, type BatchRule } from "../registry/op.ts";
import type { Value } from "../registry/lifted.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { valueShape, tangentOf, cotangentOf, fitKind } from "./tensor-rules.ts";

/** A linear op of one operand, with `params` fixed by its public function (a shape, an axis). */
export interface LinearSpec<P> {
  name: string;
  /** Conventions for the op reference. */
  notes: string;
  /** The value on a plain operand. */
  compute: (x: number | Tensor, params: P) => number | Tensor;
  /** The op on algebra `A`: applied to a tangent it is the op's tangent map. */
  map: (A: Algebra, x: Value, params: P) => Value;
  /** The transpose of `map`: the operand's cotangent from the output's `g` (`x` is the operand, for its shape). */
  transpose: (A: Algebra, g: Value, x: Value, params: P) => Value;
  /** The op on a batch of examples (see `StructuralSpec.batch`). */
  batch?: BatchRule<P>;
}

/**
 * Declares a linear op from its map and transpose; `expose` maps the user's
 * call to `run([x], params)` as for `structural`.
 *
 * @example
 * ```ts
 * const reshape = linear<number[], (x: Value, shape: number[]) => Value>({
 *   name: "reshape", notes: "linear", compute: (x, shape) => ...,
 *   map: (A, x, shape) => A.reshape(x, shape),
 *   transpose: (A, g, x) => A.reshape(g, valueShape("reshape", x)),
 * }, (run) => (x, shape) => run([x], shape));
 * ```
 */
export function linear<P, F extends (...args: never[]) => unknown>(spec: LinearSpec<P>, expose: (run: StructuralRunner<P>) => F): OpFunction<F> {
  const { name, map, transpose } = spec;
  return structural<P, F>({
    // A linear op's rules read only the operand's shape, never its contents:
    // writing into the operand in place after recording is safe.
    name, arity: 1, notes: spec.notes, reads: [], batch: spec.batch,
    compute: ([x], params) => spec.compute(x, params),
    jvp: (A, [x], _out, [t], params) => {
      const tt = tangentOf(A, name, t, x);
      return tt === null ? 0 : map(A, tt, params);
    },
    vjp: (A, [x], out, g, params) => [fitKind(A, transpose(A, cotangentOf(A, name, g, out), x, params), x)],
  }, expose);
}

/** One op of a transpose pair: its params are the shape it maps to. */
export interface PairSpec<F> {
  name: string;
  notes: string;
  compute: (x: number | Tensor, shape: number[]) => number | Tensor;
  map: (A: Algebra, x: Value, shape: readonly number[]) => Value;
  /** The op on a batch of examples (see `StructuralSpec.batch`). */
  batch?: BatchRule<number[]>;
  expose: (run: StructuralRunner<number[]>) => F;
}

/**
 * Declares two linear ops that map between shapes as each other's
 * transpose: the cotangent through one is the other's map back to the
 * operand's shape (broadcastTo and sumToShape).
 *
 * @example
 * ```ts
 * const [grow, shrink] = linearPair(
 *   { name: "grow", notes, compute, map: (A, x, s) => A.broadcastTo(x, s), expose },
 *   { name: "shrink", notes, compute, map: (A, x, s) => A.sumToShape(x, s), expose },
 * );
 * ```
 */
export function linearPair<F1 extends (...args: never[]) => unknown, F2 extends (...args: never[]) => unknown>(
  first: PairSpec<F1>, second: PairSpec<F2>,
): [OpFunction<F1>, OpFunction<F2>] {
  const declare = <F extends (...args: never[]) => unknown>(own: PairSpec<F>, other: PairSpec<unknown>) => linear<number[], F>({
    name: own.name, notes: own.notes, compute: own.compute, map: own.map, batch: own.batch,
    transpose: (A, g, x) => other.map(A, g, valueShape(own.name, x)),
  }, own.expose);
  return [declare(first, second), declare(second, first)];
}
