/**
 * Every registered op as a method on Tensor, Dual and Var (`x.mul(y).exp()`),
 * installed from the registry as ops are registered, never listed by hand.
 * Their types are declared where the op table is (lib/ops/methods.ts), so
 * the registry needs nothing from above it.
 */
import type { Value } from "./lifted.ts";
import { onOpRegistered } from "./op.ts";
import { Tensor } from "../tensor/tensor.ts";

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
  onOpRegistered((name, fn) => {
    if (name in own) return;
    Object.defineProperty(proto, name, {
      value: function (this: Value, ...rest: Value[]) {
        return fn(this, ...rest);
      },
      writable: true,
      configurable: true,
    });
  });
}

installOpMethods(Tensor.prototype);
