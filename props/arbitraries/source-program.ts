/**
 * Random programs in the source compiler's language, drawn as a small
 * syntax tree that renders two ways: as JavaScript source text (what
 * `compile` reads) and as the same program run with dualtape ops on
 * Duals/Vars (an interpreter over the tree). The skeleton has a loop with a
 * data-dependent branch, a local of the trip (which the adjoint computes
 * again instead of saving), the cosine and sine of an angle (the angle
 * optionally changed between them; their derivatives take each other's
 * values), optional continue/break, a local array written and
 * overwritten, an optional pair made fresh in each trip (an array literal
 * and a zeroed array created in the loop), an optional recurrence written
 * into the argument x itself, a while (or do...while) loop with a
 * data-dependent trip count, an optional
 * early return, a call of a helper with a branch and an early return (passed
 * in helpers, or declared inside f), and
 * closing loops of random length: element stores, and a dot product with
 * a recurrent weight (a sum the adjoint replays), whose adjoints run several
 * trips at once, then an
 * element stored and read back (forwarded), an optional for...of over
 * the local array, and optionally a last loop of independent trips that
 * sums the result (or, as residual pairs, writes two elements of the
 * result per trip); the
 * expressions in it are random trees over registry ops whose values stay bounded.
 */
import fc from "fast-check";
import { add, sub, mul, div, sin, cos, tanh, exp, sqrt, abs, neg, maximum, minimum, hypot, primal, type Lifted, type Value } from "../../lib/index.ts";

export type Expr =
  | { k: "num"; v: number }
  | { k: "x"; at: number | "i" }
  | { k: "var"; name: "s" | "t" }
  | { k: "a" }
  | { k: "p"; name: "u" | "v" }
  | { k: "un"; op: "sin" | "cos" | "tanh" | "expT" | "sqrt1" | "abs" | "neg"; a: Expr }
  | { k: "bin"; op: "+" | "-" | "*" | "div2" | "max" | "min" | "hypot"; a: Expr; b: Expr };

/** A program: the expressions and options filling the fixed skeleton. */
export interface Program {
  n: number;
  s0: Expr; t0: Expr; ai: Expr; onTrue: Expr; onFalse: Expr; mix: Expr; grow: Expr; carry: Expr; hTrue: Expr; hFalse: Expr;
  cut: number; useContinue: boolean; useBreak: boolean; breakAt: number; earlyReturn: boolean; returnAt: number; cap: number;
  /** Overwrite the argument x with a recurrence (the derivative calls must leave the caller's x as it was). */
  writeX: boolean; wx: Expr;
  /** The closing loops run n - sumLess trips (every remainder of the adjoint's four-trip groups). */
  sumLess: number;
  /** The angle whose cosine and sine the loop takes; sine first or cosine first; the angle turned between them. */
  ang: Expr; sinFirst: boolean; turn: boolean;
  /** Whether the loop's sum uses the cosine (if not, only a derivative reads it). */
  useCos: boolean;
  /** The data-dependent loop written as do...while (its body runs once before the test). */
  doWhile: boolean;
  /** A pair made fresh in each trip of the first loop as an array literal, with a zeroed array beside it. */
  tripArray: boolean;
  /** A closing for...of over the local array a. */
  forOf: boolean;
  /** The helper g declared inside f (a function declaration, hoisted) instead of passed in helpers. */
  localHelper: boolean;
  /** The sum over c written with its indices stepped inside the expression (c[j++], x[++l - 1]). */
  stepped: boolean;
  /** The closing loop over a (with forOf) written as a.reduce, or as a.forEach. */
  closing: "for...of" | "reduce" | "forEach";
  /** The array c made as new Array(n).fill(0) instead of new Float64Array(n), and a's copy read through entries(). */
  idioms: boolean;
  /**
   * The result summed by a last loop whose trips are independent (a branch
   * on a private of the trip, a nested loop, reads of what came before),
   * which gradients run trip by trip (see fusable.ts), instead of returned
   * as one expression.
   */
  sumTail: boolean; tailE: Expr;
  /** The sum returned as it is, halved, or divided by n less one (a coefficient known before the loop). */
  tailForm: "plain" | "halved" | "divided";
}

const UN = ["sin", "cos", "tanh", "expT", "sqrt1", "abs", "neg"] as const;
const BIN = ["+", "-", "*", "div2", "max", "min", "hypot"] as const;
const constant = fc.double({ min: -2, max: 2, noNaN: true }).map((v) => Math.round(v * 100) / 100);

function expr(n: number, inLoop: boolean, withVars = true, inHelper = false): fc.Arbitrary<Expr> {
  const leaves: fc.Arbitrary<Expr>[] = [constant.map((v): Expr => ({ k: "num", v }))];
  if (inHelper) leaves.push(fc.constantFrom<Expr>({ k: "p", name: "u" }, { k: "p", name: "v" }));
  else leaves.push(fc.integer({ min: 0, max: n - 1 }).map((at): Expr => ({ k: "x", at })));
  if (withVars) leaves.push(fc.constantFrom<Expr>({ k: "var", name: "s" }, { k: "var", name: "t" }));
  if (inLoop) leaves.push(fc.constant<Expr>({ k: "x", at: "i" }), fc.constant<Expr>({ k: "a" }));
  const tree = fc.letrec<{ e: Expr }>((tie) => ({
    e: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      ...leaves,
      fc.record({ k: fc.constant("un" as const), op: fc.constantFrom(...UN), a: tie("e") }),
      fc.record({ k: fc.constant("bin" as const), op: fc.constantFrom(...BIN), a: tie("e"), b: tie("e") }),
    ) as fc.Arbitrary<Expr>,
  }));
  return tree.e;
}

/**
 * A random program with `n` inputs.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(program(4), (p) => typeof sourceOf(p) === "string"));
 * ```
 */
export function program(n: number): fc.Arbitrary<Program> {
  return fc.record({
    n: fc.constant(n),
    s0: expr(n, false, false), t0: expr(n, false, false), ai: expr(n, true), onTrue: expr(n, true), onFalse: expr(n, true),
    mix: expr(n, true), grow: expr(n, false), carry: expr(n, true),
    hTrue: expr(n, false, false, true), hFalse: expr(n, false, false, true),
    // Thresholds on a 0.01 grid: a subnormal threshold would put a jump where differences cannot see it.
    cut: constant, useContinue: fc.boolean(), useBreak: fc.boolean(), breakAt: fc.integer({ min: 100, max: 600 }).map((k) => k / 100),
    earlyReturn: fc.boolean(), returnAt: fc.integer({ min: -100, max: 300 }).map((k) => k / 100), cap: fc.integer({ min: 0, max: 6 }), sumLess: fc.integer({ min: 0, max: 3 }),
    writeX: fc.boolean(), wx: expr(n, true),
    ang: expr(n, true), sinFirst: fc.boolean(), turn: fc.boolean(), useCos: fc.boolean(),
    doWhile: fc.boolean(), tripArray: fc.boolean(), forOf: fc.boolean(), localHelper: fc.boolean(), stepped: fc.boolean(),
    closing: fc.constantFrom("for...of" as const, "reduce" as const, "forEach" as const),
    idioms: fc.boolean(),
    sumTail: fc.boolean(), tailE: expr(n, true), tailForm: fc.constantFrom("plain" as const, "halved" as const, "divided" as const),
  });
}

const lit = (v: number) => (v < 0 || Object.is(v, -0) ? `(${v})` : String(v));

/** The expression as JavaScript. */
export function js(e: Expr): string {
  switch (e.k) {
    case "num": return lit(e.v);
    case "x": return `x[${e.at}]`;
    case "var": return e.name;
    case "a": return "a[i]";
    case "p": return e.name;
    case "un": {
      const a = js(e.a);
      return { sin: `Math.sin(${a})`, cos: `Math.cos(${a})`, tanh: `Math.tanh(${a})`, expT: `Math.exp(Math.tanh(${a}))`,
        sqrt1: `Math.sqrt(1 + ${a} * ${a})`, abs: `Math.abs(${a})`, neg: `-(${a})` }[e.op];
    }
    case "bin": {
      const a = js(e.a);
      const b = js(e.b);
      return { "+": `(${a} + ${b})`, "-": `(${a} - ${b})`, "*": `(${a} * ${b})`, div2: `(${a} / (2 + Math.sin(${b})))`,
        max: `Math.max(${a}, ${b})`, min: `Math.min(${a}, ${b})`, hypot: `Math.hypot(${a}, ${b})` }[e.op];
    }
  }
}

/**
 * The helper g(u, v) as source text: an early return on a data-dependent branch.
 *
 * @example
 * ```ts
 * helperSourceOf(p); // "function g(u, v) { ... }"
 * ```
 */
export function helperSourceOf(p: Program): string {
  return `function g(u, v) {\n  if (u > v) return Math.tanh(${js(p.hTrue)});\n  const w = Math.tanh(${js(p.hFalse)});\n  return w * 0.5;\n}`;
}

/**
 * The program as source text (a function of x and n).
 *
 * @example
 * ```ts
 * sourceOf(p); // "function f(x, n) { ... }"
 * ```
 */
export function sourceOf(p: Program, result: "number" | "pairs" = "number"): string {
  const pairs = result === "pairs";
  return [
    "function f(x, n) {",
    ...(p.localHelper ? helperSourceOf(p).split("\n").map((l) => `  ${l}`) : []),
    `  let s = Math.tanh(${js(p.s0)});`,
    `  let t = Math.tanh(${js(p.t0)});`,
    "  const a = new Float64Array(n);",
    "  for (let i = 0; i < n; i++) {",
    `    a[i] = Math.tanh(${js(p.ai)});`,
    `    if (x[i] > ${lit(p.cut)}) { s = s + Math.tanh(${js(p.onTrue)}); } else { t = t * 0.5 + Math.tanh(${js(p.onFalse)}); }`,
    `    const r = x[i] * ${lit(p.cut)} - x[n - 1 - i] * 0.5;`,
    `    let th = ${js(p.ang)};`,
    ...trig(p.sinFirst ? ["si", "sin"] : ["co", "cos"]),
    ...(p.turn ? ["    th = th * 0.5 + x[i];"] : []),
    ...trig(p.sinFirst ? ["co", "cos"] : ["si", "sin"]),
    ...(p.tripArray ? ["    const m = [r, a[i]];", "    const z = new Float64Array(2);", "    z[1] += m[0] * m[1];", "    s = s + 0.05 * z[1] + z[0];"] : []),
    ...(p.useContinue ? [`    if (a[i] > ${lit(p.cut / 2)}) continue;`] : []),
    `    s = s * 0.9 + a[i] * g(${js(p.mix)}, x[i]) + 0.1 * r * r + 0.1 * ${p.useCos ? "co * " : ""}si;`,
    ...(p.useBreak ? [`    if (s > ${lit(p.breakAt / 4)}) break;`] : []),
    "  }",
    "  let k = 0;",
    p.doWhile
      ? `  do { t = t + 0.3 + 0.1 * Math.tanh(${js(p.grow)}); k++; } while (k < ${p.cap} && t < 1.5);`
      : `  while (k < ${p.cap} && t < 1.5) { t = t + 0.3 + 0.1 * Math.tanh(${js(p.grow)}); k++; }`,
    ...(p.writeX ? [`  for (let i = 1; i < n; i++) x[i] = x[i] * 0.5 + x[i - 1] * Math.tanh(${js(p.wx)});`] : []),
    ...(p.earlyReturn && !pairs ? [`  if (s > ${lit(p.returnAt)}) return s * t;`] : []),
    "  for (let i = 0; i + 1 < n; i++) {",
    `    a[i + 1] = a[i + 1] * 0.5 + a[i] * Math.tanh(${js(p.carry)});`,
    "  }",
    p.idioms ? "  const c = new Array(n).fill(0);" : "  const c = new Float64Array(n);",
    `  for (let i = ${p.sumLess}; i < n; i++) c[i] = a[i] * x[i] - 0.5 * x[i];`,
    "  let q = 0;",
    "  let w = 1;",
    p.stepped
      ? `  let j = 0, l = ${p.sumLess};\n  while (l < n) { q = q + c[j++] * x[++l - 1] * w; w = w * 0.75; }`
      : `  for (let j = 0; j < n - ${p.sumLess}; j++) { q = q + c[j] * x[j + ${p.sumLess}] * w; w = w * 0.75; }`,
    ...(!p.forOf ? [] : p.idioms ? ["  const b = a.slice();", "  for (const [, e] of b.entries()) q = q * 0.5 + 0.1 * e * e;"]
      : p.closing === "reduce" ? ["  q = a.reduce((acc, e) => acc * 0.5 + 0.1 * e * e, q);"]
      : p.closing === "forEach" ? ["  a.forEach((e) => { q = q * 0.5 + 0.1 * e * e; });"] : ["  for (const e of a) q = q * 0.5 + 0.1 * e * e;"]),
    "  a[n - 1] = s;",
    ...(pairs ? [
      "  const out = new Float64Array(2 * n);",
      ...tailTrip(p),
      "    out[2 * i] = hv * a[i] + 0.25 * q * ev;",
      "    out[2 * i + 1] = Math.sin(hv) - s;",
      "  }",
      "  return out;",
    ] : p.sumTail ? [
      "  let total = 0;",
      ...tailTrip(p),
      "    let uv = ev;",
      "    for (let j = 0; j < 2; j++) uv = 0.5 + uv * Math.sin(hv + j);",
      "    total += hv * a[i] + 0.25 * q * ev + uv;",
      "  }",
      `  return ${{ plain: "total", halved: "0.5 * total", divided: "total / n - 1" }[p.tailForm]};`,
    ] : ["  return s + t + a[0] * a[n - 1] + 0.25 * q;"]),
    "}",
  ].join("\n");
}

/** The head of the last loop and the values its trip starts with: ev, and hv from a branch on it. */
const tailTrip = (p: Program): string[] => [
  "  for (let i = 0; i < n; i++) {",
  `    const ev = ${js(p.tailE)};`,
  "    let hv = ev * x[i];",
  `    if (hv > ${lit(p.cut)}) { hv = Math.tanh(hv) + t; } else { hv = hv * 0.5; }`,
];

/** `const co = Math.cos(th);` or the sine. */
const trig = ([name, f]: [string, string]): string[] => [`    const ${name} = Math.${f}(th);`];

type V = Value;
const val = (v: V): number => primal(v) as number;

type Env = { s: V; t: V; a: V[]; i: number; u: V; v: V };

/** ev and hv of a trip of the last loop (see tailTrip). */
function tailValues(p: Program, x: V[], env: Env): { ev: V; hv: V } {
  const ev = run(p.tailE, x, env);
  const hv = mul(ev, x[env.i]!);
  return { ev, hv: val(hv) > p.cut ? add(tanh(hv), env.t) : mul(hv, 0.5) };
}

function helper(p: Program, u: V, v: V, x: V[], env: Env): V {
  const inner = { ...env, u, v };
  if (val(u) > val(v)) return tanh(run(p.hTrue, x, inner));
  return mul(tanh(run(p.hFalse, x, inner)), 0.5);
}

function run(e: Expr, x: V[], env: Env): V {
  switch (e.k) {
    case "p": return env[e.name];
    case "num": return e.v;
    case "x": return x[e.at === "i" ? env.i : e.at]!;
    case "var": return env[e.name];
    case "a": return env.a[env.i]!;
    case "un": {
      const a = run(e.a, x, env);
      return { sin: () => sin(a), cos: () => cos(a), tanh: () => tanh(a), expT: () => exp(tanh(a)),
        sqrt1: () => sqrt(add(1, mul(a, a))), abs: () => abs(a), neg: () => neg(a) }[e.op]();
    }
    case "bin": {
      const a = run(e.a, x, env);
      const b = run(e.b, x, env);
      return { "+": () => add(a, b), "-": () => sub(a, b), "*": () => mul(a, b), div2: () => div(a, add(2, sin(b))),
        max: () => maximum(a, b), min: () => minimum(a, b), hypot: () => hypot(a, b) }[e.op]();
    }
  }
}

/**
 * The same program run with dualtape ops on Duals/Vars (branches on primal values).
 *
 * @example
 * ```ts
 * grad((x: Lifted[]) => withOps(p, x))([0.1, 0.2, 0.3, 0.4]);
 * ```
 */
export function withOps(p: Program, args: Lifted[]): Lifted;
export function withOps(p: Program, args: Lifted[], result: "pairs"): Lifted[];
export function withOps(p: Program, args: Lifted[], result: "number" | "pairs" = "number"): Lifted | Lifted[] {
  const pairs = result === "pairs";
  const n = args.length;
  // The program may overwrite its argument: a working copy, as the caller's array stays as it was.
  const x: V[] = [...args];
  const env: Env = { s: 0, t: 0, a: new Array<V>(n).fill(0), i: 0, u: 0, v: 0 };
  env.s = tanh(run(p.s0, x, env));
  env.t = tanh(run(p.t0, x, env));
  for (env.i = 0; env.i < n; env.i++) {
    env.a[env.i] = tanh(run(p.ai, x, env));
    if (val(x[env.i]!) > p.cut) env.s = add(env.s, tanh(run(p.onTrue, x, env)));
    else env.t = add(mul(env.t, 0.5), tanh(run(p.onFalse, x, env)));
    const r = sub(mul(x[env.i]!, p.cut), mul(x[n - 1 - env.i]!, 0.5));
    let th = run(p.ang, x, env);
    const first = p.sinFirst ? sin(th) : cos(th);
    if (p.turn) th = add(mul(th, 0.5), x[env.i]!);
    const second = p.sinFirst ? cos(th) : sin(th);
    const [co, si] = p.sinFirst ? [second, first] : [first, second];
    if (p.tripArray) env.s = add(env.s, mul(0.05, mul(r, env.a[env.i]!)));
    if (p.useContinue && val(env.a[env.i]!) > p.cut / 2) continue;
    env.s = add(add(add(mul(env.s, 0.9), mul(env.a[env.i]!, helper(p, run(p.mix, x, env), x[env.i]!, x, env))), mul(0.1, mul(r, r))), p.useCos ? mul(mul(0.1, co), si) : mul(0.1, si));
    if (p.useBreak && val(env.s) > p.breakAt / 4) break;
  }
  let k = 0;
  const grow = () => { env.t = add(add(env.t, 0.3), mul(0.1, tanh(run(p.grow, x, env)))); k++; };
  if (p.doWhile) grow();
  while (k < p.cap && val(env.t) < 1.5) grow();
  if (p.writeX) {
    for (env.i = 1; env.i < n; env.i++) x[env.i] = add(mul(x[env.i]!, 0.5), mul(x[env.i - 1]!, tanh(run(p.wx, x, env))));
  }
  if (p.earlyReturn && !pairs && val(env.s) > p.returnAt) return mul(env.s, env.t) as Lifted;
  for (env.i = 0; env.i + 1 < n; env.i++) {
    env.a[env.i + 1] = add(mul(env.a[env.i + 1]!, 0.5), mul(env.a[env.i]!, tanh(run(p.carry, x, env))));
  }
  const c: V[] = new Array<V>(n).fill(0);
  for (let i = p.sumLess; i < n; i++) c[i] = sub(mul(env.a[i]!, x[i]!), mul(0.5, x[i]!));
  let q: V = 0;
  let w = 1;
  for (let j = 0; j < n - p.sumLess; j++) {
    q = add(q, mul(mul(c[j]!, x[j + p.sumLess]!), w));
    w *= 0.75;
  }
  if (p.forOf) for (const e of env.a) q = add(mul(q, 0.5), mul(mul(0.1, e), e));
  env.a[n - 1] = env.s;
  if (pairs) {
    const out: V[] = [];
    for (env.i = 0; env.i < n; env.i++) {
      const { ev, hv } = tailValues(p, x, env);
      out.push(add(mul(hv, env.a[env.i]!), mul(mul(0.25, q), ev)), sub(sin(hv), env.s));
    }
    return out as Lifted[];
  }
  if (p.sumTail) {
    let total: V = 0;
    for (env.i = 0; env.i < n; env.i++) {
      const { ev, hv } = tailValues(p, x, env);
      let uv: V = ev;
      for (let j = 0; j < 2; j++) uv = add(0.5, mul(uv, sin(add(hv, j))));
      total = add(total, add(add(mul(hv, env.a[env.i]!), mul(mul(0.25, q), ev)), uv));
    }
    return (p.tailForm === "plain" ? total : p.tailForm === "halved" ? mul(0.5, total) : sub(div(total, n), 1)) as Lifted;
  }
  return add(add(add(env.s, env.t), mul(env.a[0]!, env.a[n - 1]!)), mul(0.25, q)) as Lifted;
}
