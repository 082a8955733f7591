/**
 * `compile(f, { wrt, helpers })`: differentiates a plain function from its
 * source. It parses `f.toString()`, checks the accepted language, and
 * generates two plain-JavaScript functions on numbers and typed arrays:
 * forward mode (value and one tangent) and reverse mode (value and the
 * gradient), both with derivative code from the op registry's rules.
 */
import { parseFunction } from "./parse.ts";
import { checkFunction } from "./check.ts";
import { activity } from "./activity.ts";
import { normalize } from "./normalize.ts";
import { hoistInvariants } from "./hoist.ts";
import { forwardStores } from "./forward-stores.ts";
import { emitForward, emitForwardPattern, emitForwardSets } from "./emit-forward.ts";
import { emitReverse } from "./emit-reverse.ts";
import { emitFused, type EmittedFused } from "./fused-sweep.ts";
import type { FusedPass } from "./calls.ts";
import { isScatter, checkScatter, scatterAdd, scatteredSource, type Scatter } from "./scatter-into.ts";
import { Renderer } from "./sym.ts";
import { instantiate, freshInstance, newStacks } from "./runtime.ts";
import type { Fn } from "./ir.ts";
import { prepare, runForward, runReverse, runFused, shaped, withDefaults, type Generated, type PatternPass } from "./calls.ts";
import { LANES } from "./lanes.ts";
import { matrixCall } from "./matrix-args.ts";
import { objectCall } from "./object-args.ts";
import { checkAliasing } from "./aliasing.ts";
import { keepSweep, adjointOf, adjointsOf } from "./kept-sweep.ts";
import { REVERSE_LANES } from "./reverse-lanes.ts";
import { rowColoring } from "./sparse-rows.ts";
import { jacobianOf, explainOf, splitRows, sparsityFor, type SourceJacobianMode, type SourceJacobianChoice } from "./jacobian.ts";
import type { SparsityPattern } from "./sparsity.ts";
import { fail, describe, checkOptions as checkOptionKeys, booleanOption } from "./registry.ts";
import type { AdjointWrites } from "./assemble-reverse.ts";

/**
 * Options of `compile`.
 *
 * @example
 * ```ts
 * const sq = (x: number, k: number) => k * x * x;
 * const options: CompileOptions = { wrt: [0] };   // differentiate x; k is a constant
 * compile(sq, options).grad(3, 2);                // 12
 * ```
 */
export interface CompileOptions {
  /** Indices of the arguments to differentiate (numbers or arrays). */
  wrt: readonly number[];
  /** Names used in f that are registry ops (built-in or from defineOp). */
  helpers?: Readonly<Record<string, unknown>>;
}

type Arr = number[] | Float64Array;

/**
 * A compiled function: derivatives of f by generated code.
 *
 * @example
 * ```ts
 * const F: CompiledFunction = compile((x: number, y: number) => x * Math.sin(y), { wrt: [0, 1] });
 * F.grad(2, 0);                 // [sin 0, 2 cos 0] = [0, 2]
 * F.jvp([2, 0], [1, 0]).tangent; // 0
 * ```
 */
export interface CompiledFunction {
  /** The gradient of a number-valued f (one per wrt entry; the entry itself when there is one). */
  grad(...args: unknown[]): unknown;
  /** The value and the gradient in one reverse pass. */
  valueAndGrad(...args: unknown[]): { value: number; grad: unknown };
  /**
   * `valueAndGrad` with the array gradients written into buffers you keep
   * (overwritten, not added to), shaped as `vjp`'s `into`: a Float64Array
   * for one array wrt entry; with several wrt entries, one per entry, null
   * for numbers. A loop taking many gradients of a small f then allocates
   * nothing: a fresh Float64Array of 16 numbers measured 0.3-2 µs in V8,
   * more than many such f cost.
   *
   * @example
   * ```ts
   * const g = new Float64Array(x.length);
   * for (let step = 0; step < 1000; step++) {
   *   const { value } = E.valueAndGradInto(g, x, n); // g holds the gradient
   *   for (let i = 0; i < x.length; i++) x[i] -= 0.1 * g[i];
   * }
   * ```
   */
  valueAndGradInto(into: unknown, ...args: unknown[]): { value: number; grad: unknown };
  /** The value and the directional derivative along `tangents` (one per wrt entry), forward mode. */
  jvp(args: readonly unknown[], tangents: readonly unknown[]): { value: number | Float64Array; tangent: number | Float64Array };
  /**
   * The value and a pullback taking an output cotangent (a number, or an
   * array for array results). `into`, shaped like the pullback's result
   * (a Float64Array for one array entry; with several wrt entries, one per
   * entry, null for numbers), receives the gradients instead of fresh
   * arrays: overwritten, not added to, and returned.
   */
  vjp(args: readonly unknown[]): {
    value: number | Float64Array;
    pullback(cotangent: number | Arr, into?: unknown): unknown;
    /**
     * The pullbacks of several cotangents, in adjoint sweeps of
     * REVERSE_LANES (two) cotangents each, which share their stack reads
     * and primal work: one result per cotangent, as `pullback` gives it.
     * `into`, when given, has one `pullback` into-entry per cotangent.
     */
    pullbacks(cotangents: readonly (number | Arr)[], into?: readonly unknown[]): unknown[];
  };
  /**
   * `vjp(args).pullback(cotangent, into)` in one call, without the value:
   * where f's last loop has independent trips (see the README), one fused
   * pass runs each trip's adjoint right after the trip, so nothing of the
   * loop waits on the stacks.
   *
   * @example
   * ```ts
   * const R = compile(residuals, { wrt: [0] });
   * R.pullback([v, p], weights); // Σ_k weights[k] ∇r_k, as R.vjp([v, p]).pullback(weights)
   * ```
   */
  pullback(args: readonly unknown[], cotangent: number | Arr, into?: unknown): unknown;
  /**
   * `vjp(args).pullbacks(cotangents, into)` in one call: up to
   * REVERSE_LANES (two) cotangents take one fused pass where f has one;
   * more take a forward sweep and adjoint sweeps in lanes, as vjp runs them.
   * An into-entry of an array argument may also be `scatter(array, at)`:
   * the gradient is added into `array[at[j]]` (so several gradients can
   * fill one array, such as a sparse Jacobian's CSR values). A cotangent
   * whose length does not fit the result is refused once the pass has run,
   * and leaves the into-buffers' contents unspecified.
   *
   * @example
   * ```ts
   * const [rowsX, rowsY] = R.pullbacks([v, p], [evenOnes, oddOnes]) as Float64Array[];
   * ```
   */
  pullbacks(args: readonly unknown[], cotangents: readonly (number | Arr)[], into?: readonly unknown[]): unknown[];
  /**
   * The Jacobian, m rows by n columns per wrt entry (the matrix itself when
   * wrt has one entry). With `flat: true`, one row-major Float64Array of m
   * rows whose columns run through the wrt entries in order (no array per
   * row: at m = 30000 making the rows costs as much as the passes).
   * `sparse: true` finds the Jacobian's sparsity pattern at `args` and
   * takes one forward direction per color of its columns, or (reverse
   * mode, or 'auto' when cheaper) one adjoint cotangent per color of its
   * rows; `sparse: pattern` uses a pattern you pass (from `sparsity`, or
   * built by hand; colors optional), checked by one more probe direction
   * or cotangent. With `csr: true` the
   * result is the pattern's entries as a `SparseJacobian` (CSR), the only
   * form that fits a large sparse Jacobian.
   */
  jacobian(args: readonly unknown[], options?: { mode?: SourceJacobianMode; flat?: boolean; sparse?: boolean | SparsityPattern; csr?: boolean }): unknown;
  /**
   * Which inputs each output depends on at `args` (one sparsity pass of the
   * forward code per 32 inputs, with masks for tangents), and a coloring of
   * the columns that `jacobian(args, { sparse: true })` uses.
   */
  sparsity(args: readonly unknown[]): SparsityPattern;
  /** Which mode `jacobian(args, { mode: 'auto', sparse })` picks, and why. */
  explain(args: readonly unknown[], options?: { sparse?: boolean }): SourceJacobianChoice;
  /** The generated JavaScript (forward, forward in LANES directions, the reverse sweep, the adjoint, and the adjoint in REVERSE_LANES lanes). */
  readonly source: string;
  /** Bytes the last reverse pass saved on its stacks. */
  readonly savedBytes: number;
}

function checkOptions(f: unknown, options: CompileOptions | undefined): void {
  if (typeof f !== "function") fail("compile", `f is ${describe(f)}`, "pass a function");
  if (options === null || typeof options !== "object" || !Array.isArray(options.wrt)) {
    fail("compile", "options.wrt is missing", "pass compile(f, { wrt: [0] }) with the indices of the arguments to differentiate");
  }
}

/** Each wrt entry is one of f's `count` parameters (as its text declares them: defaults make f.length shorter), listed once. */
function checkWrt(wrt: readonly number[], count: number): void {
  const seen = new Set<number>();
  for (const k of wrt) {
    if (!Number.isInteger(k) || k < 0 || k >= count) fail("compile", `wrt entry ${describe(k)} is not a parameter index of f (it has ${count})`, `use indices 0..${count - 1}`);
    if (seen.has(k)) fail("compile", `wrt lists argument ${k} twice`, "list each argument once");
    seen.add(k);
  }
}

/** What the emitters produce for one function, before it is loaded. */
export interface Emitted {
  fn: Fn;
  wrt: readonly number[];
  forward: { source: string; constants: ReadonlyMap<string, unknown> };
  /** Forward mode with LANES directions per pass. */
  forwardLanes: { source: string; constants: ReadonlyMap<string, unknown> };
  reverse: { sweep: string; reverse: string; reverseLanes: string; constants: ReadonlyMap<string, unknown>; writes: AdjointWrites };
  /** The fused reverse pass (fused-sweep.ts), or null when f's last loop's trips are not independent. */
  fused: EmittedFused | null;
}

/**
 * The sparsity pass of an emitted function, with masks for tangents (see
 * emitForwardPattern) or with `sets` of columns (emitForwardSets). At run
 * time each is emitted on first use only, as most functions never need it.
 *
 * @example
 * ```ts
 * emitPattern(emit(f, { wrt: [0] })).source; // "function forwardPattern(x, n, x$d) {..."
 * ```
 */
export function emitPattern(e: Emitted, sets = false): { source: string; constants: ReadonlyMap<string, unknown> } {
  const R = new Renderer();
  return { source: (sets ? emitForwardSets : emitForwardPattern)(e.fn, activity(e.fn), R), constants: R.constants };
}

/**
 * Parses, checks and emits f; no code is loaded yet (the esbuild plugin
 * writes the result into the bundle instead).
 *
 * @example
 * ```ts
 * emit((x: number) => x * x, { wrt: [0] }).forward.source; // "function forward(x, x$d) {..."
 * ```
 */
export function emit(f: (...args: never[]) => unknown, options: CompileOptions): Emitted {
  checkOptions(f, options);
  const node = parseFunction(f.toString());
  checkWrt(options.wrt, node.params.length);
  const fn = hoistInvariants(forwardStores(checkFunction(node, options.helpers ?? {})));
  // An object parameter is differentiated through its fields, each a parameter of its own, in its place.
  const wrt = options.wrt.flatMap((k) => fn.params[k].object?.fields ?? [k]);
  wrt.forEach((k, i) => (fn.params[k].wrt = i));
  const R = new Renderer();
  const fwdSource = emitForward(fn, activity(fn), R);
  const flat = normalize(fn);
  const rev = emitReverse(flat, activity(flat));
  const fused = emitFused(flat, activity(flat));
  let lanes: { source: string; constants: ReadonlyMap<string, unknown> } | null = null;
  const emitLanes = () => {
    const RL = new Renderer();
    return { source: emitForward(fn, activity(fn), RL, LANES), constants: RL.constants };
  };
  return {
    fn, wrt,
    forward: { source: fwdSource, constants: R.constants },
    // The lanes functions serve Jacobians and pullbacks of several cotangents: emitted on first use.
    get forwardLanes() {
      return (lanes ??= emitLanes());
    },
    reverse: rev,
    fused,
  };
}

function load(e: Emitted): Generated & { source: string } {
  const stacks = newStacks();
  const revConstants = new Map([...e.reverse.constants, ["$S", stacks]]);
  // The lanes functions and the sparsity pass are emitted and loaded on first use.
  const once = <T>(make: () => T): (() => T) => {
    let made: T | undefined;
    return () => (made ??= make());
  };
  const forwardLanes = once(() => ({
    run: instantiate<(...args: unknown[]) => ArrayLike<unknown>>(e.forwardLanes.source, e.forwardLanes.constants),
    res: e.forwardLanes.constants.get("$res") as Float64Array,
  }));
  const reverseLanes = once(() => {
    const source = e.reverse.reverseLanes;
    return { run: instantiate<(...args: unknown[]) => void>(source, new Map([...e.reverse.constants, ["$S", stacks]])), res: e.reverse.constants.get("$resLanes") as Float64Array };
  });
  // A fused pass from its sources (the lanes sources add $resLanes to the constants as they are assembled: taken first).
  const fusedPass = (lanes: boolean, edit: (source: string) => string = (x) => x): FusedPass => {
    const f = e.fused!;
    const source = edit(lanes ? f.fusedLanes : f.fused);
    const adjoint = lanes ? f.adjointLanes : f.adjoint;
    const constants = new Map([...f.constants, ["$S", stacks]]);
    const res = f.constants.get(lanes ? "$resLanes" : "$res") as Float64Array;
    return {
      run: instantiate(source, constants), adjoint: adjoint === null ? undefined : instantiate(edit(adjoint), constants), res,
      remake: () => freshInstance(source, constants),
    };
  };
  const fusedOf = (lanes: boolean) => once(() => fusedPass(lanes));
  const fusedOne = fusedOf(false);
  const fusedLanes = fusedOf(true);
  const scatteredPasses = new Map<string, FusedPass>();
  const scattered = (lanes: number, names: readonly string[]): FusedPass => {
    const key = `${lanes}:${names.join(",")}`;
    let pass = scatteredPasses.get(key);
    if (pass === undefined) {
      pass = fusedPass(lanes !== 1, (source) => scatteredSource(source, names));
      scatteredPasses.set(key, pass);
    }
    return pass;
  };
  const passOf = (sets: boolean) => once((): PatternPass => {
    const p = emitPattern(e, sets);
    return { run: instantiate(p.source, p.constants) };
  });
  const pattern = passOf(false);
  const sets = passOf(true);
  return {
    pattern, sets,
    fn: e.fn, wrt: e.wrt, stacks,
    forwardRes: e.forward.constants.get("$res") as Float64Array,
    reverseRes: e.reverse.constants.get("$res") as Float64Array,
    localArrays: e.reverse.constants.get("$A") as (Float64Array | null)[],
    forward: instantiate(e.forward.source, e.forward.constants),
    get forwardLanesRes() {
      return forwardLanes().res;
    },
    get forwardLanes() {
      return forwardLanes().run;
    },
    sweep: freshInstance(e.reverse.sweep, revConstants),
    remakeSweep: () => freshInstance(e.reverse.sweep, revConstants),
    reverse: instantiate(e.reverse.reverse, revConstants),
    get reverseLanesRes() {
      return reverseLanes().res;
    },
    get reverseLanes() {
      return reverseLanes().run;
    },
    adjointWrites: e.reverse.writes,
    fused: e.fused === null ? undefined : {
      get one() {
        return fusedOne();
      },
      get lanes() {
        return fusedLanes();
      },
      scattered,
    },
    get source() {
      return sourceOf(e);
    },
  };
}

/**
 * The generated JavaScript as `CompiledFunction.source` shows it.
 *
 * @example
 * ```ts
 * sourceOf(emit(f, { wrt: [0] })); // forward, forward in lanes, sweep, reverse
 * ```
 */
export function sourceOf(e: Emitted): string {
  const f = e.fused;
  const fused = f === null ? "" : `\n${[f.fused, f.fusedLanes, f.adjoint, f.adjointLanes].filter((x) => x !== null).join("\n\n")}\n`;
  return `${e.forward.source}\n\n${e.forwardLanes.source}\n\n${e.reverse.sweep}\n\n${e.reverse.reverse}\n\n${e.reverse.reverseLanes}\n${fused}`;
}

/**
 * Compiles the derivatives of a plain function from its source.
 *
 * @example
 * ```ts
 * function energy(x: Float64Array, n: number): number {
 *   let e = 0;
 *   for (let i = 0; i + 1 < n; i++) {
 *     const d = x[i + 1] - x[i];
 *     e += Math.sqrt(1 + d * d);
 *   }
 *   return e;
 * }
 * const E = compile(energy, { wrt: [0] });
 * E.grad(x, x.length);            // Float64Array, reverse mode
 * E.jvp([x, x.length], [dx]);     // { value, tangent }, forward mode
 * console.log(E.source);
 * ```
 */
export function compile(f: (...args: never[]) => unknown, options: CompileOptions): CompiledFunction {
  return wrap(load(emit(f, options)), f.name);
}

/**
 * The public object around loaded generated functions (from `compile`, or
 * from code the esbuild plugin wrote into a bundle).
 *
 * @example
 * ```ts
 * wrap(generated, "energy").grad(x, n);
 * ```
 */
export function wrap(g: Generated & { source: string }, name: string): CompiledFunction {
  const f = { name };
  const scalarOut = g.fn.resultArray === null;
  const api = (name: string) => `compile(${f.name || "f"}).${name}`;
  // Names for errors, built once: a gradient call of a small f costs less than building them.
  const API = {
    grad: api("grad"), valueAndGrad: api("valueAndGrad"), valueAndGradInto: api("valueAndGradInto"), jvp: api("jvp"), vjp: api("vjp"), jacobian: api("jacobian"),
    pullback: api("pullback"), pullbacks: api("pullbacks"),
  };
  // Matrix arguments (m[i][j]) are laid out row by row for the generated code, and their gradients back as rows.
  // Without matrices the arguments pass through untouched: a gradient of a small f allocates nothing more.
  // Object arguments (p.f) pass each field as an argument of its own, and their gradients come back as objects.
  const O = objectCall(g.fn, g.wrt);
  const M = matrixCall(g.fn);
  type Shapes = Parameters<NonNullable<typeof M>["raise"]>[1];
  type Lowered = { args: unknown[]; shapes: Shapes | null };
  const defaults = g.fn.params.some((p) => p.fallback !== undefined);
  const lower = (caller: readonly unknown[], name: string): Lowered => {
    const given = defaults ? withDefaults(g.fn, caller) : caller;
    const args = O === null ? given as unknown[] : O.lower(given, name);
    checkAliasing(g.fn, args, name);
    return M === null ? { args, shapes: null } : M.lower(args, name);
  };
  const raise = (grads: unknown[], low: Lowered, kept?: readonly (Float64Array | undefined)[]) => (low.shapes === null ? grads : M!.raise(grads, low.shapes, kept));
  // One result per entry of the caller's wrt (the entry itself when there is one).
  const perWrt = (results: unknown[], blocks = false): unknown => {
    if (O === null) return shaped(g.wrt, results);
    const gathered = O.gather(results, blocks);
    return O.slots === 1 ? gathered[0] : gathered;
  };
  const intoOf = (into: unknown, name: string) => (O === null ? into : O.spreadInto(into, name));
  const gradient = (given: unknown[], name: "grad" | "valueAndGrad" | "valueAndGradInto", into?: unknown) => {
    if (!scalarOut) fail(API[name], "f returns an array, so it has no gradient", "use vjp or jacobian");
    const low = lower(given, API[name]);
    const args = low.args;
    const buffers = name === "valueAndGradInto" ? intoBuffers(g, args, intoOf(into, API[name]), API[name]) : undefined;
    const fresh = () => prepare(g, args, API[name]);
    if (g.fused !== undefined) {
      const r = runFused(g, g.fused.one, fresh, args, ONE, 1, API[name], buffers === undefined ? undefined : [buffers]);
      return { value: r.value, grads: raise(r.grads[0]!, low, buffers) };
    }
    const r = runReverse(g, fresh, args, 1, API[name], buffers);
    return { value: r.value, grads: raise(r.grads, low, buffers) };
  };
  // The pullbacks of cotangents given with the arguments: one fused pass (fused-sweep.ts) for up to
  // REVERSE_LANES of them where f has one, else a forward sweep and its adjoint sweeps, as vjp runs them.
  const pullbacksAt = (given: readonly unknown[], cts: readonly (number | Arr)[], into: readonly unknown[] | undefined, name: string): unknown[] => {
    checkPullbacksLists(cts, into, name);
    const low = lower(given, name);
    const args = low.args;
    const buffers = into?.map((b) => intoBuffers(g, args, intoOf(b, name), name, true));
    const scatters = buffers?.some((b) => b.some(isScatter)) === true;
    if (scatters && (M !== null || O !== null)) fail(name, "scatter into-entries are for array arguments, and f takes matrices or objects", "pass Float64Arrays shaped as the gradients");
    if (buffers !== undefined) checkDistinct(buffers, name);
    const fresh = () => prepare(g, args, name);
    const shapedAll = (grads: unknown[][]) => grads.map((gr, c) => perWrt(raise(gr, low, buffers?.[c] as (Float64Array | undefined)[] | undefined)));
    if (g.fused !== undefined && cts.length >= 1 && cts.length <= REVERSE_LANES && (!scatters || g.fused.scattered !== undefined)) {
      // The result's length is known once the pass has run: a cotangent of another length is refused then.
      cts.forEach((ct) => checkCotangentKind(ct, scalarOut, name));
      const lanes = cts.length === 1 ? 1 : REVERSE_LANES;
      const r = runFused(g, lanes === 1 ? g.fused.one : g.fused.lanes, fresh, args, cts, lanes, name, buffers);
      // A pass that makes no result array returns its length.
      const length = scalarOut ? null : typeof r.value === "number" ? r.value : r.value.length;
      if (length !== null) cts.forEach((ct) => checkCotangentLength(ct as Arr, length, name));
      return shapedAll(r.grads);
    }
    // Scattered gradients are written into arrays of their own here, and added in after.
    const plain = buffers?.map((b) => b.map((e) => (isScatter(e) ? undefined : e)));
    const kept = keepSweep(g, fresh, name);
    const seeds = cts.map((ct) => checkCotangent(ct, kept.value, name));
    const grads = adjointsOf(g, kept, args, seeds, name, plain);
    if (scatters) scatterAll(buffers!, grads, g.wrt.length);
    return shapedAll(grads);
  };
  const self: CompiledFunction = {
    grad: (...args) => perWrt(gradient(args, "grad").grads),
    valueAndGrad: (...args) => {
      const r = gradient(args, "valueAndGrad");
      return { value: r.value as number, grad: perWrt(r.grads) };
    },
    valueAndGradInto: (into, ...args) => {
      const r = gradient(args, "valueAndGradInto", into);
      return { value: r.value as number, grad: perWrt(r.grads) };
    },
    jvp: (given, tangents) => {
      const low = lower(given, API.jvp);
      const spread = O === null || !Array.isArray(tangents) ? tangents : O.spread(tangents, "tangent", API.jvp);
      return runForward(g, prepare(g, low.args, API.jvp), low.shapes === null ? spread : M!.lowerTangents(spread, low.shapes, API.jvp), API.jvp);
    },
    vjp: (given) => {
      const low = lower(given, API.vjp);
      const args = low.args;
      const kept = keepSweep(g, () => prepare(g, args, API.vjp), API.vjp);
      // The sweep returns a fresh copy of an array result: the caller may change its elements, not its length.
      const value = kept.value;
      return {
        value,
        pullback: (ct, into) => {
          const buffers = into === undefined ? undefined : intoBuffers(g, args, intoOf(into, API.vjp), API.vjp);
          return perWrt(raise(adjointOf(g, kept, args, checkCotangent(ct, value, API.vjp), API.vjp, buffers), low, buffers));
        },
        pullbacks: (cts, into) => {
          checkPullbacksLists(cts, into, API.vjp);
          const seeds = cts.map((ct) => checkCotangent(ct, value, API.vjp));
          const buffers = into?.map((b) => intoBuffers(g, args, intoOf(b, API.vjp), API.vjp));
          if (buffers !== undefined) checkDistinct(buffers, API.vjp);
          return adjointsOf(g, kept, args, seeds, API.vjp, buffers).map((grads, c) => perWrt(raise(grads, low, buffers?.[c])));
        },
      };
    },
    pullback: (given, ct, into) => pullbacksAt(given, [ct], into === undefined ? undefined : [into], API.pullback)[0],
    pullbacks: (given, cts, into) => pullbacksAt(given, cts, into, API.pullbacks),
    jacobian: (given, opts) => {
      checkOptionKeys(API.jacobian, opts, ["mode", "flat", "sparse", "csr"]);
      const args = lower(given, API.jacobian).args;
      const flatOnly = booleanOption(API.jacobian, "flat", opts?.flat) === true;
      const csr = booleanOption(API.jacobian, "csr", opts?.csr) === true;
      const sparse = typeof opts?.sparse === "object" ? opts.sparse : booleanOption(API.jacobian, "sparse", opts?.sparse) === true;
      if (csr && (sparse === false || flatOnly)) {
        fail(API.jacobian, csr && flatOnly ? "csr and flat ask for two different results" : "csr: true returns the entries of a sparsity pattern, and sparse is not set", flatOnly ? "pass one of them" : "pass sparse: true (or a pattern) with csr: true");
      }
      const r = jacobianOf(g, () => prepare(g, args, API.jacobian), args, opts?.mode ?? "auto", sparse, csr);
      if (csr) return r.sparse;
      const flat = r.flat!;
      if (flatOnly) return flat;
      return perWrt(splitRows(flat, r.n, r.m), true);
    },
    sparsity: (given) => {
      const args = lower(given, api("sparsity")).args;
      return sparsityFor(g, () => prepare(g, args, api("sparsity")), api("sparsity"));
    },
    explain: (given, opts) => {
      checkOptionKeys(api("explain"), opts, ["sparse"]);
      const args = lower(given, api("explain")).args;
      const sparse = booleanOption(api("explain"), "sparse", opts?.sparse) === true;
      const prepared = prepare(g, args, api("explain"));
      const pattern = sparse ? sparsityFor(g, () => prepare(g, args, api("explain")), api("explain")) : undefined;
      const value = runForward(g, prepared, zeroTangents(g, args), api("explain")).value;
      return explainOf(g, prepared, value, pattern?.colorCount, pattern === undefined ? undefined : rowColoring(pattern).colorCount);
    },
    get source() {
      return g.source;
    },
    get savedBytes() {
      return g.stacks.used;
    },
  };
  return self;
}

/** Adds each cotangent's gradients into their scatters and puts each scatter's array in its gradient's place. */
function scatterAll(buffers: readonly (Float64Array | Scatter | undefined)[][], grads: unknown[][], wrtCount: number): void {
  buffers.forEach((b, c) => {
    for (let i = 0; i < wrtCount; i++) {
      const e = b[i];
      if (!isScatter(e)) continue;
      scatterAdd(e, grads[c]![i] as ArrayLike<number>);
      grads[c]![i] = e.array;
    }
  });
}

/** The cotangents of `pullbacks` are a list, and its into, when given, has one entry per cotangent. */
function checkPullbacksLists(cts: unknown, into: unknown, api: string): asserts cts is readonly (number | Arr)[] {
  if (!Array.isArray(cts)) fail(api, `pullbacks takes an array of cotangents, got ${describe(cts)}`, "pass [ct1, ct2, ...]");
  if (into !== undefined && (!Array.isArray(into) || into.length !== cts.length)) {
    fail(api, `pullbacks' into is ${describe(into)} for ${cts.length} cotangents`, "pass one into-entry per cotangent, as pullback takes it");
  }
}

/** The one cotangent of a gradient. */
const ONE = [1] as const;

function zeroTangents(g: Generated, args: readonly unknown[]): unknown[] {
  return g.wrt.map((k) => (g.fn.params[k].array && (Array.isArray(args[k]) || args[k] instanceof Float64Array) ? new Float64Array((args[k] as Arr).length) : 0));
}

/**
 * The pullback's `into` as one entry per wrt position: a Float64Array of the
 * argument's length for an array entry, undefined for a number entry.
 */
function intoBuffers(g: Generated, args: readonly unknown[], into: unknown, api: string): (Float64Array | undefined)[];
function intoBuffers(g: Generated, args: readonly unknown[], into: unknown, api: string, scatter: true): (Float64Array | Scatter | undefined)[];
function intoBuffers(g: Generated, args: readonly unknown[], into: unknown, api: string, scatter = false): (Float64Array | Scatter | undefined)[] {
  const several = g.wrt.length > 1;
  const shape = several ? "an array with one entry per wrt argument (a Float64Array for an array, null for a number)" : "a Float64Array of the argument's length";
  if (several && !Array.isArray(into)) fail(api, `into is ${describe(into)}`, `pass ${shape}`);
  const entries: unknown[] = several ? (into as unknown[]) : [into];
  if (entries.length !== g.wrt.length) fail(api, `into has ${entries.length} entries for ${g.wrt.length} wrt arguments`, `pass ${shape}`);
  return g.wrt.map((k, i) => {
    const b = entries[i];
    if (!g.fn.params[k].array) {
      if (b !== null && b !== undefined) fail(api, `into entry ${i} is ${describe(b)}, but argument ${k} is a number`, "pass null there: a number's gradient is returned, not written");
      return undefined;
    }
    if (scatter && isScatter(b)) return checkScatter(g.fn, args, b, k, i, api);
    const length = (args[k] as Arr).length;
    if (!(b instanceof Float64Array) || b.length !== length) {
      fail(api, `into entry ${i} is ${describe(b)} for argument ${k} of length ${length}`, `pass a Float64Array of length ${length} (new Float64Array(${length}))`);
    }
    // The adjoint sweep reads the arguments while it writes the gradients: they must not share memory.
    if (args.some((a) => a instanceof Float64Array && a.buffer === b.buffer) || entries.some((c, j) => j !== i && c instanceof Float64Array && c.buffer === b.buffer)) {
      fail(api, `into entry ${i} shares its memory with an argument or another entry`, "pass a separate Float64Array for each gradient");
    }
    return b;
  });
}

/**
 * Every buffer of a pullbacks call is its own memory: lanes write their
 * gradients at the same time. (Scatters may share theirs: their entries
 * add up. But not with a buffer, which is zeroed whole.)
 */
function checkDistinct(buffers: readonly (Float64Array | Scatter | undefined)[][], api: string): void {
  const seen = new Set<ArrayBufferLike>();
  for (const b of buffers.flat()) {
    if (b === undefined || isScatter(b)) continue;
    if (seen.has(b.buffer)) fail(api, "two into-entries of pullbacks share their memory", "pass a separate Float64Array for each cotangent's gradient");
    seen.add(b.buffer);
  }
  for (const b of buffers.flat()) {
    if (isScatter(b) && seen.has(b.array.buffer)) fail(api, "a scatter's array shares its memory with a Float64Array into-entry", "scatter both gradients, or pass separate memory");
  }
}

/** A number cotangent for a number result, an array for an array result (its length is checked once the result is known). */
function checkCotangentKind(ct: unknown, scalarOut: boolean, api: string): void {
  if (scalarOut && typeof ct !== "number") fail(api, `the cotangent is ${describe(ct)} for a number result`, "pass a number");
  if (!scalarOut && !(Array.isArray(ct) || ct instanceof Float64Array)) fail(api, `the cotangent is ${describe(ct)} for an array result`, "pass an array of the result's length");
}

/** An array cotangent of the result's length. */
function checkCotangentLength(ct: Arr, length: number, api: string): void {
  if (ct.length !== length) fail(api, `the cotangent is ${describe(ct)} for a result of length ${length}`, `pass an array of length ${length}`);
}

function checkCotangent(ct: unknown, value: number | Float64Array, api: string): number | Arr {
  if (typeof value === "number") {
    if (typeof ct !== "number") fail(api, `the cotangent is ${describe(ct)} for a number result`, "pass a number");
    return ct;
  }
  if (!(Array.isArray(ct) || ct instanceof Float64Array) || ct.length !== value.length) {
    fail(api, `the cotangent is ${describe(ct)} for a result of length ${value.length}`, `pass an array of length ${value.length}`);
  }
  return ct;
}
