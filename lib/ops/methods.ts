/**
 * The types of the op methods on Tensor, Dual and Var (`x.mul(y).exp()`),
 * derived from the built-in op table so they are never listed by hand. The
 * registry installs the methods at run time (lib/registry/methods.ts); the
 * types live here, beside the table they are read from, and reach Tensor and
 * Lifted by module augmentation, so neither lower module imports the ops.
 */
import type * as Builtins from "./index.ts";
import type { AnyLifted } from "../registry/lifted.ts";

type Tail<T> = T extends [unknown, ...infer R] ? R : never;
type Fn = (...args: never[]) => unknown;
type MethodArgs<F> = F extends Fn ? Tail<Parameters<F>> : never;

/**
 * Methods for every built-in op; `Self` is the receiver's kind.
 *
 * @example
 * ```ts
 * type M = OpMethods<Tensor>["exp"]; // () => Tensor
 * ```
 */
export type OpMethods<Self> = {
  [K in keyof typeof Builtins]: (...rest: MethodArgs<(typeof Builtins)[K]>) => Self;
};

/** Ops whose result on a Tensor can be a number (a full reduction, a 1-D index, a vector product). */
type ScalarResultOps = "sum" | "mean" | "prod" | "max" | "min" | "logsumexp" | "norm" | "dot" | "index" | "matmul" | "reshape" | "broadcastTo";

declare module "../tensor/tensor.ts" {
  // Ops that can return a number on a Tensor say so; the rest return a Tensor.
  interface Tensor extends Omit<OpMethods<Tensor>, ScalarResultOps> {
    sum(axis?: number | null, keepdims?: boolean): number | Tensor;
    mean(axis?: number | null, keepdims?: boolean): number | Tensor;
    prod(axis?: number | null, keepdims?: boolean): number | Tensor;
    max(axis?: number | null, keepdims?: boolean): number | Tensor;
    min(axis?: number | null, keepdims?: boolean): number | Tensor;
    logsumexp(axis?: number | null, keepdims?: boolean): number | Tensor;
    norm(axis?: number | null, keepdims?: boolean): number | Tensor;
    dot(b: number | Tensor): number | Tensor;
    index(i: number): number | Tensor;
    matmul(b: number | Tensor): number | Tensor;
    reshape(shape: readonly number[]): number | Tensor;
    broadcastTo(shape: readonly number[]): number | Tensor;
  }
}

declare module "../registry/lifted.ts" {
  // Every Lifted has the ops as methods returning its own kind.
  interface Lifted<Self = AnyLifted> extends OpMethods<Self> {}
}
