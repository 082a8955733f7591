/**
 * `npm start`: a first look at dualtape. Four small problems of different
 * shapes; for each, the value, the mode `jacobian` picks and why, the time
 * of both modes, and the largest difference from finite differences.
 *
 * The functions are written once with dualtape ops (`add`, `mul`, `sin`, ...)
 * and work on plain numbers too, which is how the finite-difference check
 * evaluates them.
 *
 * Run: npm start   (or: npx tsx examples/demo.ts)
 */
import { performance } from "node:perf_hooks";
import {
  jacobian, explainJacobian, numericJacobian, measuredCosts,
  add, sub, mul, sin, cos, exp, tanh, type Value, type Output, type Jacobian, type JacobianChoice, type Traced,
} from "../lib/index.ts";

/** One demo problem: every call the demo makes on it, typed once by `problem`. */
interface Problem {
  title: string;
  formula: string;
  value: () => Output;
  explain: () => JacobianChoice;
  forward: () => Jacobian;
  reverse: () => Jacobian;
  auto: () => Jacobian;
  numeric: () => unknown;
}

/** Binds f (written with dualtape ops, so it also runs on plain numbers) to its point x. */
function problem<P extends number[] | number>(title: string, formula: string, f: (x: Traced<P>) => Output, x: P): Problem {
  const plain = f as unknown as (x: P) => Output;
  const at = x as never;
  return {
    title, formula,
    value: () => plain(x),
    explain: () => explainJacobian(f, at),
    forward: () => jacobian(f, { mode: "forward" })(at),
    reverse: () => jacobian(f, { mode: "reverse" })(at),
    auto: () => jacobian(f)(at),
    numeric: () => numericJacobian(plain as never, x),
  };
}

const point = (n: number): number[] => Array.from({ length: n }, (_, i) => Math.sin(0.7 * i + 0.3));

/** R -> R: a damped wave. */
const wave = (t: Value): Value => mul(sin(mul(3, t)), exp(mul(-0.5, mul(t, t))));

/** R^n -> R: a smooth loss with neighbour coupling. */
const loss = (x: Value[]): Value => {
  let s: Value = 0;
  for (let i = 0; i < x.length; i++) s = add(s, add(mul(sin(x[i]!), x[(i + 1) % x.length]!), exp(mul(-0.5, mul(x[i]!, x[i]!)))));
  return s;
};

/** R -> R^m: the trajectory of a scalar recurrence driven by the parameter t. */
const trajectory = (m: number) => (t: Value): Value[] => {
  const ys: Value[] = [];
  let y: Value = t;
  for (let k = 0; k < m; k++) ys.push((y = add(y, mul(0.01, sub(cos(y), mul(t, y))))));
  return ys;
};

/** R^n -> R^n: one step of a nonlinear diffusion. */
const diffusion = (x: Value[]): Value[] =>
  x.map((xi, i) => {
    const left = x[(i + x.length - 1) % x.length]!;
    const right = x[(i + 1) % x.length]!;
    return add(xi, mul(0.1, tanh(sub(add(left, right), mul(2, xi)))));
  });

const problems: Problem[] = [
  problem("R -> R", "f(t) = sin(3t) exp(-t^2/2)", wave, 0.4),
  problem("R^1000 -> R", "f(x) = sum_i sin(x_i) x_(i+1) + exp(-x_i^2/2)", loss, point(1000)),
  problem("R -> R^1000", "y_k = y_(k-1) + 0.01 (cos y_(k-1) - t y_(k-1)), y_0 = t", trajectory(1000), 0.3),
  problem("R^50 -> R^50", "y_i = x_i + 0.1 tanh(x_(i-1) - 2 x_i + x_(i+1))", diffusion, point(50)),
];

/** Best of a few timed calls (ms): a slow first call is kept as is, a fast one counts as warm-up. */
function time(fn: () => unknown): number {
  const first = performance.now();
  fn();
  let best = performance.now() - first;
  if (best > 100) return best;
  const start = performance.now();
  for (let k = 0; k < 5 && performance.now() - start < 150; k++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** All entries of a Jacobian in any of its layouts (number, number[], number[][]). */
const entries = (j: unknown): number[] => (Array.isArray(j) ? j.flat(2) : [j as number]);

function maxDifference(a: unknown, b: unknown): number {
  const x = entries(a);
  const y = entries(b);
  return x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i]!)), 0);
}

function shortValue(v: Output): string {
  const show = (u: Value) => (typeof u === "number" ? u.toPrecision(6) : String(u));
  if (!Array.isArray(v)) return show(v as Value);
  const head = v.slice(0, 3).map((u) => show(u as Value)).join(", ");
  return `[${head}${v.length > 3 ? `, ... (${v.length} values)` : ""}]`;
}

function run(p: Problem): void {
  const choice = p.explain();
  const tf = time(p.forward);
  const tr = time(p.reverse);
  const J = p.auto();
  const fd = p.numeric();
  console.log(`\n${p.title}   ${p.formula}`);
  console.log(`  value       ${shortValue(p.value())}`);
  console.log(`  auto picks  ${choice.mode}: ${choice.reason}`);
  console.log(`  forward     ${tf.toFixed(2).padStart(8)} ms${choice.mode === "forward" ? "   <- picked" : ""}`);
  console.log(`  reverse     ${tr.toFixed(2).padStart(8)} ms${choice.mode === "reverse" ? "   <- picked" : ""}`);
  console.log(`  check       max |J - finite differences| = ${maxDifference(J, fd).toExponential(1)}`);
}

console.log("dualtape: forward and reverse automatic differentiation over one op registry.");
console.log(`jacobian(f)(x) picks a mode per problem from a cost model (forward pass ~${measuredCosts.forwardPass}x f, recording ~${measuredCosts.record}x f, ${measuredCosts.chunk} lanes per forward pass).`);
for (const p of problems) run(p);
console.log("\nTimes are from this run on this machine (best of a few calls); npm run bench measures them carefully.");
