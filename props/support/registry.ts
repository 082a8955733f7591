/**
 * The registry as the properties see it: every elementwise op, read from
 * `allOps()` at the time a property file loads, so an op registered later
 * in the library is covered without touching the properties.
 */
import "../../lib/index.ts";
import { allOps, G, type Domain, type ElementwiseSpec, type Op } from "../../lib/registry/op.ts";
import type { Value } from "../../lib/index.ts";

/** The range the registry promises when an op declares none. */
const DEFAULT_DOMAIN: Domain = { lo: -2, hi: 2 };

/** An elementwise op with its per-argument domains filled in. */
export interface ElementwiseOp {
  readonly name: string;
  readonly arity: number;
  readonly spec: ElementwiseSpec;
  readonly domains: readonly Domain[];
}

/**
 * Every registered elementwise op, in registration order.
 *
 * @example
 * ```ts
 * elementwiseOps().map((o) => o.name); // ["add", "sub", ...]
 * ```
 */
export function elementwiseOps(): ElementwiseOp[] {
  return allOps()
    .filter((op): op is Op & { elementwise: ElementwiseSpec } => op.elementwise !== null)
    .map((op) => ({
      name: op.name,
      arity: op.arity,
      spec: op.elementwise,
      domains: Array.from({ length: op.arity }, (_, i) => op.elementwise.domain?.[i] ?? DEFAULT_DOMAIN),
    }));
}

/**
 * Whether an argument slot is differentiated: integer domains mark discrete
 * arguments (a condition), which the properties hold constant.
 *
 * @example
 * ```ts
 * isContinuous({ lo: 0, hi: 1, integer: true }); // false
 * ```
 */
export function isContinuous(d: Domain): boolean {
  return d.integer !== true;
}

/**
 * Applies a registered op by name through its public dispatching function.
 *
 * @example
 * ```ts
 * callOp("mul", [2, 3]); // 6
 * ```
 */
export function callOp(name: string, args: readonly Value[]): Value {
  return G.op(name)(...args);
}

/**
 * Whether the op is smooth enough at `args` for finite differences (true when it declares no predicate).
 *
 * @example
 * ```ts
 * isSmoothAt(relu, [0]); // false
 * ```
 */
export function isSmoothAt(op: ElementwiseOp, args: readonly number[]): boolean {
  return op.spec.smooth === undefined || op.spec.smooth(...args);
}
