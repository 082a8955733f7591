/**
 * Nested transforms as data. Level k (k = 1..d) differentiates, with
 * respect to its own variable x_k and at the point a_k, the body
 *
 *   factor_k(x_1..x_k) * inner(x_1..x_k) + offset_k(x_1..x_k),
 *
 * where `inner` is level k+1 (a transform call closing over x_1..x_k) and
 * the innermost inner is a monomial in x_1..x_d. factor and offset are
 * monomials that mention outer variables, so every inner transform sees
 * perturbations of all enclosing ones: exactly where tags are needed.
 * Integer coefficients and points keep every value exact (while below
 * 2^53, see `magnitude`), so the AD result must equal the polynomial answer
 * bit for bit.
 */
import fc from "fast-check";
import {
  add, mul, derivative, grad, valueAndGrad, jvp, vjp, jacfwd, jacrev, hessian, hvp, type Lifted, type Value,
} from "../../lib/index.ts";
import { Poly, type Monomial } from "./poly.ts";

/** How a level differentiates its body: each first order except the Hessian ones. */
export const KINDS = ["derivative", "grad", "grad[]", "valueAndGrad", "jvp", "vjp", "jacfwd", "jacrev", "hessian", "hvp"] as const;
export type Kind = (typeof KINDS)[number];

/** One level of a nesting. */
export interface Level {
  kind: Kind;
  at: number;
  factor: Monomial;
  offset: Monomial;
}

type Body = (x: Value) => Value;

function order(kind: Kind): number {
  return kind === "hessian" || kind === "hvp" ? 2 : 1;
}

/** Applies the level's transform to the body at a. */
function differentiate(kind: Kind, body: Body, a: number): Value {
  const f = body as (x: Lifted) => Value;
  switch (kind) {
    case "derivative": return derivative(f)(a) as Value;
    case "grad": return grad(f)(a) as Value;
    case "grad[]": return (grad((v: Lifted[]) => f(v[0]!))([a, 0]) as Value[])[0]!;
    case "valueAndGrad": return valueAndGrad(f)(a).grad as Value;
    case "jvp": return jvp(f, a, 1).tangent as Value;
    case "vjp": return vjp(f, a).pullback(1) as Value;
    case "jacfwd": return jacfwd(f)(a) as Value;
    case "jacrev": return jacrev(f)(a) as Value;
    case "hessian": return hessian(f)(a) as Value;
    case "hvp": return hvp(f)(a, 1) as Value;
  }
}

function power(x: Value, p: number): Value {
  let out: Value = 1;
  for (let i = 0; i < p; i++) out = mul(out, x);
  return out;
}

function evalMonomial(m: Monomial, xs: readonly Value[]): Value {
  return xs.reduce<Value>((acc, x, i) => mul(acc, power(x, m.exps[i] ?? 0)), m.coef);
}

function showMonomial(m: Monomial, upTo: number): string {
  const factors = m.exps.slice(0, upTo).flatMap((p, i) => (p === 0 ? [] : [p === 1 ? `x${i + 1}` : `x${i + 1}^${p}`]));
  if (m.coef === 0) return "0";
  if (factors.length === 0) return String(m.coef);
  return m.coef === 1 ? factors.join("*") : `${m.coef}*${factors.join("*")}`;
}

/**
 * A nesting of transforms with its hand-derived (polynomial) answer.
 *
 * @example
 * ```ts
 * const n = new Nesting([{ kind: "derivative", at: 1, factor: { coef: 1, exps: [1] }, offset: { coef: 0, exps: [0] } }], { coef: 1, exps: [2] });
 * n.run();      // d/dx1 (x1 * x1²) at 1 = 3
 * n.expected(); // 3
 * ```
 */
export class Nesting {
  constructor(
    readonly levels: readonly Level[],
    readonly innermost: Monomial,
  ) {}

  /** Runs the nested transforms; a plain number when nothing leaked. */
  run(): Value {
    const go = (k: number, xs: readonly Value[]): Value => {
      if (k === this.levels.length) return evalMonomial(this.innermost, xs);
      const level = this.levels[k]!;
      const body: Body = (xk) => {
        const inner = [...xs, xk];
        return add(mul(evalMonomial(level.factor, inner), go(k + 1, inner)), evalMonomial(level.offset, inner));
      };
      return differentiate(level.kind, body, level.at);
    };
    return go(0, []);
  }

  /** The answer by the power rule on polynomials. */
  expected(): number {
    return this.solve((m) => m, (a) => a);
  }

  /**
   * The same with every coefficient and point made non-negative: no term,
   * partial sum or intermediate product can exceed it, so below 2^53 every
   * value is an exactly represented integer.
   */
  magnitude(): number {
    return this.solve((m) => ({ coef: Math.abs(m.coef), exps: m.exps }), Math.abs);
  }

  private solve(term: (m: Monomial) => Monomial, point: (a: number) => number): number {
    const d = this.levels.length;
    let inner = Poly.of(term(this.innermost), d);
    for (let k = d - 1; k >= 0; k--) {
      const level = this.levels[k]!;
      let body = Poly.of(term(level.factor), d).times(inner).plus(Poly.of(term(level.offset), d));
      for (let r = 0; r < order(level.kind); r++) body = body.diff(k);
      inner = body.at(k, point(level.at));
    }
    return inner.constant();
  }

  toString(): string {
    const d = this.levels.length;
    let text = showMonomial(this.innermost, d);
    for (let k = d - 1; k >= 0; k--) {
      const l = this.levels[k]!;
      text = `${l.kind}(x${k + 1} => ${showMonomial(l.factor, k + 1)} * [${text}] + ${showMonomial(l.offset, k + 1)})(${l.at})`;
    }
    return text;
  }

  [fc.toStringMethod](): string {
    return this.toString();
  }
}
