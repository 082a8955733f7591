/**
 * `defineOp`: users add a primitive to the same registry the built-ins use,
 * so it works in forward and reverse mode, on Tensors, and nested.
 */
import { elementwise, detachedElementwise, structural, apply, type ElementwiseSpec, type StructuralSpec, type OpFn, type Op } from "./op.ts";
import { fail, describe, checkOptions, TypeMismatchError } from "../errors.ts";
import { checkedRules, checkedStructural } from "./rule-check.ts";

const ELEMENTWISE_KEYS = ["name", "arity", "value", "partials", "nondiff", "domain", "smooth", "notes"];
const STRUCTURAL_KEYS = ["name", "arity", "compute", "jvp", "vjp", "notes"];
import type { Value } from "./lifted.ts";

/**
 * An elementwise custom op: value plus partials (`null` partial = argument not differentiated).
 *
 * @example
 * ```ts
 * const scale = defineOp({
 *   name: "scale", arity: 2,
 *   value: (x, k) => k * x,
 *   partials: (_A, [x, k]) => [k!, x!],
 *   nondiff: [1],                          // k is a constant
 * });
 * grad((x: Lifted) => scale(x, 3))(1); // 3
 * ```
 */
export interface CustomElementwise extends ElementwiseSpec {
  /** Indices of arguments that are not differentiated (their partial is ignored). */
  nondiff?: readonly number[];
}

/**
 * A non-elementwise custom op: value plus a linear tangent map and its transpose.
 *
 * @example
 * ```ts
 * const double: CustomStructural = {
 *   name: "double", arity: 1,
 *   compute: ([x]) => mul(2, x!),
 *   jvp: (A, _args, _out, [t]) => A.mul(2, t!),
 *   vjp: (A, _args, _out, g) => [A.mul(2, g)],
 * };
 * defineOp(double)(tensor([1, 2])); // Tensor [2, 4]
 * ```
 */
export type CustomStructural = StructuralSpec<undefined>;

function isStructural(spec: CustomElementwise | CustomStructural): spec is CustomStructural {
  return typeof (spec as CustomStructural).vjp === "function" || typeof (spec as CustomStructural).jvp === "function";
}

/**
 * Registers a new op and returns the function that applies it. Partials are
 * written with the algebra `A` they are handed, so they are differentiable
 * themselves (higher orders work); a partial may be a plain number.
 *
 * @example
 * ```ts
 * const affine = defineOp({
 *   name: "affine", arity: 3,                       // w * x + b
 *   value: (w, x, b) => w * x + b,
 *   partials: (A, [w, x]) => [x, w, 1],
 *   nondiff: [1],                                   // x is data
 * });
 * grad((w) => affine(w, 3, 1))(2); // 3
 * ```
 */
export function defineOp(spec: CustomElementwise | CustomStructural): OpFn & { op: Op } {
  if (spec === null || typeof spec !== "object") {
    fail("defineOp", `the spec is ${describe(spec)}`, "pass { name, arity, value, partials } or { name, arity, compute, jvp, vjp }", TypeMismatchError);
  }
  if (isStructural(spec)) {
    if (typeof spec.compute !== "function" || typeof spec.jvp !== "function" || typeof spec.vjp !== "function") {
      fail("defineOp", `non-elementwise op '${spec.name}' needs compute, jvp and vjp`, "give all three functions", TypeMismatchError);
    }
    checkOptions("defineOp", spec, STRUCTURAL_KEYS);
    const op = structural(checkedStructural(spec));
    const fn = ((...args: Value[]) => {
      if (args.length !== spec.arity) {
        fail(spec.name, `expects ${spec.arity} argument${spec.arity === 1 ? "" : "s"}, got ${args.length}`, `call ${spec.name} with ${spec.arity}`, TypeMismatchError);
      }
      return apply(op, args, undefined);
    }) as OpFn & { op: Op };
    fn.op = op;
    return fn;
  }
  return elementwise(elementwiseRules(spec));
}

/**
 * What `defineOp` would register for an elementwise spec, without
 * registering it: the esbuild plugin compiles with this at build time a
 * module's own `defineOp` ops, which the module registers when it runs.
 *
 * @example
 * ```ts
 * const softsign = defineOpDetached({ name: "softsign", arity: 1, value: (x) => x / (1 + Math.abs(x)), partials: (A, [x]) => [A.div(1, A.square(A.add(1, A.abs(x!))))] });
 * compile((x: number) => softsign(x), { wrt: [0], helpers: { softsign } }).grad(1); // 0.25
 * ```
 */
export function defineOpDetached(spec: CustomElementwise): OpFn & { op: Op } {
  if (spec === null || typeof spec !== "object") {
    fail("defineOp", `the spec is ${describe(spec)}`, "pass { name, arity, value, partials }", TypeMismatchError);
  }
  return detachedElementwise(elementwiseRules(spec));
}

/** The checked rules of an elementwise spec (what `defineOp` registers). */
function elementwiseRules(spec: CustomElementwise): ElementwiseSpec {
  checkOptions("defineOp", spec, ELEMENTWISE_KEYS);
  if (typeof spec.value !== "function" || typeof spec.partials !== "function") {
    fail("defineOp", `'${String(spec.name)}' needs both value and partials functions (or compute, jvp and vjp for a non-elementwise op)`,
      "give value: (...xs: number[]) => number and partials: (A, args, out) => [one per argument]", TypeMismatchError);
  }
  const skip = new Set(spec.nondiff ?? []);
  const partials = spec.partials;
  const rules = skip.size === 0 ? spec : {
    ...spec,
    partials: (A: Parameters<typeof partials>[0], args: Value[], out: Value) => partials(A, args, out).map((p, i) => (skip.has(i) ? null : p)),
  };
  // Checked at declaration (registration evaluates the rule once) and at every use.
  return checkedRules(rules);
}
