/**
 * The built-in op table: every section of the registry. Importing this
 * module registers all of them (registration is the declaration itself).
 */
export * from "./arithmetic.ts";
export * from "./exponential.ts";
export * from "./trig.ts";
export * from "./piecewise.ts";
export * from "./reduce.ts";
export * from "./linalg.ts";
export * from "./shape.ts";
