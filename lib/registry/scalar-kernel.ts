/**
 * Scalar kernels: for each elementwise op of arity 1 or 2, one function that
 * evaluates the value and the local partials at plain numbers and writes
 * them into a result array, with no allocation. Compiled per op by
 * lib/codegen.ts (which says why): V8 then inlines the rule and optimises
 * the array it returns away.
 */
import type { ElementwiseSpec, Algebra, PartialList, Kernel } from "./types.ts";
import { generated } from "../codegen.ts";


interface Deps {
  arity: number;
  value: ElementwiseSpec["value"];
  partials: ElementwiseSpec["partials"];
  Num: Algebra;
  constant: PartialList | null;
}

const TEMPLATE = `
  const args = [0, 0];
  return function kernel(x, y, res) {
    const out = arity === 1 ? value(x) : value(x, y);
    res[0] = out;
    if (constant !== null) { res[1] = constant[0]; res[2] = arity === 1 ? 0 : constant[1]; return true; }
    args[0] = x; args[1] = y;
    const p = partials(Num, args, out);
    const p0 = p[0] === null ? 0 : p[0];
    if (typeof p0 !== "number") return false;
    res[1] = p0;
    if (arity === 1) { res[2] = 0; return true; }
    const p1 = p[1] === null ? 0 : p[1];
    if (typeof p1 !== "number") return false;
    res[2] = p1;
    return true;
  };`;

/** TEMPLATE as an ordinary closure, statement for statement (used where code generation is off). */
function closureKernel({ arity, value, partials, Num, constant }: Deps): Kernel {
  const args = [0, 0];
  return function kernel(x, y, res) {
    const out = arity === 1 ? value(x) : value(x, y);
    res[0] = out;
    // Stored as they are, like the template does (a Float64Array turns null into 0).
    if (constant !== null) { res[1] = constant[0] as number; res[2] = arity === 1 ? 0 : constant[1] as number; return true; }
    args[0] = x; args[1] = y;
    const p = partials(Num, args, out);
    const p0 = p[0] === null ? 0 : p[0];
    if (typeof p0 !== "number") return false;
    res[1] = p0;
    if (arity === 1) { res[2] = 0; return true; }
    const p1 = p[1] === null ? 0 : p[1];
    if (typeof p1 !== "number") return false;
    res[2] = p1;
    return true;
  };
}

/**
 * The scalar kernel of an elementwise op of arity 1 or 2.
 *
 * @example
 * ```ts
 * const k = makeScalarKernel(mulSpec, Num, null);
 * const res = new Float64Array(3);
 * k(2, 3, res); // res = [6, 3, 2]
 * ```
 */
export function makeScalarKernel(spec: ElementwiseSpec, Num: Algebra, constant: PartialList | null): Kernel {
  const deps: Deps = { arity: spec.arity, value: spec.value, partials: spec.partials, Num, constant };
  // A fresh function per op, so each gets its own type feedback.
  return generated<Kernel>(TEMPLATE, { ...deps }, () => closureKernel(deps));
}
