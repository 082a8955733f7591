/**
 * Random programs as data: expression trees over the registry's
 * elementwise ops, with input variables and constants at the leaves. Every
 * continuous argument of an op is first fitted into the op's declared domain
 * by fit(a) = mid + half tanh((a - mid) / half), a smooth map onto (lo, hi)
 * that is close to the identity near the middle, so any tree is a valid
 * program. A program evaluates on plain numbers (the finite-difference
 * oracle) and on Duals/Vars (the AD modes) through the same code.
 */
import fc from "fast-check";
import { add, mul, div, sub, tanh, type Domain, type Value } from "../../lib/index.ts";
import { callOp, isContinuous, type ElementwiseOp } from "./registry.ts";
import { rounded } from "./rounding.ts";
import { pathScales, curvatureScales } from "./magnitude.ts";

/** A node of a program. */
export type Expr =
  | { kind: "var"; index: number }
  | { kind: "const"; value: number }
  | { kind: "op"; op: ElementwiseOp; args: Expr[] };

function fit(t: Value, d: Domain): Value {
  const mid = (d.lo + d.hi) / 2;
  const half = (d.hi - d.lo) / 2;
  return add(mid, mul(half, tanh(div(sub(t, mid), half))));
}

/**
 * Evaluates an expression at `xs` (numbers, Duals or Vars).
 *
 * @example
 * ```ts
 * evaluate({ kind: "var", index: 0 }, [3]); // 3
 * ```
 */
export function evaluate(e: Expr, xs: readonly Value[]): Value {
  if (e.kind === "var") return xs[e.index]!;
  if (e.kind === "const") return e.value;
  const args = e.args.map((a, j) => {
    const v = evaluate(a, xs);
    const d = e.op.domains[j]!;
    return isContinuous(d) ? fit(v, d) : v;
  });
  return callOp(e.op.name, args);
}

function show(e: Expr): string {
  if (e.kind === "var") return `x${e.index}`;
  if (e.kind === "const") return String(e.value);
  return `${e.op.name}(${e.args.map(show).join(", ")})`;
}

function count(e: Expr): number {
  return e.kind === "op" ? 1 + e.args.reduce((s, a) => s + count(a), 0) : 1;
}

/**
 * A program of `inputs` variables returning one scalar or an array of
 * scalars; it prints as readable source for failure reports.
 *
 * @example
 * ```ts
 * const p = new Program(1, [{ kind: "op", op: sinOp, args: [{ kind: "var", index: 0 }] }], false);
 * p.call([0.5]);   // sin(fit(0.5))
 * String(p);       // "(x0) => sin(x0)   [each op argument a is fitted ...]"
 * ```
 */
export class Program {
  constructor(
    readonly inputs: number,
    readonly outputs: readonly Expr[],
    readonly vector: boolean,
  ) {}

  /** Runs on numbers, Duals or Vars: a scalar, or an array when `vector`. */
  call(xs: readonly Value[]): Value | Value[] {
    const ys = this.outputs.map((e) => evaluate(e, xs));
    return this.vector ? ys : ys[0]!;
  }

  /**
   * Rounding-error bound of each output at xs (support/rounding.ts); null
   * where some op is not smooth or not finite there.
   */
  errorBounds(xs: readonly number[]): number[] | null {
    const out: number[] = [];
    for (const e of this.outputs) {
      const r = rounded(e, xs);
      if (r === null) return null;
      out.push(r.error);
    }
    return out;
  }

  /** paths[j][i]: the magnitude of the terms d output_j / d x_i sums (support/magnitude.ts). */
  pathScales(xs: readonly number[]): number[][] {
    return pathScales((v) => this.outputs.map((e) => evaluate(e, v)), xs);
  }

  /** curvature[i][k]: the magnitude of the terms d² output_0 / dx_i dx_k sums. */
  curvatureScales(xs: readonly number[]): number[][] {
    return curvatureScales((v) => [evaluate(this.outputs[0]!, v)], xs);
  }

  /** Number of nodes. */
  get size(): number {
    return this.outputs.reduce((s, e) => s + count(e), 0);
  }

  toString(): string {
    const params = Array.from({ length: this.inputs }, (_, i) => `x${i}`).join(", ");
    const body = this.vector ? `[${this.outputs.map(show).join(", ")}]` : show(this.outputs[0]!);
    return `(${params}) => ${body}   [each op argument a is fitted into the op's domain: mid + half*tanh((a - mid)/half)]`;
  }

  [fc.toStringMethod](): string {
    return this.toString();
  }
}
