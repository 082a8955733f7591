/**
 * A code-emitting algebra: the registry's own `partials` rules, evaluated on
 * symbols instead of numbers, write the expression of each partial as
 * JavaScript source. Each op call becomes a call of that op's `value`
 * function (passed to the generated code as a named dependency), and each
 * number a rule uses becomes a named constant, so no value is spliced into
 * the text and there is no second table of derivative formulas.
 *
 * A rule that inspects its arguments' values (a mask, a sign test) cannot
 * be evaluated on symbols: it throws or returns something that is not an
 * expression, and `emitPartials` returns null; the caller then calls the
 * op's scalar kernel in the loop instead.
 */
import { allOps, type Op, type Algebra, type OpFn } from "../registry/op.ts";
import type { Value } from "../registry/lifted.ts";

/** A symbolic value: the source text of an expression. */
export class Sym {
  constructor(readonly code: string) {}
}

/** The dependencies generated code needs: op value functions and constants, by name. */
export class Deps {
  readonly map: Record<string, unknown> = {};
  private count = 0;
  /** The name under which generated code reads `v` (the same name for the same function). */
  name(v: unknown, prefix: string): string {
    for (const k of Object.keys(this.map)) if (this.map[k] === v && k.startsWith(prefix)) return k;
    const k = `${prefix}${this.count++}`;
    this.map[k] = v;
    return k;
  }
}

function operand(deps: Deps, v: unknown): string {
  if (v instanceof Sym) return v.code;
  if (typeof v === "number") return deps.name(v, "k");
  throw new Error("not an expression");
}

/** The algebra that writes calls to each elementwise op's value function; structural ops throw. */
function emittingAlgebra(deps: Deps): Algebra {
  const table: Record<string, OpFn> = Object.create(null);
  for (const op of allOps()) {
    const ew = op.elementwise;
    table[op.name] = ((...args: unknown[]) => {
      if (ew === null) throw new Error("structural op in a partial");
      return new Sym(`${deps.name(ew.value, "f")}(${args.map((a) => operand(deps, a)).join(", ")})`);
    }) as unknown as OpFn;
  }
  Object.defineProperty(table, "op", {
    value: (name: string) => {
      const fn = table[name];
      if (fn === undefined) throw new Error("unknown op");
      return fn;
    },
  });
  // The table holds one function per registered op by name, which is what the Algebra type lists.
  return table as unknown as Algebra;
}

/**
 * The source of each partial of `op` at symbolic arguments `args` and
 * output `out` (null for an argument not differentiated), or null when the
 * rule cannot be evaluated symbolically.
 *
 * @example
 * ```ts
 * emitPartials(findOp("mul")!, ["a", "b"], "y", deps); // ["b", "a"]
 * ```
 */
export function emitPartials(op: Op, args: string[], out: string, deps: Deps): (string | null)[] | null {
  const ew = op.elementwise;
  if (ew === null) return null;
  try {
    const A = emittingAlgebra(deps);
    const parts = ew.partials(A, args.map((a) => new Sym(a)) as unknown as Value[], new Sym(out) as unknown as Value);
    return args.map((_, k) => {
      const p = parts[k];
      if (p === null || p === undefined) return null;
      return operand(deps, p);
    });
  } catch {
    return null;
  }
}
