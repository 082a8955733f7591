/**
 * Multivariate polynomials with exact (integer) coefficients: the symbolic
 * side of the nesting properties, where d/dx x^p = p x^(p-1) is the whole
 * of calculus needed, so expected answers are derived by hand rules, never
 * by an AD transform.
 */

/** A term: coefficient times x_i^exps[i]. */
export interface Monomial {
  coef: number;
  exps: number[];
}

/**
 * A polynomial in `vars` variables: exponent vector (joined by ",") -> coefficient.
 *
 * @example
 * ```ts
 * Poly.of({ coef: 3, exps: [2, 1] }, 2).diff(0).at(0, 2).at(1, 1).constant(); // d/dx0 3 x0² x1 at (2, 1) = 12
 * ```
 */
export class Poly {
  private constructor(
    readonly vars: number,
    private readonly terms: Map<string, number>,
  ) {}

  /** The polynomial of one monomial, padded to `vars` variables. @example `Poly.of({ coef: 2, exps: [1] }, 2)` */
  static of(m: Monomial, vars: number): Poly {
    const exps = Array.from({ length: vars }, (_, i) => m.exps[i] ?? 0);
    return new Poly(vars, new Map(m.coef === 0 ? [] : [[exps.join(","), m.coef]]));
  }

  private static from(vars: number, entries: Iterable<[number[], number]>): Poly {
    const terms = new Map<string, number>();
    for (const [exps, c] of entries) {
      const key = exps.join(",");
      const sum = (terms.get(key) ?? 0) + c;
      if (sum === 0) terms.delete(key);
      else terms.set(key, sum);
    }
    return new Poly(vars, terms);
  }

  private entries(): [number[], number][] {
    return [...this.terms].map(([k, c]) => [k === "" ? [] : k.split(",").map(Number), c]);
  }

  /** this + q. @example `p.plus(q)` */
  plus(q: Poly): Poly {
    return Poly.from(this.vars, [...this.entries(), ...q.entries()]);
  }

  /** this * q. @example `p.times(q)` */
  times(q: Poly): Poly {
    const out: [number[], number][] = [];
    for (const [a, ca] of this.entries()) for (const [b, cb] of q.entries()) out.push([a.map((e, i) => e + b[i]!), ca * cb]);
    return Poly.from(this.vars, out);
  }

  /** d/dx_i by the power rule. @example `Poly.of({ coef: 1, exps: [3] }, 1).diff(0) // 3 x^2` */
  diff(i: number): Poly {
    return Poly.from(
      this.vars,
      this.entries().flatMap(([e, c]) => (e[i]! === 0 ? [] : [[e.map((p, k) => (k === i ? p - 1 : p)), c * e[i]!] as [number[], number]])),
    );
  }

  /** Substitutes x_i = v (x_i disappears from every term). @example `p.at(0, 2)` */
  at(i: number, v: number): Poly {
    return Poly.from(this.vars, this.entries().map(([e, c]) => [e.map((p, k) => (k === i ? 0 : p)), c * v ** e[i]!]));
  }

  /** The value once every variable has been substituted. @example `p.at(0, 1).constant()` */
  constant(): number {
    let sum = 0;
    for (const [e, c] of this.entries()) {
      if (e.some((p) => p !== 0)) throw new Error(`polynomial still has variables: ${e.join(",")}`);
      sum += c;
    }
    return sum;
  }
}
