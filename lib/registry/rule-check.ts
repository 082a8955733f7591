/**
 * Checks what a user's rules return (defineOp). A rule that returns a
 * string, a Tensor partial for a scalar op, or a list of the wrong length
 * would otherwise give NaN gradients or strings flowing through the tape far
 * from the cause; built-in rules are proven by the property suite and are
 * not wrapped (no cost on their fast path).
 */
import { fail, describe, TypeMismatchError, ShapeError } from "../errors.ts";
import { Lifted, primal, type Value } from "./lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import type { ElementwiseSpec, StructuralSpec } from "./types.ts";

const FIX_VALUE = "value receives plain numbers and must return a number";
const FIX_PARTIAL = "return one partial per argument: a number, null, or a value built with the algebra A from the arguments";

function shapeOfPrimal(v: number | Tensor): number[] {
  return typeof v === "number" ? [] : v.shape;
}

/**
 * Throws unless `v` (what `value` returned) is a number.
 *
 * @example
 * ```ts
 * checkValueResult("myOp", 3); // ok
 * ```
 */
export function checkValueResult(name: string, v: unknown): void {
  // An object is a value of another algebra (the source compiler's symbols); a string, boolean or undefined is wrong.
  const wrongObject = v instanceof Tensor || v instanceof Lifted || Array.isArray(v);
  if (typeof v !== "number" && (typeof v !== "object" || v === null || wrongObject)) fail("defineOp", `value of '${name}' returned ${describe(v)}`, FIX_VALUE, TypeMismatchError);
}

/** A partial's shape must broadcast into the output's: an elementwise partial has at most the output's shape. */
function fitsOutput(p: number[], out: number[]): boolean {
  if (p.length > out.length) return false;
  for (let k = 1; k <= p.length; k++) {
    const a = p[p.length - k]!;
    if (a !== 1 && a !== out[out.length - k]) return false;
  }
  return true;
}

function checkEntry(name: string, i: number, p: unknown, outShape: number[] | null): void {
  if (p === null || typeof p === "number") return;
  // Objects other than Tensors and Duals/Vars are values of other algebras
  // (the source compiler's symbolic one): only plain non-numbers are wrong.
  if (typeof p !== "object") fail("defineOp", `partial ${i} of '${name}' is ${describe(p)}`, FIX_PARTIAL, TypeMismatchError);
  if (!(p instanceof Tensor) && !(p instanceof Lifted)) return;
  if (outShape === null) return;
  const ps = shapeOfPrimal(primal(p as Value));
  if (!fitsOutput(ps, outShape)) {
    fail("defineOp", `partial ${i} of '${name}' has shape [${ps.join(", ")}] but the output has shape [${outShape.join(", ")}]`,
      "an elementwise partial is a scalar or has the shape of the output (compute it from the arguments with A)", ShapeError);
  }
}

/**
 * Throws unless `parts` (what `partials` returned) has one acceptable entry
 * per argument. `out` is the op's output, or undefined when unknown (a
 * constant rule), in which case shapes are not compared.
 *
 * @example
 * ```ts
 * checkPartialsResult("myOp", 2, [1, null], 3); // ok
 * ```
 */
export function checkPartialsResult(name: string, arity: number, parts: unknown, out: Value | undefined): void {
  if (!Array.isArray(parts) || parts.length !== arity) {
    fail("defineOp", `partials of '${name}' returned ${Array.isArray(parts) ? `${parts.length} entries` : describe(parts)} for ${arity} argument${arity === 1 ? "" : "s"}`,
      "return one partial per argument (null for an argument that is not differentiated)", TypeMismatchError);
  }
  const outShape = out === undefined ? null : shapeOfPrimal(primal(out));
  for (let i = 0; i < parts.length; i++) checkEntry(name, i, parts[i], outShape);
}

/**
 * The spec with `value` and `partials` wrapped so that every result is
 * checked (a rule may misbehave only for some inputs, e.g. Tensors).
 * A constant rule (no parameters) stays constant so the registry can still
 * evaluate it once.
 *
 * @example
 * ```ts
 * elementwise(checkedRules(spec));
 * ```
 */
export function checkedRules<S extends ElementwiseSpec>(spec: S): S {
  const { name, arity, value, partials } = spec;
  const checked = (v: number) => (typeof v === "number" ? v : (checkValueResult(name, v), v));
  // Arity-specific wrappers keep the scalar fast path free of rest arguments.
  const checkedValue = arity === 1 ? (x: number) => checked(value(x))
    : arity === 2 ? (x: number, y: number) => checked(value(x, y))
    : (...xs: number[]) => checked(value(...xs));
  const checkedPartials: ElementwiseSpec["partials"] = partials.length === 0
    // A rest parameter keeps `length` 0, so the registry still treats the rule as constant.
    ? ((...r: unknown[]) => { const p = (partials as () => unknown)(); checkPartialsResult(name, arity, p, r[2] as Value | undefined); return p; }) as never
    : (A, args, out) => { const p = partials(A, args, out); checkPartialsResult(name, arity, p, out); return p; };
  return { ...spec, value: checkedValue as ElementwiseSpec["value"], partials: checkedPartials };
}

/**
 * The structural spec with `compute` and `vjp` wrapped so their results are
 * checked: compute must give a number or a Tensor, vjp one cotangent per operand.
 *
 * @example
 * ```ts
 * structural(checkedStructural(spec));
 * ```
 */
export function checkedStructural<S extends StructuralSpec<undefined>>(spec: S): S {
  const { name, compute, vjp } = spec;
  return {
    ...spec,
    compute: (args, params) => {
      const v = compute(args, params);
      if (typeof v !== "number" && !(v instanceof Tensor)) {
        fail("defineOp", `compute of '${name}' returned ${describe(v)}`, "compute receives numbers and Tensors and must return a number or a Tensor", TypeMismatchError);
      }
      return v;
    },
    vjp: (A, args, out, g, params, needed) => {
      const c = vjp(A, args, out, g, params, needed);
      if (!Array.isArray(c) || c.length !== args.length) {
        fail("defineOp", `vjp of '${name}' returned ${Array.isArray(c) ? `${c.length} entries` : describe(c)} for ${args.length} operand${args.length === 1 ? "" : "s"}`,
          "return one cotangent per operand (null for one that is not differentiated)", TypeMismatchError);
      }
      c.forEach((p, i) => checkEntry(name, i, p, null));
      return c;
    },
  };
}
