/**
 * The built-in op table: every section of the registry. Importing this
 * module registers all of them (registration is the declaration itself).
 *
 * It also types the rule algebra: the registry declares `OpTable` empty and
 * this module fills it from its own exports, so `A.cso(x)` in a rule is a
 * type error while the registry never imports the op table.
 */
import type * as Table from "./index.ts";
import type { RuleFn } from "../registry/types.ts";

export * from "./arithmetic.ts";
export * from "./exponential.ts";
export * from "./trig.ts";
export * from "./piecewise.ts";
export * from "./rounding.ts";
export * from "./bitwise.ts";
export * from "./reduce.ts";
export * from "./linalg.ts";
export * from "./shape.ts";

/** Every built-in op as a rule function, by name. */
export type BuiltinAlgebra = { readonly [K in keyof typeof Table]: RuleFn<(typeof Table)[K]> };

declare module "../registry/types.ts" {
  interface OpTable extends BuiltinAlgebra {}
}
