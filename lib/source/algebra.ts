/**
 * The code-emitting algebra: one function per registered elementwise op,
 * by name, that builds a symbolic expression instead of computing. Handing
 * it to an op's own `partials` rule yields the derivative as code, so the
 * compiler has no derivative formulas of its own. It folds what is known at
 * compile time (numbers, multiplications by 0 and 1, additions of 0) so the
 * generated code carries no dead arithmetic.
 */
import { allOps, findOp, type Algebra, type Op, type PartialList, type Value } from "./registry.ts";
import { Renderer, Sym, type Arg } from "./sym.ts";

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

type Partial = Arg | null | undefined;

/**
 * The partials with each operation that occurs more than once among them
 * computed once: `name` turns it into a name (the caller emits a line for
 * it) and every partial reads that name. div's rule is [1/b, -y · (1/b)]:
 * the code then divides once. Operations are matched by their code, so a
 * rule need not pass the same object twice. Null entries (operands the
 * caller does not differentiate) are left out of the count.
 *
 * @example
 * ```ts
 * shareRepeated([recip(b), neg(mul(y, recip(b)))], name); // [$t1, -(y * $t1)], $t1 = 1 / b
 * ```
 */
export function shareRepeated(ps: readonly Partial[], name: (a: Arg) => Arg): Partial[] {
  const R = new Renderer();
  const keyOf = (a: Sym) => R.render(a);
  const count = new Map<string, number>();
  // A repeated operation's own operands are counted at its first sight only: naming it covers them.
  const visit = (a: Arg): void => {
    if (typeof a === "number" || a.kind !== "op") return;
    const k = keyOf(a);
    const n = (count.get(k) ?? 0) + 1;
    count.set(k, n);
    if (n === 1) a.args.forEach(visit);
  };
  ps.forEach((p) => p != null && visit(p));
  if ([...count.values()].every((n) => n < 2)) return [...ps];
  const named = new Map<string, Arg>();
  const rewrite = (a: Arg): Arg => {
    if (typeof a === "number" || a.kind !== "op") return a;
    const k = keyOf(a);
    const known = named.get(k);
    if (known !== undefined) return known;
    const args = a.args.map(rewrite);
    const b = args.every((x, i) => x === a.args[i]) ? a : apply(a.op!, args);
    if (count.get(k)! < 2) return b;
    const n = name(b);
    named.set(k, n);
    return n;
  };
  return ps.map((p) => (p == null ? p : rewrite(p)));
}
