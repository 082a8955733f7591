/**
 * Every registered op as a method on Tensor, Dual and Var (`x.mul(y).exp()`),
 * installed from the registry as ops are registered, never listed by hand.
 * The types are derived from the built-in op table.
 */
import type * as Builtins from "../ops/index.ts";
import type { Value } from "./lifted.ts";
import { G, onOpRegistered } from "./op.ts";

type Tail<T> = T extends [unknown, ...infer R] ? R : never;
type Fn = (...args: never[]) => unknown;
type MethodArgs<F> = F extends Fn ? Tail<Parameters<F>> : never;

/** Methods for every built-in op; `Self` is the receiver's kind. */
export type OpMethods<Self> = {
  [K in keyof typeof Builtins]: (...rest: MethodArgs<(typeof Builtins)[K]>) => Self;
};

/**
 * Installs every op (present and future) as a method on `proto`, skipping
 * names the class already defines.
 *
 * @example
 * ```ts
 * installOpMethods(Tensor.prototype);
 * ```
 */
export function installOpMethods(proto: object): void {
  const own = proto as Record<string, unknown>;
  onOpRegistered((name) => {
    if (name in own) return;
    Object.defineProperty(proto, name, {
      value: function (this: Value, ...rest: Value[]) {
        return G[name]!(this, ...rest);
      },
      writable: true,
      configurable: true,
    });
  });
}
