/**
 * The source compiler on random programs (props/arbitraries/source-program.ts):
 * compiled reverse (one cotangent, and lanes) == compiled forward (one
 * direction, lanes, and compressed by the sparsity pattern, which holds
 * every nonzero; and by rows, with the pattern passed back) == Var (grad) == Dual (jacfwd), to
 * 1e-9 relative; <J v, w> == <v, J^T w> between the compiled modes; and
 * central differences agree wherever the program is smooth at the point
 * (differences at two step sizes agree with each other). A failure prints
 * the shrunk program's source.
 */
import { test } from "uvu";
import fc from "fast-check";
import { compile, grad, jacfwd, vjp, scatter, precompiled, add, mul, sin, tanh, type Lifted } from "../lib/index.ts";
import { emit } from "../lib/source/compile.ts";
import { writePrecompiled } from "../lib/source/plugin/write.ts";
import { SETS_FROM } from "../lib/source/sparsity-sets.ts";
import { program, sourceOf, helperSourceOf, withOps, type Program } from "./arbitraries/source-program.ts";
import { params } from "./support/run.ts";

const N = 4;
const fromSource = (text: string): ((...a: never[]) => unknown) => (0, eval)(`(${text})`);
/**
 * Points on a 0.001 grid shifted by a different small offset per coordinate:
 * no coordinate equals a constant of the program (0.01 grid) or another
 * coordinate, so no branch or max/min sits exactly at a tie, where the
 * registry's convention (e.g. half the gradient to each side) is not what
 * one-sided differences see.
 */
const point = fc.array(fc.integer({ min: -1500, max: 1500 }), { minLength: N, maxLength: N })
  .map((ks) => ks.map((k, i) => k / 1000 + 0.0001234 * (i + 1)));

function near(a: number, b: number, rel: number): boolean {
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
}

/** One-sided differences (backward, forward) and the central one along axis i. */
function differences(f: (x: Float64Array, n: number) => number, x: Float64Array, i: number, h: number): [number, number, number] {
  const up = x.slice();
  const dn = x.slice();
  up[i]! += h;
  dn[i]! -= h;
  const f0 = f(x, N);
  const fu = f(up, N);
  const fd = f(dn, N);
  return [(f0 - fd) / h, (fu - f0) / h, (fu - fd) / (2 * h)];
}

function check(p: Program, xs: number[], v: number[]): void {
  const helperText = helperSourceOf(p);
  const text = `${helperText}\n${sourceOf(p)}`;
  const g0 = fromSource(helperText);
  // The program sees its helper as g, as the compiled code does through helpers.
  const program = (0, eval)(`(g) => (${sourceOf(p)})`)(g0) as (x: Float64Array, n: number) => number;
  // The program may write into x: the plain runs take a copy, the derivative calls must leave x alone.
  const plain = (y: Float64Array, n: number) => program(y.slice(), n);
  const x = Float64Array.from(xs);
  const C = compile(program, { wrt: [0], helpers: { g: g0 } });
  const fail = (what: string) => { throw new Error(`${what}\nprogram:\n${text}\nx = [${xs.join(", ")}]`); };
  const { value, grad: g } = C.valueAndGrad(x, N) as { value: number; grad: Float64Array };
  if (!near(value, plain(x, N), 1e-14)) fail(`value ${value} != primal ${plain(x, N)}`);
  const byVar = grad((y: Lifted[]) => withOps(p, y))(xs) as number[];
  const byDual = jacfwd((y: Lifted[]) => withOps(p, y))(xs) as number[];
  const dir = Float64Array.from(v);
  const tangent = C.jvp([x, N], [dir]).tangent as number;
  if (dir.some((d, i) => d !== v[i])) fail(`jvp changed its tangent argument to [${[...dir].join(", ")}]`);
  const dot = g.reduce((s, gi, i) => s + gi * v[i]!, 0);
  const scale = g.reduce((s, gi, i) => s + Math.abs(gi * v[i]!), 0);
  if (Math.abs(tangent - dot) > 1e-9 * Math.max(1, scale)) fail(`forward tangent ${tangent} != reverse grad . v ${dot}`);
  // Reverse mode in lanes: five cotangents, four in one sweep of the lanes adjoint and one alone.
  const scales = [1, -2, 0.5, 3, 7];
  const pulled = C.vjp([x, N]).pullbacks(scales) as Float64Array[];
  scales.forEach((c, l) => {
    for (let i = 0; i < N; i++) if (!near(pulled[l]![i]!, c * g[i]!, 1e-12)) fail(`pullbacks lane ${l} [${i}] ${pulled[l]![i]} != ${c} x grad ${g[i]}`);
  });
  // Forward mode in lanes: N directions in one pass of the lanes function.
  const byLanes = (C.jacobian([x, N], { mode: "forward" }) as number[][])[0]!;
  for (let i = 0; i < N; i++) {
    if (!near(g[i]!, byLanes[i]!, 1e-9)) fail(`compiled grad[${i}] ${g[i]} != compiled forward-lanes Jacobian ${byLanes[i]}`);
    if (!near(g[i]!, byVar[i]!, 1e-9)) fail(`compiled grad[${i}] ${g[i]} != Var grad ${byVar[i]}`);
    if (!near(g[i]!, byDual[i]!, 1e-9)) fail(`compiled grad[${i}] ${g[i]} != Dual jacfwd ${byDual[i]}`);
    const [back, ahead, mid] = differences(plain, x, i, 1e-6);
    // One-sided differences that disagree straddle a branch or a kink: no verdict there.
    if (near(back, ahead, 1e-4) && !near(g[i]!, mid, 1e-5)) fail(`compiled grad[${i}] ${g[i]} != central difference ${mid}`);
  }
  // The sparsity pass: every nonzero of the gradient lies in its pattern, and the compressed Jacobian is the gradient.
  const found = C.sparsity([x, N]);
  const pattern = new Set(found.colIndex);
  const bySparse = C.jacobian([x, N], { mode: "forward", sparse: true, flat: true }) as Float64Array;
  for (let i = 0; i < N; i++) {
    if (g[i] !== 0 && !pattern.has(i)) fail(`grad[${i}] = ${g[i]} lies outside the sparsity pattern {${[...pattern].join(", ")}}`);
    if (!near(g[i]!, bySparse[i]!, 1e-9)) fail(`compiled grad[${i}] ${g[i]} != sparse Jacobian ${bySparse[i]}`);
  }
  if (x.some((v, i) => v !== xs[i])) fail(`the derivative calls changed the argument x to [${[...x].join(", ")}]`);
  // The same pattern passed back: its probe direction must accept it, and the CSR entries are the gradient's.
  const given = C.jacobian([x, N], { mode: "forward", sparse: found, csr: true }) as { colIndex: Int32Array; values: Float64Array };
  given.colIndex.forEach((j, k) => {
    if (!near(g[j]!, given.values[k]!, 1e-9)) fail(`compiled grad[${j}] ${g[j]} != CSR entry ${given.values[k]} of the passed pattern`);
  });
  // And by rows: the probe cotangent must accept it too, and the entries are again the gradient's.
  const byRows = C.jacobian([x, N], { mode: "reverse", sparse: found, csr: true }) as { colIndex: Int32Array; values: Float64Array };
  byRows.colIndex.forEach((j, k) => {
    if (!near(g[j]!, byRows.values[k]!, 1e-9)) fail(`compiled grad[${j}] ${g[j]} != CSR entry ${byRows.values[k]} by rows`);
  });
}

test("random programs: compiled reverse == compiled forward == Var == Dual == central differences", () => {
  fc.assert(fc.property(program(N), point, point, check), params());
});

/**
 * The program with its last loop writing residual pairs (two elements per
 * trip, from values made before the loop): the pullbacks of two cotangents
 * in one fused pass, scattered into one array, equal the two-sweep
 * pullbacks of vjp and the Var tape's.
 */
function pairsAgree(p: Program, xs: number[], c: number[]): void {
  const helperText = helperSourceOf(p);
  const g0 = fromSource(helperText);
  const text = sourceOf(p, "pairs");
  const program = (0, eval)(`(g) => (${text})`)(g0) as (x: Float64Array, n: number) => Float64Array;
  const x = Float64Array.from(xs);
  const C = compile(program, { wrt: [0], helpers: { g: g0 } });
  const fail = (what: string) => { throw new Error(`${what}\nprogram:\n${helperText}\n${text}\nx = [${xs.join(", ")}]`); };
  if (!C.source.includes("function fused(")) fail("the residual loop has no fused pass");
  const ct1 = Float64Array.from({ length: 2 * N }, (_, k) => c[k % c.length]! / 1000);
  const ct2 = Float64Array.from({ length: 2 * N }, (_, k) => (k % 3 === 0 ? 1 : -0.5));
  const vals = new Float64Array(2 * N);
  const at = (r: number) => Int32Array.from({ length: N }, (_, j) => 2 * j + r);
  if (p.writeX) {
    // A gradient of an argument f writes is not scattered: its rows interleaved by hand.
    const [g1, g2] = C.pullbacks([x, N], [ct1, ct2]) as Float64Array[];
    for (let j = 0; j < N; j++) { vals[2 * j] = g1![j]!; vals[2 * j + 1] = g2![j]!; }
  } else C.pullbacks([x, N], [ct1, ct2], [scatter(vals, at(0)), scatter(vals, at(1))]);
  const kept = C.vjp([x, N]).pullbacks([ct1, ct2]) as Float64Array[];
  const byVar = [ct1, ct2].map((ct) => vjp((y: Lifted[]) => withOps(p, y, "pairs"), xs).pullback(Array.from(ct)) as number[]);
  for (let j = 0; j < N; j++) {
    for (let l = 0; l < 2; l++) {
      const got = vals[2 * j + l]!;
      if (!near(got, kept[l]![j]!, 1e-12)) fail(`fused pullback ${l} [${j}] ${got} != vjp's ${kept[l]![j]}`);
      if (!near(got, byVar[l]![j]!, 1e-9)) fail(`fused pullback ${l} [${j}] ${got} != Var's ${byVar[l]![j]}`);
    }
  }
}

test("random programs ending in residual pairs: fused pullbacks, scattered == vjp's two sweeps == Var", () => {
  fc.assert(fc.property(program(N), point, point, pairsAgree), params());
});

type Wrapping = "destructured" | "field" | "nested" | "list" | "state";

/** x as the caller passes it under each wrapping, and a result for x back as a flat array. */
const wrapped = (w: Wrapping, x: Float64Array): unknown => (w === "list" ? Array.from(x, (v) => ({ v })) : w === "nested" ? { in: { x } } : w === "state" ? x : { x });
const unwrapped = (w: Wrapping, r: unknown): ArrayLike<number> =>
  (w === "list" ? (r as { v: number }[]).map((e) => e.v) : w === "nested" ? (r as { in: { x: Float64Array } }).in.x : w === "state" ? r as Float64Array : (r as { x: Float64Array }).x);

/**
 * The same program taking x inside an object, destructured (`const { x } =
 * P`) or read as `P.x[i]` or `P.in.x[i]`, or as an array of objects read
 * as `X[i].v`, or its running sum s kept in a local object (`st.s`): the
 * generated code differs in names only, so its value, gradient (as { x },
 * or objects { v }), tangent and pullbacks must be the plain program's,
 * bit for bit.
 */
function sameThroughObject(p: Program, xs: number[], wrapping: Wrapping): void {
  const helperText = helperSourceOf(p);
  const g0 = fromSource(helperText);
  const plainText = sourceOf(p);
  const body = plainText.slice(plainText.indexOf("{") + 1);
  const objectText = wrapping === "destructured" ? `function f(P, n) {\n  const { x } = P;${body}`
    : wrapping === "field" ? `function f(P, n) {${body.replaceAll("x[", "P.x[")}`
    : wrapping === "nested" ? `function f(P, n) {${body.replaceAll("x[", "P.in.x[")}`
    // Indices into x hold no brackets of their own in these programs.
    : wrapping === "list" ? `function f(X, n) {${body.replace(/\bx\[([^\]]*)\]/g, "X[$1].v")}`
    // The running sum s as a field of a local object: const st = { s: ... }, read and written as st.s.
    : `function f(x, n) {${body.replace(/\bs\b/g, "st.s").replace(/let st\.s = (.*);/, "const st = { s: $1 };")}`;
  const make = (text: string) => (0, eval)(`(g) => (${text})`)(g0) as (...a: never[]) => unknown;
  const options = { wrt: [0], helpers: { g: g0 } };
  const plainC = compile(make(plainText), options);
  const objectC = compile(make(objectText), options);
  const x = Float64Array.from(xs);
  const fail = (what: string) => { throw new Error(`${what}\nprogram:\n${helperText}\n${objectText}\nx = [${xs.join(", ")}]`); };
  const a = plainC.valueAndGrad(x, N) as { value: number; grad: Float64Array };
  const b = objectC.valueAndGrad(wrapped(wrapping, x), N) as { value: number; grad: unknown };
  if (!Object.is(a.value, b.value)) fail(`value ${b.value} through the object != ${a.value}`);
  if (String(a.grad) !== String(Array.from(unwrapped(wrapping, b.grad)))) fail(`gradient [${Array.from(unwrapped(wrapping, b.grad))}] through the object != [${a.grad}]`);
  const dir = Float64Array.from(xs, (v, i) => 1 - i * v);
  const ta = plainC.jvp([x, N], [dir]).tangent;
  const tb = objectC.jvp([wrapped(wrapping, x), N], [wrapped(wrapping, dir)]).tangent;
  if (!Object.is(ta, tb)) fail(`tangent ${tb} through the object != ${ta}`);
  const pa = plainC.vjp([x, N]).pullbacks([1, -3]) as Float64Array[];
  const pb = objectC.vjp([wrapped(wrapping, x), N]).pullbacks([1, -3]);
  if (pa.some((g, l) => String(g) !== String(Array.from(unwrapped(wrapping, pb[l]))))) fail("pullbacks through the object differ");
  if (x.some((v, i) => v !== xs[i])) fail(`the calls through the object changed x to [${[...x].join(", ")}]`);
}

test("random programs taking x inside an object (destructured, or read as P.x[i] or P.in.x[i]) or as an array of objects (X[i].v), or keeping s in a local object, give the plain program's results", () => {
  fc.assert(fc.property(program(N), point, fc.constantFrom<Wrapping>("destructured", "field", "nested", "list", "state"), sameThroughObject), params());
});

/**
 * Past SETS_FROM inputs the pattern comes from one pass with sets of
 * columns; the same program precompiled (a bundle has no sets pass) finds
 * it with 32-column masks. Both must give the same rows.
 */
function samePattern(p: Program, shift: number): void {
  const wide = SETS_FROM + 1 + (shift % 40);
  const helperText = helperSourceOf(p);
  const g0 = fromSource(helperText);
  const program = (0, eval)(`(g) => (${sourceOf(p)})`)(g0) as (x: Float64Array, n: number) => number;
  const options = { wrt: [0], helpers: { g: g0 } };
  const text = writePrecompiled(emit(program, options), "f", "precompiled");
  const byMasks = new Function("precompiled", `return ${text};`)(precompiled) as ReturnType<typeof compile>;
  const x = Float64Array.from({ length: wide }, (_, i) => Math.round(1400 * Math.sin(shift + 1.7 * i)) / 1000 + 0.0001234 * (i + 1));
  const sets = compile(program, options).sparsity([x, wide]);
  const masks = byMasks.sparsity([x, wide]);
  if (String(sets.rowPtr) !== String(masks.rowPtr) || String(sets.colIndex) !== String(masks.colIndex)) {
    throw new Error(`the sets pass found columns [${[...sets.colIndex]}], the mask passes [${[...masks.colIndex]}]\nprogram:\n${helperText}\n${sourceOf(p)}`);
  }
}

test("random programs past SETS_FROM inputs: the one sets pass finds the pattern of the mask passes", () => {
  fc.assert(fc.property(program(N), fc.nat(1000), samePattern), params());
});

/** A program over a matrix w (rows read and written, w[i][j]) and a flat x, compiled once. */
function matrixProgram(w: number[][], x: number[]): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) {
    let z = x[i % x.length]!;
    for (let j = 0; j < w[i]!.length; j++) z += w[i]![j]! * Math.sin(x[j % x.length]! + i);
    w[i]![w[i]!.length - 1] = z;
    s += Math.tanh(z) * w[i]![0]!;
  }
  return s;
}
const matrixCompiled = compile(matrixProgram, { wrt: [0, 1] });

/** The same program on traced values, over w's entries row by row. */
function matrixWithOps(flat: Lifted[], x: Lifted[], rows: number, cols: number): Lifted {
  const w = Array.from({ length: rows }, (_, i) => flat.slice(i * cols, (i + 1) * cols) as (Lifted | number)[]);
  let s: Lifted | number = 0;
  for (let i = 0; i < rows; i++) {
    let z: Lifted | number = x[i % x.length]!;
    for (let j = 0; j < cols; j++) z = add(z, mul(w[i]![j]!, sin(add(x[j % x.length]!, i))));
    w[i]![cols - 1] = z;
    s = add(s, mul(tanh(z), w[i]![0]!));
  }
  return s as Lifted;
}

const matrixCase = fc.record({
  rows: fc.integer({ min: 1, max: 4 }), cols: fc.integer({ min: 1, max: 4 }), xs: fc.integer({ min: 1, max: 3 }),
  seed: fc.integer({ min: 0, max: 1000 }), rowKind: fc.constantFrom("number[]", "Float64Array"),
});

test("matrix arguments of every shape: compiled grad (as rows) == Var grad over the entries; jvp of row tangents == <grad, v>", () => {
  fc.assert(fc.property(matrixCase, ({ rows, cols, xs, seed, rowKind }) => {
    const entry = (k: number) => Math.round(1000 * Math.sin(seed + 1.3 * k)) / 1000;
    const w = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => entry(i * cols + j)));
    const x = Array.from({ length: xs }, (_, k) => entry(100 + k));
    const arg = rowKind === "number[]" ? w : w.map((r) => Float64Array.from(r));
    const [gw, gx] = matrixCompiled.grad(arg, x) as [ArrayLike<number>[], number[]];
    const [vw, vx] = grad((f: Lifted[], y: Lifted[]) => matrixWithOps(f, y, rows, cols), { argnums: [0, 1] })(w.flat(), x) as number[][];
    const got = gw.flatMap((r) => Array.from(r));
    const bad = (a: number[], b: number[]) => a.length !== b.length || a.some((v, k) => !near(v, b[k]!, 1e-9));
    if (gw.length !== rows || gw.some((r) => r.length !== cols || (rowKind === "Float64Array") !== r instanceof Float64Array)) throw new Error(`gradient rows ${JSON.stringify(gw)} for ${rows} x ${cols} ${rowKind}`);
    if (bad(got, vw!) || bad(gx, vx!)) throw new Error(`compiled [${got}] [${gx}] != Var [${vw}] [${vx}]`);
    const v = w.map((r, i) => r.map((_, j) => entry(7 * i + j + 50)));
    const u = x.map((_, k) => entry(300 + k));
    const t = matrixCompiled.jvp([arg, x], [v, u]).tangent as number;
    const dot = v.flat().reduce((acc, vk, k) => acc + vk * got[k]!, 0) + u.reduce((acc, uk, k) => acc + uk * gx[k]!, 0);
    if (!near(t, dot, 1e-9)) throw new Error(`jvp ${t} != <grad, v> ${dot}`);
  }), params());
});

test.run();
