/**
 * The code-emitting algebra: one function per registered elementwise op,
 * by name, that builds a symbolic expression instead of computing. Handing
 * it to an op's own `partials` rule yields the derivative as code, so the
 * compiler has no derivative formulas of its own. It folds what is known at
 * compile time (numbers, multiplications by 0 and 1, additions of 0) so the
 * generated code carries no dead arithmetic.
 */
import { allOps, findOp, type Algebra, type Op, type PartialList, type Value } from "./registry.ts";
import { Sym, type Arg } from "./sym.ts";

const isNum = (a: Arg, v: number): boolean => a === v;

/**
 * Algebraic identities that hold for every finite operand (a zero partial
 * drops its term). x + 0 is kept: it turns -0 into +0, which rules rely on
 * (zero-sign.ts).
 */
function simplify(op: Op, args: readonly Arg[]): Arg | null {
  const [a, b] = args;
  switch (op.name) {
    case "sub":
      if (isNum(b!, 0)) return a!;
      if (isNum(a!, 0)) return apply(findOp("neg")!, [b!]);
      return null;
    case "mul":
      if (isNum(a!, 0) || isNum(b!, 0)) return 0;
      if (isNum(a!, 1)) return b!;
      if (isNum(b!, 1)) return a!;
      if (isNum(a!, -1)) return apply(findOp("neg")!, [b!]);
      if (isNum(b!, -1)) return apply(findOp("neg")!, [a!]);
      return null;
    case "div":
      return isNum(b!, 1) ? a! : isNum(a!, 0) ? 0 : null;
    case "neg":
      return a instanceof Sym && a.kind === "op" && a.op!.name === "neg" ? a.args[0] : null;
    case "pow":
      // x ** 1 is x and x ** 0 is 1 for every x, NaN included.
      return isNum(b!, 1) ? a! : isNum(b!, 0) ? 1 : null;
    case "where":
      return typeof a === "number" ? (a ? b! : args[2]) : null;
    default:
      return null;
  }
}

/**
 * `op` applied to symbolic operands, folded when possible.
 *
 * @example
 * ```ts
 * apply(findOp("mul")!, [1, ref("x")]); // ref("x")
 * ```
 */
export function apply(op: Op, args: readonly Arg[]): Arg {
  if (args.every((x) => typeof x === "number")) return op.elementwise!.value(...(args as number[]));
  return simplify(op, args) ?? new Sym("op", "", args, op);
}

/**
 * The algebra rules see: every elementwise op registered so far (built per
 * compile, so ops added with defineOp are included).
 *
 * @example
 * ```ts
 * const A = emittingAlgebra();
 * findOp("sin")!.elementwise!.partials(A, [ref("x")], ref("y")); // [cos(x)] as a symbol
 * ```
 */
export function emittingAlgebra(): Algebra {
  const A: Record<string, (...xs: Arg[]) => Arg> = Object.create(null);
  for (const op of allOps()) if (op.elementwise !== null) A[op.name] = (...xs: Arg[]) => apply(op, xs);
  // Filled by name from the registry, as the Algebra type lists it; its operands are symbols, not Values.
  return A as unknown as Algebra;
}

/**
 * The local partials of `op` at symbolic operands and output, from the
 * op's registry rule (null for an argument the rule does not differentiate).
 *
 * @example
 * ```ts
 * partialsOf(A, findOp("mul")!, [ref("a"), ref("b")], ref("y")); // [b, a]
 * ```
 */
export function partialsOf(A: Algebra, op: Op, args: readonly Arg[], out: Arg): readonly (Arg | null)[] {
  // Rules run on symbols here: they only pass operands on to the algebra, which takes symbols.
  const ps: PartialList = op.constantPartials ?? op.elementwise!.partials(A, args as unknown as Value[], out as unknown as Value);
  return ps as unknown as readonly (Arg | null)[];
}
