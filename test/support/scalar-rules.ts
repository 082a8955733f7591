/**
 * The generic checks every elementwise scalar op gets, driven by a table of
 * hand-derived formulas per lib/ops file: its value against Math (or known
 * constants), its derivative by forward and reverse mode against the hand
 * formula, its second derivative (the rules are differentiable) against a
 * central difference of that formula, its tangent on a Tensor, and that the
 * table covers exactly the elementwise ops the file declares.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { derivative, grad, hessian, jacrev, jvp, Tensor, type Lifted, type Op, type Value } from "../../lib/index.ts";
import { close } from "./close.ts";
import { central } from "./differences.ts";

export type U = (x: Lifted) => Lifted;
export type B = (a: Value, b: Value) => Lifted;
export type T3 = (a: Value, b: Value, c: Value) => Lifted;

/** A unary op, its value on numbers (NaN: not compared), its hand derivative and the points to check. */
export interface UnaryCase {
  fn: unknown;
  value: (x: number) => number;
  d1: (x: number) => number;
  at: number[];
}

/** A binary op, its value on numbers, its hand partials and the points to check. */
export interface BinaryCase {
  fn: unknown;
  value: (a: number, b: number) => number;
  d: (a: number, b: number) => [number, number];
  at: [number, number][];
}

const H = 1e-5;
export const fwd = (f: U, x: number) => derivative(f)(x) as number;
export const rev = (f: U, x: number) => grad(f)(x);
export const gradAt = (f: B, a: number, b: number) => grad((p: Lifted[]) => f(p[0]!, p[1]!))([a, b]);
export const grad3 = (f: T3, a: number, b: number, c: number) => grad((p: Lifted[]) => f(p[0]!, p[1]!, p[2]!))([a, b, c]);

/** The names of the elementwise ops a lib/ops module declares (its exported op functions). */
function declaredElementwise(module: Record<string, unknown>): string[] {
  return Object.values(module)
    .map((v) => (v as { op?: Op } | null)?.op)
    .filter((op): op is Op => op !== undefined && op.elementwise !== null)
    .map((op) => op.name);
}

/**
 * Registers the generic tests for one lib/ops file's elementwise ops; `others`
 * names ops of the file tested by hand instead (ternary ones).
 *
 * @example
 * ```ts
 * scalarRuleTests("trig", trig, { sin: { fn: sin, value: Math.sin, d1: Math.cos, at: [0] } }, {});
 * ```
 */
export function scalarRuleTests(file: string, module: Record<string, unknown>, unary: Record<string, UnaryCase>, binary: Record<string, BinaryCase>, others: string[] = []): void {
  test(`lib/ops/${file}.ts: the tables below cover exactly the elementwise ops the file declares`, () => {
    const covered = [...Object.keys(unary), ...Object.keys(binary), ...others].sort();
    assert.equal(covered, declaredElementwise(module).sort());
  });

  if (Object.keys(unary).length > 0) unaryRuleTests(file, unary);
  if (Object.keys(binary).length > 0) binaryRuleTests(file, binary);
}

function unaryRuleTests(file: string, unary: Record<string, UnaryCase>): void {
  test(`${file}: unary op(x) equals its Math counterpart on numbers`, () => {
    for (const [name, c] of Object.entries(unary)) {
      const f = c.fn as (x: number) => number;
      for (const x of c.at) if (!Number.isNaN(c.value(x))) close(f(x), c.value(x), 1e-15, `${name}(${x})`);
    }
  });

  test(`${file}: unary op'(x) equals the hand-derived derivative by derivative() and by grad()`, () => {
    for (const [name, c] of Object.entries(unary)) {
      for (const x of c.at) {
        close(fwd(c.fn as U, x), c.d1(x), 1e-12, `forward ${name}'(${x})`);
        close(rev(c.fn as U, x), c.d1(x), 1e-12, `reverse ${name}'(${x})`);
      }
    }
  });

  test(`${file}: unary op''(x) by forward over forward and reverse over reverse equals the central difference of the hand formula`, () => {
    for (const [name, c] of Object.entries(unary)) {
      const f = c.fn as U;
      for (const x of c.at) {
        const want = central(c.d1, x, H);
        const ff = derivative((u: Lifted) => derivative(f)(u) as Lifted)(x) as number;
        const rr = grad((u: Lifted) => grad(f)(u as never) as unknown as Lifted)(x);
        close(ff, want, 1e-6, `forward-forward ${name}''(${x})`);
        close(rr, want, 1e-6, `reverse-reverse ${name}''(${x})`);
      }
    }
  });

  test(`${file}: unary ops on a Tensor apply elementwise with tangent d1(x) v`, () => {
    for (const [name, c] of Object.entries(unary)) {
      const xs = c.at;
      const v = xs.map((_, i) => i + 1);
      const r = jvp(c.fn as U, new Tensor(Float64Array.from(xs), [xs.length]), new Tensor(Float64Array.from(v), [xs.length]));
      const t = (r.tangent as Tensor).data;
      xs.forEach((x, i) => close(t[i]!, c.d1(x) * v[i]!, 1e-12, `${name} tensor tangent at ${x}`));
    }
  });
}

function binaryRuleTests(file: string, binary: Record<string, BinaryCase>): void {
  test(`${file}: binary op(a, b) equals its Math counterpart on numbers`, () => {
    for (const [name, c] of Object.entries(binary)) {
      const f = c.fn as (a: number, b: number) => number;
      for (const [a, b] of c.at) close(f(a, b), c.value(a, b), 1e-15, `${name}(${a}, ${b})`);
    }
  });

  test(`${file}: binary op partials equal the hand-derived ones by derivative() in each argument and by grad()`, () => {
    for (const [name, c] of Object.entries(binary)) {
      const f = c.fn as B;
      for (const [a, b] of c.at) {
        const [da, db] = c.d(a, b);
        close(fwd((t) => f(t, b), a), da, 1e-12, `forward d${name}/da at ${a}, ${b}`);
        close(fwd((t) => f(a, t), b), db, 1e-12, `forward d${name}/db at ${a}, ${b}`);
        const [ra, rb] = gradAt(f, a, b);
        close(ra!, da, 1e-12, `reverse d${name}/da at ${a}, ${b}`);
        close(rb!, db, 1e-12, `reverse d${name}/db at ${a}, ${b}`);
      }
    }
  });

  test(`${file}: binary op Hessians by forward over reverse and reverse over reverse equal central differences of the hand partials`, () => {
    for (const [name, c] of Object.entries(binary)) {
      const f = c.fn as B;
      for (const [a, b] of c.at) {
        const want = [
          [central((s) => c.d(s, b)[0], a, H), central((s) => c.d(a, s)[0], b, H)],
          [central((s) => c.d(s, b)[1], a, H), central((s) => c.d(a, s)[1], b, H)],
        ];
        const fr = hessian((p: Lifted[]) => f(p[0]!, p[1]!))([a, b]) as number[][];
        const rr = jacrev((p: Lifted[]) => grad((q: Lifted[]) => f(q[0]!, q[1]!))(p) as unknown as Lifted[])([a, b]) as number[][];
        for (let i = 0; i < 2; i++) {
          for (let j = 0; j < 2; j++) {
            close(fr[i]![j]!, want[i]![j]!, 1e-6, `forward-reverse ${name} H[${i}][${j}] at ${a}, ${b}`);
            close(rr[i]![j]!, want[i]![j]!, 1e-6, `reverse-reverse ${name} H[${i}][${j}] at ${a}, ${b}`);
          }
        }
      }
    }
  });
}
