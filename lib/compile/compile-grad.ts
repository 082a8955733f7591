/**
 * Compiled gradients: record f once per input shape, then answer every
 * later call by replaying the recording at the new inputs (values and local
 * partials recomputed in place by the registry-generated interpreter) and
 * one backward sweep. Nothing is recorded and no Var is allocated per call.
 *
 * Correct for programs whose sequence of operations does not depend on the
 * input values. Choices made inside ops (the larger of two values, a kink at
 * zero, a selection by a recorded condition...) are re-evaluated on every replay. Branches written
 * with the guarded comparisons (gt, lt, ...) are checked after each replay,
 * and a flipped comparison records f again. A branch on a raw `.value` read
 * cannot be seen: write it with a guarded comparison. Values f reads from
 * outside its input (closure variables, Tensors) are frozen into the
 * recording, as in any tracing compiler; a Dual or Var from outside is
 * refused, since it would silently go stale.
 */
import { evaluatePlain } from "../registry/op.ts";
import { Lifted, primal, type Value } from "../registry/lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { recordPartials } from "../reverse/pullback.ts";
import { replayer } from "./replay.ts";
import { compareNumbers, type Comparison } from "./compare.ts";
import { scalarOutput, splitInput, shapeOf, type Output, type TracedArg, type InputFor, type LikeInput } from "../structure/structure.ts";
import { fail, describe, TypeMismatchError, GraphError } from "../errors.ts";
import { Tape } from "../reverse/tape.ts";
import { LEAF_OBJ, EXT } from "../reverse/entry-layout.ts";
import { Var } from "../reverse/var.ts";
import { trace, outputNode, outputValue, inputCotangents, type Trace } from "../reverse/trace.ts";
import type { Adjoints } from "../reverse/sweep.ts";
import { recordingWith, type Recording } from "../reverse/recording.ts";
import { valueAndGrad as plainValueAndGrad } from "../reverse/grad.ts";
import { join } from "../structure/structure.ts";
import { planTensorProgram, type TensorPlan } from "./plan.ts";

/** A comparison seen while recording: operand nodes (-1 for a constant) or constant values, and its outcome. */
interface Guard {
  kind: Comparison;
  na: number;
  ca: number;
  nb: number;
  cb: number;
  outcome: boolean;
}

/** One recording of f, kept per input shape. */
interface Compiled {
  tape: Tape;
  tr: Trace;
  /** Output node, or -1 when f does not depend on its input. */
  out: number;
  /** f's value when it was recorded. */
  recordedValue: Value;
  vals: Float64Array;
  guards: Guard[];
  /** Adjoint storage reused by every sweep of this recording. */
  scratch: Adjoints;
  /** False when f used detach, noGrad or a hook: each call then records f again. */
  replayable: boolean;
  /** The compiled tensor program (fused loops, pooled buffers) when f takes a Tensor and the planner handles every entry; else null. */
  plan: TensorPlan | null;
  /** Cuts taken by stopGradient: the cut's node (a leaf of the tape, in increasing order) to the node whose value it copies. */
  stops: Map<number, number>;
}

/**
 * Options of `compileGrad`.
 *
 * @example
 * ```ts
 * const options: CompileGradOptions = { cacheSize: 4 };
 * compileGrad(f, options); // keeps the recordings of the 4 input shapes used last
 * ```
 */
export interface CompileGradOptions {
  /**
   * How many recordings (one per input shape) to keep; the least recently
   * used is dropped beyond it. Default 16.
   */
  cacheSize?: number;
}

/** Recordings kept per compiled gradient unless `cacheSize` says otherwise. */
export const DEFAULT_CACHE_SIZE = 16;

/**
 * A compiled gradient: call it like `grad(f)`.
 *
 * @example
 * ```ts
 * const g: CompiledGradient<Lifted[]> = compileGrad((x: Lifted[]) => mul(x[0]!, x[1]!));
 * g([2, 3]);                    // [3, 2]: recorded
 * g.valueAndGrad([4, 5]);       // { value: 20, grad: [5, 4] }: replayed
 * g.recordings;                 // 1
 * ```
 */
export interface CompiledGradient<P> {
  (x: InputFor<P>): LikeInput<P>;
  /** The value and the gradient in one call. */
  valueAndGrad(x: InputFor<P>): { value: Value; grad: LikeInput<P> };
  /** How many times f has been recorded (first call, new shapes, flipped guards). */
  readonly recordings: number;
  /** Entries in the current recording. */
  readonly entries: number;
  /** Recordings held now (at most the cache size). */
  readonly cached: number;
  /** The current recording's compiled tensor program, or null when calls replay through the interpreter. */
  readonly plan: TensorPlan | null;
}

function scalarOperand(tape: Tape, v: Value): { node: number; value: number } {
  if (v instanceof Var && v.tape === tape && v.gen === tape.gen) return { node: tape.nodeOf(v), value: scalar(v.value) };
  return { node: -1, value: scalar(v) };
}

/**
 * stopGradient of a value of this recording: a new leaf of the tape (the
 * sweep passes nothing back from a leaf) remembered in `stops` as a copy of
 * its source, so replays and the plan recompute it. Null for anything else
 * (a Var of another tape, nested values): the recording is then not replayable.
 */
function cutOn(tape: Tape, stops: Map<number, number>): (x: Value) => Value | null {
  return (x) => {
    if (!(x instanceof Var) || x.tape !== tape || x.gen !== tape.gen) return null;
    const v = x.value;
    if (typeof v !== "number" && !(v instanceof Tensor)) return null;
    const src = tape.nodeOf(x);
    const cut = new Var(v, tape, -1, tape.gen, true);
    stops.set(tape.registerLeaf(cut), src);
    return cut;
  };
}

/** A recording that collects the guarded comparisons on `tape`'s values into `guards` and its stopGradient cuts into `stops`. */
function guardRecording(tape: Tape, guards: Guard[], stops: Map<number, number>): Recording {
  return {
    replayable: true,
    stop: cutOn(tape, stops),
    observe: (kind, a, b, outcome) => {
      const x = scalarOperand(tape, a);
      const y = scalarOperand(tape, b);
      if (x.node < 0 && y.node < 0) return;
      guards.push({ kind, na: x.node, ca: x.value, nb: y.node, cb: y.value, outcome });
    },
  };
}

function record(f: (x: never) => Output, x: unknown): Compiled {
  const tape = Tape.forTransform("compileGrad");
  const guards: Guard[] = [];
  const stops = new Map<number, number>();
  try {
    const { result: tr, replayable } = recordingWith(guardRecording(tape, guards, stops), () => trace("compileGrad", tape, f, x));
    const y = scalarOutput("compileGrad", tr.out.array ? tr.out.items : tr.out.items[0]);
    const out = outputNode(tape, y, "compileGrad");
    refuseOuterValues(tape);
    freezeConstants(tape);
    const size = out + 1;
    const scratch: Adjoints = { num: new Float64Array(size), extra: new Map(), reached: new Uint8Array(size) };
    const plan = replayable ? tensorPlan(tape, tr, out, guards, stops) : null;
    return { tape, tr, out, recordedValue: outputValue(tape, y), vals: new Float64Array(tape.length), guards, scratch, replayable, plan, stops };
  } finally {
    // Replays do not record: a Var of this recording used later has escaped it.
    tape.seal();
  }
}

/** The tensor plan, for a function of at least one Tensor whose output depends on its input. */
function tensorPlan(tape: Tape, tr: Trace, out: number, guards: readonly Guard[], stops: ReadonlyMap<number, number>): TensorPlan | null {
  if (out < 0 || !tr.inp.items.some((v) => v instanceof Tensor)) return null;
  const keep = new Set<number>();
  for (const g of guards) for (const n of [g.na, g.nb]) if (n >= 0) keep.add(n);
  return planTensorProgram(tape, tr.leaves.map((l) => l.id), out, keep, stops);
}

/** Runs the plan at `x`; null when a guarded comparison flipped (f must be recorded again). */
function runPlan(r: Compiled, plan: TensorPlan, x: unknown): { value: Value; grad: unknown } | null {
  plan.forward(splitInput("compileGrad", x).items);
  if (!guardsHold(r, (n) => scalar(plan.valueOf(n)))) return null;
  const v = plan.valueOf(r.out);
  // A Tensor value views a pooled buffer that the next call overwrites: hand out a copy.
  const value = v instanceof Tensor ? new Tensor(v.data.slice(), v.shape) : v;
  return { value, grad: join(r.tr.inp, plan.backward()) };
}

/**
 * A Dual or Var that f reads from outside its input (a parameter of the
 * imperative workflow, a value of an enclosing transform) would be frozen
 * into the recording while it keeps changing (or expires) outside: refuse it.
 */
function refuseOuterValues(tape: Tape): void {
  for (const [i, e] of tape.ext) {
    if (e.op === null) continue;
    e.vals.forEach((v, k) => {
      if (e.nodes[k] < 0 && v instanceof Lifted) {
        fail("compileGrad", `f uses a Dual or Var that is not part of its input (argument ${k + 1} of '${e.op!.name}' at entry %${i})`,
          "pass every value that changes between calls inside x, or use grad(f), which records each call", GraphError);
      }
    });
  }
}

/**
 * The README promises that Tensors f reads from outside its input are frozen
 * into the recording. A replay re-reads each entry's constant arguments, so
 * without a copy an in-place write to such a Tensor after recording would
 * reach the replay in some entries (those that take it as an argument) but
 * not in others (values computed from it alone at recording time): a mix of
 * old and new values.
 */
function freezeConstants(tape: Tape): void {
  for (const e of tape.ext.values()) {
    if (e.op === null) continue;
    for (let k = 0; k < e.vals.length; k++) {
      const v = e.vals[k];
      if (e.nodes[k] < 0 && v instanceof Tensor) e.vals[k] = new Tensor(v.data.slice(), v.shape.slice());
    }
  }
}

function nodeValue(r: Compiled, n: number): Value {
  return r.tape.valueAt(n, r.vals);
}

/** Re-evaluates an entry the interpreter does not handle (tensor and structural ops, nested values). */
function replayGeneric(r: Compiled, i: number): void {
  const { tape } = r;
  const c = tape.codeAt(i);
  if (c === LEAF_OBJ) return;
  if (c !== EXT) {
    fail("compileGrad", `entry %${i} (${tape.opName(i)}) has partials that are not plain numbers at these inputs`, "use grad(f) for this function", GraphError);
  }
  const e = tape.ext.get(i)!;
  const args = e.nodes.map((n, k) => (n >= 0 ? nodeValue(r, n) : e.vals[k]));
  const out = evaluatePlain(e.op!, args as (number | Tensor)[], e.params);
  tape.replaceExtended(i, args, out, recordPartials(e.op!, args, out));
  if (typeof out === "number") r.vals[i] = out;
}

function setLeaves(r: Compiled, x: unknown): void {
  const items = splitInput("compileGrad", x).items;
  r.tr.leaves.forEach((leaf, k) => {
    const v = items[k];
    if (typeof v === "number") r.vals[leaf.id] = v;
    r.tape.setLeafValue(leaf.id, v);
  });
}

/** A stopGradient cut takes its source's new value (the source comes before it on the tape). */
function replayCut(r: Compiled, i: number, src: number): void {
  const v = nodeValue(r, src);
  if (typeof v === "number") r.vals[i] = v;
  r.tape.setLeafValue(i, v);
}

function replay(r: Compiled, x: unknown): boolean {
  setLeaves(r, x);
  const { tape } = r;
  const run = replayer();
  const n = tape.length;
  const cuts = [...r.stops];
  let c = 0;
  for (let i = 0; i < n; ) {
    const to = c < cuts.length ? cuts[c][0] : n;
    if (i === to) {
      replayCut(r, i++, cuts[c++][1]);
      continue;
    }
    i = tape.replayScalars(run, r.vals, i, to);
    if (i < to) replayGeneric(r, i++);
  }
  return guardsHold(r, (n) => scalar(nodeValue(r, n)));
}

function guardsHold(r: Compiled, valueAt: (node: number) => number): boolean {
  return r.guards.every((g) => {
    const a = g.na >= 0 ? valueAt(g.na) : g.ca;
    const b = g.nb >= 0 ? valueAt(g.nb) : g.cb;
    return compareNumbers(g.kind, a, b) === g.outcome;
  });
}

function scalar(v: Value): number {
  const p = primal(v);
  return typeof p === "number" ? p : p.data[0];
}

function checkOptions(options: unknown): number {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    fail("compileGrad", `options is ${describe(options)}`, "pass an object such as { cacheSize: 4 }, or leave it out", TypeMismatchError);
  }
  for (const key of Object.keys(options)) {
    if (key !== "cacheSize") fail("compileGrad", `unknown option '${key}'`, "the only option is cacheSize", TypeMismatchError);
  }
  const size = (options as CompileGradOptions).cacheSize ?? DEFAULT_CACHE_SIZE;
  if (!Number.isInteger(size) || size < 1) {
    fail("compileGrad", `cacheSize is ${describe(size)}`, "pass a positive integer (the number of input shapes to keep recordings for)", TypeMismatchError);
  }
  return size;
}

/** A map that keeps its `size` most recently used entries. */
function lruCache<V>(size: number): { get(key: string): V | undefined; set(key: string, v: V): void; readonly count: number } {
  const map = new Map<string, V>();
  return {
    get(key) {
      const v = map.get(key);
      if (v !== undefined) { map.delete(key); map.set(key, v); }
      return v;
    },
    set(key, v) {
      map.delete(key);
      map.set(key, v);
      if (map.size > size) map.delete(map.keys().next().value as string);
    },
    get count() {
      return map.size;
    },
  };
}

/**
 * The recording key: the input's structure (for nested arrays and objects,
 * their keys too: the gradient is rebuilt in the recorded structure) and each
 * item's kind and shape (a number and a 0-d Tensor record apart).
 */
function shapeKey(x: unknown): string {
  const inp = splitInput("compileGrad", x);
  const structure = inp.tree ? JSON.stringify(inp.def) : inp.array ? "a" : "o";
  return `${structure}:${inp.items.map((v) => `${typeof v === "number" ? "n" : "t"}${shapeOf(v).join("x")}`).join(",")}`;
}

function seedFor(v: Value): Value {
  const p = primal(v);
  return typeof p === "number" ? 1 : new Tensor(new Float64Array([1]), p.shape);
}

/**
 * Compiles the gradient of a scalar f: the first call (per input shape)
 * records f, later calls replay the recording. Use the guarded comparisons
 * (gt, lt, ...) for any branch on input-dependent values. Recordings are
 * kept for the `cacheSize` (default 16) most recently used input shapes.
 *
 * @example
 * ```ts
 * const g = compileGrad((x: Lifted[]) => f(x)); // f built from dualtape ops
 * g([1, 2]); // records, then sweeps
 * g([3, 4]); // replays: no recording
 * ```
 */
export function compileGrad<P extends TracedArg = Lifted>(f: (x: P) => Output, options: CompileGradOptions = {}): CompiledGradient<P> {
  if (typeof f !== "function") fail("compileGrad", `expected a function, got ${describe(f)}`, "pass (x) => scalar", TypeMismatchError);
  const byShape = lruCache<Compiled>(checkOptions(options));
  const fn = f as (x: never) => Output;
  let recordings = 0;
  let last: Compiled | null = null;
  const uncompiled = plainValueAndGrad(f);
  const valueAndGrad = (x: InputFor<P>): { value: Value; grad: LikeInput<P> } => {
    // Inside another transform the input carries derivatives of its own: record every call, as grad does.
    if (splitInput("compileGrad", x).items.some((v) => v instanceof Lifted)) return uncompiled(x);
    const key = shapeKey(x);
    let r = byShape.get(key);
    let value: Value;
    if (r !== undefined && r.replayable && r.plan !== null) {
      const done = runPlan(r, r.plan, x);
      if (done !== null) {
        last = r;
        return { value: done.value, grad: done.grad as LikeInput<P> };
      }
    }
    if (r !== undefined && r.replayable && r.plan === null && replay(r, x)) {
      value = r.out >= 0 ? nodeValue(r, r.out) : r.recordedValue;
    } else {
      r = record(fn, x);
      recordings++;
      byShape.set(key, r);
      value = r.recordedValue;
    }
    last = r;
    const grad = inputCotangents(r.tape, r.tr, [r.out], [seedFor(value)], r.scratch) as LikeInput<P>;
    return { value, grad };
  };
  const compiled = ((x: InputFor<P>) => valueAndGrad(x).grad) as CompiledGradient<P>;
  Object.defineProperties(compiled, {
    valueAndGrad: { value: valueAndGrad },
    recordings: { get: () => recordings },
    entries: { get: () => (last === null ? 0 : (last as Compiled).tape.length) },
    cached: { get: () => byShape.count },
    plan: { get: () => (last === null ? null : (last as Compiled).plan) },
  });
  return compiled;
}

