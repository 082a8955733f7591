/**
 * Scalar kernels: for each elementwise op of arity 1 or 2, one function that
 * evaluates the value and the local partials at plain numbers and writes
 * them into a result array, with no allocation.
 *
 * Why generated: a single shared helper calls every op's `value` and
 * `partials` from one call site, which V8 sees as megamorphic, so it can
 * neither inline the rule nor remove the array the rule returns. A kernel
 * compiled per op (from one fixed template in this file, with the op's own
 * functions passed in as constants, never from user strings) gives each
 * call site a single target: V8 inlines the rule and the result array is
 * optimised away. Where code generation is disallowed (a strict Content
 * Security Policy), the same logic runs as an ordinary closure.
 */
import type { ElementwiseSpec, Algebra, PartialList } from "./op.ts";

/** Writes [value, partial0, partial1] into `res`; false when a partial is not a plain number. */
export type Kernel = (x: number, y: number, res: Float64Array) => boolean;

type Deps = [arity: number, value: ElementwiseSpec["value"], partials: ElementwiseSpec["partials"], Num: Algebra, constant: PartialList | null];

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

function closureKernel(...[arity, value, partials, Num, constant]: Deps): Kernel {
  const args = [0, 0];
  return (x, y, res) => {
    const out = arity === 1 ? value(x) : value(x, y);
    res[0] = out;
    args[0] = x;
    args[1] = y;
    const p = constant ?? partials(Num, args, out);
    const p0 = p[0] ?? 0;
    const p1 = arity === 1 ? 0 : (p[1] ?? 0);
    if (typeof p0 !== "number" || typeof p1 !== "number") return false;
    res[1] = p0;
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
  const deps: Deps = [spec.arity, spec.value, spec.partials, Num, constant];
  try {
    // A fresh function per op, so each gets its own type feedback.
    return new Function("arity", "value", "partials", "Num", "constant", TEMPLATE)(...deps) as Kernel;
  } catch {
    return closureKernel(...deps);
  }
}
