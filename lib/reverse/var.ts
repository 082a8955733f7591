/**
 * Reverse mode: a Var is a handle to a node on a tape (plus its value).
 * Handles are small and short-lived; the graph itself lives in the tape's
 * typed arrays, never in per-node objects.
 */
import { Lifted, primal, type Value } from "../registry/lifted.ts";
import { apply, type Op } from "../registry/op.ts";
import { installOpMethods } from "../registry/methods.ts";
import { formatNumber, printsAs } from "../tensor/format.ts";
import { Tensor } from "../tensor/tensor.ts";
import { fail, GraphError, TypeMismatchError, describe } from "../errors.ts";
import type { Tape, Hook } from "./tape.ts";
import { isRecordingAt, notReplayable } from "./recording.ts";
import { resolveHandle } from "./tape-merge.ts";
import { escaped, freed } from "./graph-errors.ts";
import type { BackwardOptions } from "./backward.ts";

/** How `Var.backward` runs; backward.ts installs it when it loads (the sweep sits above Var). */
type BackwardFn = (y: Var, seed: Value | undefined, options: BackwardOptions) => void;
let backwardImpl: BackwardFn | null = null;

/**
 * Installs the implementation of `Var.backward` (called once by backward.ts).
 *
 * @example
 * ```ts
 * provideBackward(backwardFrom);
 * ```
 */
export function provideBackward(fn: BackwardFn): void {
  backwardImpl = fn;
}

/**
 * The type of a leaf's gradient for a value of type V: a number for a
 * number leaf, a Tensor for a Tensor leaf, or a Var of that value after a
 * `backward({ createGraph: true })` (a gradient that can be differentiated
 * again), so user code narrows with `instanceof` instead of casting.
 *
 * @example
 * ```ts
 * const w = variable(zeros([2]));
 * const g: Tensor | Var | null = w.grad; // GradOfValue<Tensor> is Tensor | Var
 * ```
 */
export type GradOfValue<V> = V extends number ? number | Var<number> : V extends Tensor ? Tensor | Var<Tensor> : Value;

/**
 * A value recorded on a tape.
 *
 * @example
 * ```ts
 * const x = variable(3);
 * const y = f(x);        // any function built from dualtape ops
 * y.backward();
 * x.grad;                // dy/dx
 * ```
 */
export class Var<V extends Value = Value> extends Lifted<Var> {
  readonly value: V;
  /** The tape this Var is recorded on; null when it does not require grad (moves when imperative tapes merge). */
  tape: Tape | null;
  /** Node number on the tape in generation `gen`. */
  id: number;
  gen: number;
  /** Leaves are created by `variable` or a transform; they re-register on a new tape generation. */
  readonly leaf: boolean;
  /** Accumulated gradient (leaves only); null until a backward reaches this Var. */
  grad: GradOfValue<V> | null = null;
  /** Hooks of a leaf, kept across tape generations. */
  leafHooks: Hook[] | null = null;

  constructor(value: V, tape: Tape | null, id: number, gen: number, leaf: boolean) {
    super();
    this.value = value;
    this.tape = tape;
    this.id = id;
    this.gen = gen;
    this.leaf = leaf;
  }

  get level(): number {
    return this.tape === null ? -1 : this.tape.level;
  }

  /** Whether gradients flow to this Var. */
  get requiresGrad(): boolean {
    return this.tape !== null;
  }

  /** True for Vars made by `variable` (or a transform) and for Vars that do not require grad. */
  get isLeaf(): boolean {
    return this.leaf || this.tape === null;
  }

  /** Name of the op that produced this Var; null for leaves. */
  get gradFn(): string | null {
    if (this.isLeaf) return null;
    resolveHandle(this);
    const tape = this.tape!;
    if (this.gen !== tape.gen || tape.isFreed(this.id)) return "<freed>";
    return tape.opName(this.id);
  }

  applyOp(op: Op, args: Value[], params: unknown): Value {
    let tape = this.tape;
    if (tape === null || !isRecordingAt(tape.level)) return untracked(op, args, params, tape);
    if (!tape.open || spansTapes(tape, args)) tape = reopen(tape, args);
    const n = args.length;
    const vals = new Array<Value>(n);
    const nodes = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const a = args[i];
      if (a instanceof Var && (a.tape === null || a.tape.level === tape.level)) {
        vals[i] = a.value;
        nodes[i] = a.tape === null ? -1 : tape.nodeOf(a);
      } else {
        vals[i] = a;
        nodes[i] = -1;
      }
    }
    const out = apply(op, vals, params);
    const id = tape.record(op, nodes, vals, out, params);
    return new Var(out, tape, id, tape.gen, false);
  }

  override applyUnary(op: Op, x: Value): Value {
    const tape = this.tape;
    const k = op.kernel;
    const v = this.value;
    // Fast path only for a handle of the tape's current generation: a stale, escaped or merged-away one goes through applyOp.
    if (tape !== null && k !== null && typeof v === "number" && this.gen === tape.gen && isRecordingAt(tape.level) && k(v, 0, res)) {
      return new Var(res[0], tape, tape.push1(op.id, this.id, res[1]), tape.gen, false);
    }
    return this.applyOp(op, [x], undefined);
  }

  override applyBinary(op: Op, x: Value, y: Value): Value {
    const tape = this.tape;
    const k = op.kernel;
    if (tape === null || k === null || this.gen !== tape.gen || !isRecordingAt(tape.level)) return this.applyOp(op, [x, y], undefined);
    let xv = x;
    let yv = y;
    let nx = -1;
    let ny = -1;
    if (x instanceof Var && (x.tape === tape || x.tape === null)) {
      xv = x.value;
      if (x.tape !== null) nx = x.gen === tape.gen ? x.id : tape.nodeOf(x);
    }
    if (y instanceof Var && (y.tape === tape || y.tape === null)) {
      yv = y.value;
      if (y.tape !== null) ny = y.gen === tape.gen ? y.id : tape.nodeOf(y);
    }
    if (typeof xv === "number" && typeof yv === "number" && k(xv, yv, res)) {
      return new Var(res[0], tape, tape.push2(op.id, nx, ny, res[1], res[2], xv, yv), tape.gen, false);
    }
    return this.applyOp(op, [x, y], undefined);
  }

  /**
   * Accumulates d(this)/d(leaf) into every leaf's `.grad`. A non-scalar Var
   * needs a `seed` of its shape (the vector in the vector-Jacobian product).
   * The graph is freed afterwards unless `retainGraph` (or `createGraph`) is set.
   *
   * @example
   * ```ts
   * const x = variable(2);
   * const y = f(x);
   * y.backward();                         // x.grad = f'(2)
   * y.backward(1, { retainGraph: true }); // would throw: the graph was freed
   * ```
   */
  backward(seed?: Value, options: BackwardOptions = {}): void {
    if (backwardImpl === null) fail("backward", "the backward pass is not loaded", "import dualtape from its package entry point", GraphError);
    backwardImpl(this, seed, options);
  }

  /**
   * The same value, cut off from the graph (requires no grad): the
   * reverse-mode spelling of `stopGradient`, so it cuts every nesting level
   * (a Var whose value is a Dual of an enclosing transform comes back with
   * the plain value underneath).
   *
   * @example
   * ```ts
   * const u = g(x).detach(); // gradients do not flow through u
   * ```
   */
  detach(): Var {
    notReplayable();
    return new Var(primal(this.value), null, -1, 0, true);
  }

  /**
   * Resets the accumulated gradient to zero (of the value's shape).
   *
   * @example
   * ```ts
   * x.zeroGrad(); // x.grad is 0 again
   * ```
   */
  zeroGrad(): void {
    if (this.grad === null) return;
    const v = this.value;
    // Seen as a Var of any value: the zero has the value's kind, which is what GradOfValue<V> says.
    (this as Var).grad = v instanceof Tensor ? new Tensor(new Float64Array(v.size), v.shape) : 0;
  }

  /**
   * Calls `hook(grad)` when the backward pass reaches this Var, before the
   * gradient flows further; a returned value replaces the gradient.
   *
   * @example
   * ```ts
   * const h = y.registerHook((g) => console.info("dz/dy", g));
   * z.backward();
   * h.remove();
   * ```
   */
  registerHook(hook: Hook): { remove(): void } {
    if (typeof hook !== "function") {
      fail("registerHook", `expected a function, got ${describe(hook)}`, "pass (grad) => newGrad | undefined", TypeMismatchError);
    }
    const tape = this.tape;
    notReplayable();
    if (tape === null) {
      fail("registerHook", "this Var does not require grad, so no gradient will reach it", "create it with variable(value) (requiresGrad true)", GraphError);
    }
    resolveHandle(this);
    if (tape.owner === null && (this.gen !== tape.gen || this.gen < tape.firstGen)) escaped(tape);
    let list: Hook[];
    if (this.leaf) {
      if (this.leafHooks === null) this.leafHooks = [];
      list = this.leafHooks;
      list.push(hook);
      if (this.gen === this.tape!.gen) this.tape!.hooksMap().set(this.id, list);
    } else {
      const t = this.tape!;
      if (this.gen !== t.gen || t.isFreed(this.id)) freed("registerHook");
      list = t.addHook(this.id, hook);
    }
    return { remove: () => void removeFrom(list, hook) };
  }

  protected override get kindName(): string {
    return "Var";
  }

  /**
   * A short readable summary, also what Node's `util.inspect` shows: the value (a
   * Tensor value with its shape and a few elements), then `gradFn` for a
   * computed Var, `grad` for a leaf that has one, `requiresGrad=false` for a
   * Var that records nothing. The tape behind it is not printed.
   *
   * @example
   * ```ts
   * const x = variable(2);
   * String(x);                                      // "Var(2)"
   * String(variable(1, { requiresGrad: false }));   // "Var(1, requiresGrad=false)"
   * ```
   */
  override toString(): string {
    const parts = [typeof this.value === "number" ? formatNumber(this.value) : String(this.value)];
    const fn = this.gradFn;
    if (fn !== null) parts.push(`gradFn=${fn}`);
    else if (!this.requiresGrad) parts.push("requiresGrad=false");
    else if (this.grad !== null) parts.push(`grad=${typeof this.grad === "number" ? formatNumber(this.grad) : String(this.grad)}`);
    return `Var(${parts.join(", ")})`;
  }
}

installOpMethods(Var.prototype);
printsAs(Var);

/** Kernel results [value, partial0, partial1], reused by every scalar record (read before the next kernel call). */
const res = new Float64Array(3);

function removeFrom(list: Hook[], hook: Hook): void {
  const k = list.indexOf(hook);
  if (k >= 0) list.splice(k, 1);
}

/** Evaluates without recording: Vars of `tape`'s level and no-grad Vars become their values; the result requires no grad. */
function untracked(op: Op, args: Value[], params: unknown, tape: Tape | null): Value {
  const vals = args.map((a) => (a instanceof Var && (a.tape === null || (tape !== null && a.tape.level === tape.level)) ? a.value : a));
  return new Var(apply(op, vals, params), null, -1, 0, true);
}

/** True when an argument is a Var of the same level on another tape (two imperative graphs meeting). */
function spansTapes(tape: Tape, args: Value[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a instanceof Var && a.tape !== null && a.tape !== tape && a.tape.level === tape.level) return true;
  }
  return false;
}

/** The tape to record on when `tape` is closed or the arguments span tapes: the owner's open one; a finished transform's tape refuses. */
function reopen(tape: Tape, args: Value[]): Tape {
  if (tape.owner === null) return escaped(tape);
  return tape.owner.gather(args);
}
