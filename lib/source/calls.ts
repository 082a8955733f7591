/**
 * Calling the generated functions: checks the arguments against the
 * parameters, copies the arrays the function writes (derivative calls leave
 * their arguments as they found them), allocates adjoint arrays, and shapes
 * the results (one entry per `wrt` index, the entry itself when there is one).
 */
import type { Fn } from "./ir.ts";
import { fail, describe } from "./registry.ts";
import { overflowed, type Stacks } from "./runtime.ts";
import { numberArray } from "../tensor/number-array.ts";
import type { AdjointWrites } from "./assemble-reverse.ts";
import { isScatter, type Scatter } from "./scatter-into.ts";

/**
 * The sparsity pass (`forwardPattern`, see emitForwardPattern): the forward
 * code with masks of directions for tangents.
 *
 * @example
 * ```ts
 * const pass: PatternPass = g.pattern!();
 * pass.run(x, n, masks); // [value, mask] for a number result, [result, masks] for an array result
 * ```
 */
export interface PatternPass {
  run: (...args: unknown[]) => ArrayLike<unknown>;
}

/** The generated functions with their buffers. */
export interface Generated {
  fn: Fn;
  wrt: readonly number[];
  forward: (...args: unknown[]) => ArrayLike<unknown>;
  forwardRes: Float64Array;
  /** Forward mode in LANES directions per pass (for Jacobians by columns); see emitForward. */
  forwardLanes: (...args: unknown[]) => ArrayLike<unknown>;
  forwardLanesRes: Float64Array;
  /** The sparsity pass (see emitForwardPattern), loaded on first use; absent in bundles written before it existed. */
  pattern?: () => PatternPass;
  /** The sparsity pass with sets of columns for tangents, emitted on first use (absent in precompiled code, which then takes mask passes). */
  sets?: () => PatternPass;
  /** The forward sweep of reverse mode: returns the value and leaves the stacks for `reverse`. */
  sweep: (...args: unknown[]) => number | Float64Array;
  /** A fresh instance of `sweep` (absent for precompiled code, which cannot generate one). */
  remakeSweep?: () => (...args: unknown[]) => number | Float64Array;
  reverse: (...args: unknown[]) => void;
  reverseRes: Float64Array;
  /** The adjoint sweep for REVERSE_LANES cotangents at once (absent in bundles written before it existed). */
  reverseLanes?: (...args: unknown[]) => void;
  reverseLanesRes?: Float64Array;
  /** The local arrays the forward sweep hands to the adjoint sweep (`$A`). */
  localArrays: (Float64Array | null)[];
  /**
   * The fused reverse pass (fused-sweep.ts) for one cotangent and for
   * REVERSE_LANES, each loaded on first use; absent when f has none (or the
   * bundle was written before it existed).
   */
  fused?: {
    readonly one: FusedPass;
    readonly lanes: FusedPass;
    /**
     * The pass for one cotangent (lanes 1) or REVERSE_LANES, with the
     * adjoint arrays `names` written through positions (scatter-into.ts),
     * made on first use; absent where code cannot be generated.
     */
    scattered?: (lanes: number, names: readonly string[]) => FusedPass;
  };
  /** The arrays the adjoint sweep writes elements of (absent: any of them may be written). */
  adjointWrites?: AdjointWrites;
  stacks: Stacks;
}

/**
 * One loaded fused function and the buffer its number parameters' adjoints
 * go to; with `adjoint`, the function that finishes the pass (the adjoint
 * of what comes before the loop), called right after with the same arguments.
 */
export interface FusedPass {
  run: (...args: unknown[]) => number | Float64Array;
  adjoint?: (...args: unknown[]) => void;
  res: Float64Array;
  /** A fresh instance of `run`, with V8 feedback of its own (absent for precompiled code): see runSweep. */
  remake?: () => (...args: unknown[]) => number | Float64Array;
}

type NumArray = number[] | Float64Array;
const isArrayLike = (v: unknown): v is NumArray => Array.isArray(v) || v instanceof Float64Array;

/**
 * What every call needs to know about the parameters, worked out once per
 * compiled function: a call to a small compiled gradient costs a few
 * hundred nanoseconds, so per-call closures, maps and searches would
 * dominate it.
 */
export interface CallShape {
  /** Per parameter: indexed as an array. */
  array: boolean[];
  /** Per parameter: an array f writes into (copied before each derivative call). */
  copy: boolean[];
  /** Parameters whose adjoint arrays the reverse function takes, in its argument order. */
  adjointParams: number[];
  /** The forward function's tangent arguments, in its (parameter) order, as indices into `wrt`. */
  tangentOrder: number[];
}

const shapes = new WeakMap<Fn, CallShape>();

/**
 * The call shape of a compiled function (worked out on first use).
 *
 * @example
 * ```ts
 * shapeOf(g.fn).copy; // [true, false]: f writes into its first argument
 * ```
 */
export function shapeOf(fn: Fn): CallShape {
  let s = shapes.get(fn);
  if (s === undefined) {
    s = {
      array: fn.params.map((p) => p.array),
      copy: fn.params.map((p) => p.array && fn.writtenParams.includes(p.name)),
      adjointParams: fn.params.flatMap((p, k) => (p.array && p.wrt >= 0 ? [k] : [])),
      tangentOrder: fn.params.flatMap((p) => (p.wrt >= 0 ? [p.wrt] : [])),
    };
    shapes.set(fn, s);
  }
  return s;
}

/**
 * The caller's arguments with each one left out (or undefined) that has a
 * number as its default in f's text replaced by that number, as
 * JavaScript does; the same array when none is.
 *
 * @example
 * ```ts
 * withDefaults(fn, [x]); // [x, 2] for f(x, k = 2)
 * ```
 */
export function withDefaults(fn: Fn, args: readonly unknown[]): readonly unknown[] {
  let out: unknown[] | null = null;
  fn.params.forEach((p, k) => {
    if (p.fallback === undefined || args[k] !== undefined) return;
    out ??= args.slice();
    while (out.length < k) out.push(undefined);
    out[k] = p.fallback;
  });
  return out ?? args;
}

/**
 * The arguments checked and ready for a generated function.
 *
 * @example
 * ```ts
 * prepare(g, [x, n], "grad"); // [copy of x if f writes it, n]
 * ```
 */
export function prepare(g: Generated, args: readonly unknown[], api: string): unknown[] {
  const ps = g.fn.params;
  if (args.length !== ps.length) fail(api, `got ${args.length} argument${args.length === 1 ? "" : "s"} for ${ps.length} parameters`, `pass ${ps.map((p) => p.name).join(", ")}`);
  const shape = shapeOf(g.fn);
  const out = new Array<unknown>(ps.length);
  for (let k = 0; k < ps.length; k++) {
    const a = args[k];
    if (shape.array[k]) {
      if (!isArrayLike(a)) fail(api, `argument ${k} ('${ps[k].name}') is ${describe(a)}, but f indexes it`, "pass a number[] or Float64Array");
      out[k] = shape.copy[k] ? Float64Array.from(a) : a;
    } else {
      if (typeof a !== "number" && typeof a !== "boolean") fail(api, `argument ${k} ('${ps[k].name}') is ${describe(a)}, not a number`, "pass a number");
      out[k] = a;
    }
  }
  return out;
}

/** An adjoint array in the kind of the argument (number[] for a number[]). */
function like(arg: unknown, adj: Float64Array): NumArray {
  return Array.isArray(arg) ? numberArray(adj) : adj;
}

/**
 * Runs the forward sweep of reverse mode on fresh arguments (twice when the
 * stacks had to grow); returns the value and the arguments as the sweep left them.
 *
 * @example
 * ```ts
 * const { value, prepared } = runSweep(g, () => prepare(g, args, "grad"), "grad");
 * ```
 */
export function runSweep(g: Generated, fresh: () => unknown[], api: string): { value: number | Float64Array; prepared: unknown[] } {
  let prepared = fresh();
  g.stacks.owner = null;
  let value = g.sweep(...prepared);
  // The sweep ran past its stacks: they have grown to fit, so run it again on fresh arguments.
  if (overflowed(g.stacks)) {
    // The dropped pushes taught V8 that the sweep's stores may fall outside their array, and it
    // keeps compiling them for that (llsq's gradient measured about 25% slower for good): a fresh
    // instance of the same source starts with clean feedback.
    if (g.remakeSweep !== undefined) g.sweep = g.remakeSweep();
    prepared = fresh();
    value = g.sweep(...prepared);
  }
  checkWide(g, api);
  return { value, prepared };
}

/** Buffers to write gradients into: per seed, one entry per wrt position (undefined: a fresh array; a scatter only for fused passes). */
type Into = readonly (readonly (Float64Array | Scatter | undefined)[] | undefined)[];

/**
 * Runs the adjoint sweep after `runSweep` with cotangent `seed`; returns
 * one gradient per `wrt` entry, in the kind of its argument. An array
 * entry with a buffer in `into` (by wrt position, checked by the caller)
 * is written there, in place of a fresh array: large reverse passes run
 * again and again then allocate nothing as large as their inputs.
 *
 * @example
 * ```ts
 * runAdjoint(g, prepared, args, 1); // [Float64Array]
 * runAdjoint(g, prepared, args, 1, [gx]); // [gx], overwritten
 * ```
 */
export function runAdjoint(g: Generated, prepared: readonly unknown[], original: readonly unknown[], seed: number | NumArray, into?: readonly (Float64Array | undefined)[]): unknown[] {
  const lanesInto = into === undefined ? undefined : [into];
  const call = adjointArguments(g, prepared, 1, lanesInto);
  call.push(seed);
  g.reverse(...call);
  return gradientsOf(g, g.reverseRes, call, prepared.length, original, 0, 1, lanesInto);
}

/**
 * Runs the adjoint sweep once for up to `lanes` cotangents (`reverseLanes`):
 * one gradient list per seed, as `runAdjoint` returns for one. Lanes past
 * the last seed run on a zero cotangent and are dropped. `into[s]`, when
 * given, holds seed s's buffers as `runAdjoint` takes them.
 *
 * @example
 * ```ts
 * runAdjointLanes(g, prepared, args, [row0, row1], REVERSE_LANES); // [[Float64Array], [Float64Array]]
 * ```
 */
export function runAdjointLanes(g: Generated, prepared: readonly unknown[], original: readonly unknown[], seeds: readonly (number | NumArray)[], lanes: number, into?: Into): unknown[][] {
  const call = adjointArguments(g, prepared, lanes, into);
  for (let l = 0; l < lanes; l++) call.push(l < seeds.length ? seeds[l] : zeroLike(seeds[0]!));
  g.reverseLanes!(...call);
  return seeds.map((_, l) => gradientsOf(g, g.reverseLanesRes!, call, prepared.length, original, l, lanes, into));
}

/**
 * The arguments of an adjoint sweep of `lanes` lanes, but for the seeds:
 * the function's arguments, then each array in wrt's adjoint per lane
 * (lanes adjacent, in parameter order), from `into` or fresh.
 */
function adjointArguments(g: Generated, prepared: readonly unknown[], lanes: number, into: Into | undefined): unknown[] {
  const shape = shapeOf(g.fn);
  const call = prepared.slice();
  for (const k of shape.adjointParams) {
    const length = (prepared[k] as NumArray).length;
    for (let l = 0; l < lanes; l++) {
      const buffer = into?.[l]?.[g.fn.params[k].wrt];
      // A scatter's gradient is added to what its array holds.
      if (isScatter(buffer)) call.push(buffer.array);
      else call.push(buffer === undefined ? new Float64Array(length) : buffer.fill(0));
    }
  }
  return call;
}

/** Lane `lane`'s gradients after the sweep: number parameters' from `res[k * lanes + lane]`, arrays' from the call. */
function gradientsOf(g: Generated, res: Float64Array, call: readonly unknown[], argCount: number, original: readonly unknown[], lane: number, lanes: number, into: Into | undefined): unknown[] {
  const shape = shapeOf(g.fn);
  const grads = new Array<unknown>(g.wrt.length);
  for (let i = 0; i < g.wrt.length; i++) {
    const k = g.wrt[i];
    if (!shape.array[k]) {
      grads[i] = res[k * lanes + lane];
      continue;
    }
    const adjoint = call[argCount + shape.adjointParams.indexOf(k) * lanes + lane] as Float64Array;
    grads[i] = into?.[lane]?.[i] !== undefined ? adjoint : like(original[k], adjoint);
  }
  return grads;
}

/** A zero cotangent of the same kind as `seed`, for a lane no seed fills. */
function zeroLike(seed: number | NumArray): number | Float64Array {
  return typeof seed === "number" ? 0 : new Float64Array(seed.length);
}

/**
 * Runs a fused reverse pass (see fused-sweep.ts) for up to `lanes`
 * cotangents given at once, on fresh arguments (twice when the stacks had
 * to grow); returns the value and one gradient list per seed, as
 * `runAdjointLanes` does (`into` likewise).
 *
 * @example
 * ```ts
 * runFused(g, g.fused!.one, () => prepare(g, args, "grad"), args, [1], 1, "grad"); // { value, grads: [[Float64Array]] }
 * ```
 */
export function runFused(g: Generated, pass: FusedPass, fresh: () => unknown[], original: readonly unknown[], seeds: readonly (number | NumArray)[], lanes: number, api: string, into?: Into): { value: number | Float64Array; grads: unknown[][] } {
  // Scattered gradients are written through their positions, which the pass takes after the seeds
  // (looked for only where into is given: a gradient of a small f costs less than the search).
  const scattered: string[] = [];
  const positions: Int32Array[] = [];
  if (into !== undefined) {
    for (const k of shapeOf(g.fn).adjointParams) {
      for (let l = 0; l < lanes; l++) {
        const b = into[l]?.[g.fn.params[k].wrt];
        if (isScatter(b)) { scattered.push(lanes === 1 ? `${g.fn.params[k].name}$b` : `${g.fn.params[k].name}$b${l}`); positions.push(b.at); }
      }
    }
  }
  const chosen = scattered.length > 0 ? g.fused!.scattered!(lanes, scattered) : pass;
  const run = () => {
    const prepared = fresh();
    const call = adjointArguments(g, prepared, lanes, into);
    for (let l = 0; l < lanes; l++) call.push(l < seeds.length ? seeds[l] : zeroLike(seeds[0]!));
    for (const at of positions) call.push(at);
    return { prepared, call, value: chosen.run(...call) };
  };
  // The pass takes the stacks: a kept sweep (vjp) sweeps again before its next pullback.
  g.stacks.owner = null;
  let r = run();
  // The pass ran past its stacks: they have grown to fit, so run it again on fresh arguments and buffers,
  // as a fresh instance (the dropped pushes would leave V8 compiling every store for them, see runSweep).
  if (overflowed(g.stacks)) {
    if (chosen.remake !== undefined) chosen.run = chosen.remake();
    r = run();
  }
  checkWide(g, api);
  chosen.adjoint?.(...r.call);
  return { value: r.value, grads: seeds.map((_, l) => gradientsOf(g, chosen.res, r.call, r.prepared.length, original, l, lanes, into)) };
}

function checkWide(g: Generated, api: string): void {
  if (g.stacks.wide !== 0) {
    fail(api, "an integer local of f left the 32-bit range (|value| >= 2^31) that reverse mode saves integers in",
      "keep integer counters and indices below 2^31, or use jvp (forward mode saves nothing)");
  }
}

/**
 * Runs both sweeps of reverse mode with cotangent `seed`; returns the value
 * and one gradient per `wrt` entry (array ones written into `into`'s
 * buffers where given, as `runAdjoint` takes them).
 *
 * @example
 * ```ts
 * runReverse(g, () => prepare(g, args, "grad"), args, 1, "grad"); // { value: 3, grads: [Float64Array] }
 * ```
 */
export function runReverse(g: Generated, fresh: () => unknown[], original: readonly unknown[], seed: number | NumArray, api: string, into?: readonly (Float64Array | undefined)[]): { value: number | Float64Array; grads: unknown[] } {
  const { value, prepared } = runSweep(g, fresh, api);
  return { value, grads: runAdjoint(g, prepared, original, seed, into) };
}

/**
 * Runs the forward function with one tangent per `wrt` entry.
 *
 * @example
 * ```ts
 * runForward(g, prepared, [dx], "jvp"); // { value, tangent }
 * ```
 */
export function runForward(g: Generated, prepared: unknown[], tangents: readonly unknown[], api: string): { value: number | Float64Array; tangent: number | Float64Array } {
  if (!Array.isArray(tangents) || tangents.length !== g.wrt.length) {
    fail(api, `got ${Array.isArray(tangents) ? tangents.length : describe(tangents)} tangents for ${g.wrt.length} wrt entries`, "pass one tangent per wrt entry, in wrt order");
  }
  const shape = shapeOf(g.fn);
  for (let i = 0; i < g.wrt.length; i++) {
    const k = g.wrt[i];
    const t = tangents[i];
    if (shape.array[k] ? !isArrayLike(t) || t.length !== (prepared[k] as NumArray).length : typeof t !== "number") {
      const p = g.fn.params[k];
      fail(api, `tangent ${i} is ${describe(t)}, but '${p.name}' is ${p.array ? `an array of length ${(prepared[k] as NumArray).length}` : "a number"}`, "give each tangent the kind and length of its argument");
    }
  }
  const call = prepared.slice();
  // The tangent of an array f writes into is written too: the caller's array is left as it was.
  for (const i of shape.tangentOrder) call.push(shape.copy[g.wrt[i]] ? Float64Array.from(tangents[i] as NumArray) : tangents[i]);
  const r = g.forward(...call);
  if (g.fn.resultArray === null) return { value: r[0] as number, tangent: r[1] as number };
  return { value: r[0] as Float64Array, tangent: r[1] as Float64Array };
}

/**
 * One cotangent's gradients (one per wrt entry: a number, or an array of
 * n[i] values) laid out along the Jacobian's columns, written into `out`
 * from `at`: a row of the flat Jacobian.
 *
 * @example
 * ```ts
 * writeFlat([2, Float64Array.of(3, 4)], [1, 2], out, 0); // out[0..2] = 2, 3, 4
 * ```
 */
export function writeFlat(grads: readonly unknown[], n: readonly number[], out: Float64Array, at: number): void {
  grads.forEach((gk, i) => {
    if (typeof gk === "number") out[at++] = gk;
    else for (let j = 0; j < n[i]; j++) out[at++] = (gk as NumArray)[j];
  });
}

/**
 * The gradient result for `wrt`: the entry itself when there is one.
 *
 * @example
 * ```ts
 * shaped([0], [g]) === g;        // one wrt entry
 * shaped([0, 2], [g0, g2]);        // [g0, g2]
 * ```
 */
export function shaped(wrt: readonly number[], grads: unknown[]): unknown {
  return wrt.length === 1 ? grads[0] : grads;
}
