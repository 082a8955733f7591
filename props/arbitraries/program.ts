/**
 * Random programs (fc.letrec expression trees) over every registered
 * elementwise op. Leaves are input variables and constants; a node is any
 * op, its continuous arguments being subtrees and its discrete (integer
 * domain) arguments constants drawn from the domain.
 */
import fc from "fast-check";
import { elementwiseOps, isContinuous, type ElementwiseOp } from "../support/registry.ts";
import { Program, type Expr } from "../support/program.ts";

/** Options of `program`. */
export interface ProgramShape {
  /** Number of input variables x0..x(n-1). */
  inputs: number;
  /** Outputs: 'scalar' for one scalar, or an array of minOutputs..maxOutputs scalars. */
  outputs: "scalar" | { min: number; max: number };
  /** Deepest op nesting (default 4). */
  maxDepth?: number;
}

function leaf(inputs: number): fc.Arbitrary<Expr> {
  const variable = fc.nat({ max: inputs - 1 }).map((index): Expr => ({ kind: "var", index }));
  // Quarter steps in [-2, 2] keep printed constants short.
  const constant = fc.integer({ min: -8, max: 8 }).map((k): Expr => ({ kind: "const", value: k / 4 }));
  return fc.oneof({ arbitrary: variable, weight: 3 }, { arbitrary: constant, weight: 1 });
}

function node(op: ElementwiseOp, expr: fc.Arbitrary<Expr>): fc.Arbitrary<Expr> {
  const args = op.domains.map((d) =>
    isContinuous(d)
      ? expr
      : fc.integer({ min: Math.ceil(d.lo), max: Math.floor(d.hi) }).map((value): Expr => ({ kind: "const", value })),
  );
  return fc.tuple(...args).map((a): Expr => ({ kind: "op", op, args: a }));
}

/**
 * Expression trees over the registry with the given number of input variables.
 *
 * @example
 * ```ts
 * fc.sample(expression(2), 1); // [sin(mul(x0, x1))] as an Expr
 * ```
 */
export function expression(inputs: number, maxDepth = 4): fc.Arbitrary<Expr> {
  const ops = elementwiseOps();
  const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
    expr: fc.oneof(
      { maxDepth, depthSize: "small", withCrossShrink: true },
      { arbitrary: leaf(inputs), weight: Math.ceil(ops.length / 2) },
      ...ops.map((op) => ({ arbitrary: node(op, tie("expr") as fc.Arbitrary<Expr>), weight: 1 })),
    ),
  }));
  return expr;
}

/**
 * Programs R^inputs -> R (scalar) or R^inputs -> R^m.
 *
 * @example
 * ```ts
 * fc.sample(program({ inputs: 2, outputs: { min: 1, max: 3 } }), 1)[0].toString();
 * // "(x0, x1) => [sin(x0), mul(x0, x1)]   [...]"
 * ```
 */
export function program(shape: ProgramShape): fc.Arbitrary<Program> {
  const expr = expression(shape.inputs, shape.maxDepth ?? 4);
  if (shape.outputs === "scalar") return expr.map((e) => new Program(shape.inputs, [e], false));
  const { min, max } = shape.outputs;
  return fc.array(expr, { minLength: min, maxLength: max }).map((es) => new Program(shape.inputs, es, true));
}
