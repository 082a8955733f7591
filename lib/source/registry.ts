/**
 * Everything the source compiler takes from the rest of the library, in one
 * place: the op table (to map operators and `Math.*` to ops and to read each
 * op's `value` and `partials`) and the error helper. The compiler depends on
 * nothing else; in particular not on Dual/Var, whose machinery it replaces
 * with generated code.
 */
import "../ops/index.ts";
import { findOp, allOps, isDetached, detachedOps, type Op, type ElementwiseSpec, type Algebra, type PartialList } from "../registry/op.ts";
import { DualtapeError, fail, describe, checkOptions, booleanOption } from "../errors.ts";
import type { Value } from "../registry/lifted.ts";

export { findOp, allOps, detachedOps, DualtapeError, fail, describe, checkOptions, booleanOption };
export type { Op, ElementwiseSpec, Algebra, PartialList, Value };

/**
 * The elementwise op registered under `name`, or undefined (structural ops
 * such as `sum` take tensors, which the compiled language has none of).
 *
 * @example
 * ```ts
 * elementwiseOp("sin")?.arity; // 1
 * ```
 */
export function elementwiseOp(name: string): (Op & { elementwise: ElementwiseSpec }) | undefined {
  const op = findOp(name);
  return op !== undefined && op.elementwise !== null ? (op as Op & { elementwise: ElementwiseSpec }) : undefined;
}

/**
 * Whether an op's partials may be infinite at finite operands (its registry
 * entry does not declare `finitePartials`): a zero adjoint or tangent times
 * them would be NaN, so the emitters test it for zero first.
 *
 * @example
 * ```ts
 * partialsMayOverflow(findOp("log")!); // true; for mul, false
 * ```
 */
export function partialsMayOverflow(op: Op): boolean {
  return op.elementwise?.finitePartials !== true;
}

/**
 * The registered op behind a function passed in `helpers` (every op's
 * public function carries its op), or undefined for a plain function.
 *
 * @example
 * ```ts
 * opOfFunction(sin)?.name; // "sin"
 * ```
 */
export function opOfFunction(fn: unknown): Op | undefined {
  if (typeof fn !== "function") return undefined;
  const op = (fn as { op?: Op }).op;
  // A detached op is a module's own defineOp op that the esbuild plugin compiles at build time.
  return op !== undefined && (findOp(op.name) === op || isDetached(op)) ? op : undefined;
}
