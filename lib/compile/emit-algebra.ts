/**
 * A code-emitting algebra: the registry's own `partials` rules, evaluated on
 * symbols instead of numbers, write the expression of each partial as
 * JavaScript source. Each op call becomes a call of that op's `value`
 * function (passed to the generated code as a named dependency), and each
 * number a rule uses becomes a named constant, so no value is spliced into
 * the text and there is no second table of derivative formulas.
 *
 * A rule that selects by its arguments' values does so through the rule
 * helpers' masks (lib/ops/mask.ts), which hand a symbolic operand the
 * predicate itself (`maskBy`): the mask becomes a call of the predicate in
 * the generated loop. A rule that inspects values any other way throws or
 * returns something that is not an expression, and `emitPartials` returns
 * null; the caller then calls the op's scalar kernel in the loop instead.
 * A rule could also read a value without failing (a comparison on a symbol
 * is simply false): every emitted partial is therefore checked against the
 * rule evaluated on numbers at a few sample points, and refused if they
 * disagree.
 */
import { allOps, Num, type Op, type Algebra, type OpFn } from "../registry/op.ts";
import { generated } from "../codegen.ts";
import type { Value } from "../registry/lifted.ts";

/**
 * A symbolic value: the source text of an expression.
 *
 * @example
 * ```ts
 * new Sym("v3", deps).code; // "v3"
 * ```
 */
export class Sym {
  constructor(readonly code: string, private readonly deps: Deps) {}

  /** A mask over symbolic operands: a call of the predicate (the rule helpers' protocol for symbolic values). */
  maskBy(pred: (...xs: number[]) => number, args: readonly unknown[]): Sym {
    return new Sym(`${this.deps.name(pred, "m")}(${args.map((a) => operand(this.deps, a)).join(", ")})`, this.deps);
  }
}

/**
 * The dependencies generated code needs: op value functions and constants, by name.
 *
 * @example
 * ```ts
 * const deps = new Deps();
 * deps.name(Math.exp, "f"); // "f0" (the same name on every later request for Math.exp)
 * ```
 */
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
      return new Sym(`${deps.name(ew.value, "f")}(${args.map((a) => operand(deps, a)).join(", ")})`, deps);
    // Called with symbols by the rules; the table slot is typed for Values.
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
    // Emitted on placeholders x0, x1, ... and y (checked as they are), then the caller's expressions substituted.
    const parts = ew.partials(A, args.map((_, k) => new Sym(`x${k}`, deps)) as unknown as Value[], new Sym("y", deps) as unknown as Value);
    const code = args.map((_, k) => {
      const p = parts[k];
      if (p === null || p === undefined) return null;
      return operand(deps, p);
    });
    if (!agreesWithRule(op, code, deps)) return null;
    return code.map((c) => (c === null ? null : c.replace(/\b(?:x(\d+)|y)\b/g, (_, k: string | undefined) => (k === undefined ? out : args[Number(k)]))));
  } catch {
    return null;
  }
}

const SAMPLES = [-1.3, 0.7, 2.1];

/** Whether the emitted partials equal the rule on numbers at sample points (both NaN counts as equal). */
function agreesWithRule(op: Op, code: (string | null)[], deps: Deps): boolean {
  const ew = op.elementwise;
  if (ew === null) return false;
  const n = code.length;
  const names = Object.keys(deps.map);
  const params = [...Array(n).keys()].map((k) => `x${k}`);
  // The check runs the emitted text on numbers: symbols become parameters x0, x1, ... and y.
  const body = `return function check(${[...params, "y"].join(", ")}) { return [${code.map((c) => (c === null ? "null" : c)).join(", ")}]; };`;
  const check = generated<((...xs: number[]) => (number | null)[]) | null>(body, Object.fromEntries(names.map((k) => [k, deps.map[k]])), () => null);
  if (check === null) return false;
  for (let s = 0; s < SAMPLES.length * n; s++) {
    const xs = params.map((_, k) => SAMPLES[(s + k * (s + 1)) % SAMPLES.length]);
    const y = ew.value(...xs);
    const want = ew.partials(Num, xs, y);
    const got = check(...xs, y);
    for (let k = 0; k < n; k++) {
      const w = want[k], g = got[k];
      if ((w === null || w === undefined) !== (g === null)) return false;
      if (typeof w !== "number" || g === null) continue;
      if (!(w === g || (w !== w && g !== g) || Math.abs(w - g) <= 1e-12 * Math.max(1, Math.abs(w)))) return false;
    }
  }
  return true;
}
