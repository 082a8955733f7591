/**
 * Batched values: a level whose value holds a whole batch of examples on
 * its first axis, so one call of an op serves every example (vmap, and
 * forward mode's multi-lane tangents through structural ops).
 *
 * Design: Batched is a third Lifted kind beside Dual and Var, with its own
 * level, so it nests with them and with itself exactly as they nest with
 * each other: the highest-level operand handles an op and treats the others
 * as constants. Its value may be a plain Tensor or a lower-level Dual/Var
 * (grad of vmap); a Dual/Var may hold a Batched value (vmap of grad). Shape
 * checks see one example (`exampleShape`), the batch axis being hidden.
 *
 * Elementwise ops need nothing per op: batched operands are padded with
 * unit axes after the batch axis so they broadcast against the others.
 * Structural ops use the `batch` rule of their declaration; an op declared
 * without one (a custom structural op) runs example by example and the
 * results are stacked. Alternatives rejected: rewriting every rule for a
 * leading lane axis (a second copy of each rule), and looping over examples
 * for every op (what the fallback does, k times the calls).
 */
import { Lifted, exampleShape, primal, type Value } from "./lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { apply, G, type Op } from "./op.ts";
import { installOpMethods } from "./methods.ts";
import { fail, PerturbationError } from "../errors.ts";

/** Whether the call that made a batch is still running (a vmap closes it when it returns). */
export interface BatchScope {
  active: boolean;
}

/** The scope of batches made inside the library (lanes, jacrev rows), which never reach user code. */
const INTERNAL: BatchScope = { active: true };

/**
 * A batch of `size` examples at one level; `value` holds them on axis 0.
 *
 * @example
 * ```ts
 * const b = new Batched(tensor([[1, 2], [3, 4]]), 2, nextLevel());
 * exampleShape(b); // [2]: one example is a vector of 2
 * ```
 */
export class Batched extends Lifted<Batched> {
  readonly value: Value;
  /** Number of examples. */
  readonly size: number;
  private readonly lvl: number;
  /** Closed once the vmap call that made this batch has returned. */
  readonly scope: BatchScope;

  constructor(value: Value, size: number, level: number, scope: BatchScope = INTERNAL) {
    super();
    this.value = value;
    this.size = size;
    this.lvl = level;
    this.scope = scope;
  }

  get level(): number {
    return this.lvl;
  }

  override get hiddenAxes(): number {
    return super.hiddenAxes + 1;
  }

  applyOp(op: Op, args: Value[], params: unknown): Value {
    if (!this.scope.active) {
      fail("vmap", "a batched value made inside a vmap call was used after that call returned",
        "do not let values escape the function passed to vmap; return them as its result instead", PerturbationError);
    }
    return applyBatched(this.lvl, this.size, op, args, params, this.scope);
  }

  protected override get kindName(): string {
    return "batched value";
  }

  override toString(): string {
    return `Batched(${String(this.value)})`;
  }
}

installOpMethods(Batched.prototype);

/**
 * Applies `op` once to operands of which some are batches at `level`.
 *
 * @example
 * ```ts
 * applyBatched(b.level, b.size, findOp("sin"), [b], undefined); // Batched sin of every example
 * ```
 */
export function applyBatched(level: number, size: number, op: Op, args: Value[], params: unknown, scope: BatchScope = INTERNAL): Value {
  const n = args.length;
  const vals = new Array<Value>(n);
  const batched = new Array<boolean>(n);
  for (let i = 0; i < n; i++) {
    const a = args[i];
    const mine = a instanceof Batched && a.level === level;
    if (mine && a.size !== size) {
      fail(op.name, `batches of ${size} and ${a.size} examples met`, "map over axes of one extent (check vmap's inAxes)", PerturbationError);
    }
    vals[i] = mine ? a.value : a;
    batched[i] = mine;
  }
  return new Batched(batchedValue(op, vals, batched, size, params), size, level, scope);
}

function batchedValue(op: Op, vals: Value[], batched: boolean[], size: number, params: unknown): Value {
  if (op.elementwise !== null) return apply(op, padForBroadcast(vals, batched), params);
  const rule = op.structural?.batch;
  if (rule !== undefined) return rule(vals, batched, size, params);
  return perExample(op, vals, batched, size, params);
}

/** Batched operands as [B, 1, ..., 1, ...example] so every operand broadcasts per example. */
function padForBroadcast(vals: Value[], batched: boolean[]): Value[] {
  let rank = 0;
  for (let i = 0; i < vals.length; i++) {
    const r = exampleShape(vals[i]).length - (batched[i] ? 1 : 0);
    if (r > rank) rank = r;
  }
  return vals.map((v, i) => {
    if (!batched[i]) return v;
    const s = exampleShape(v);
    if (s.length - 1 === rank) return v;
    return G.reshape(v, [s[0], ...new Array<number>(rank - s.length + 1).fill(1), ...s.slice(1)]);
  });
}

/** The fallback for a structural op without a batch rule: one call per example, stacked. */
function perExample(op: Op, vals: Value[], batched: boolean[], size: number, params: unknown): Value {
  const outs: Value[] = [];
  for (let b = 0; b < size; b++) {
    outs.push(apply(op, vals.map((v, i) => (batched[i] ? G.index(v, b) : v)), params));
  }
  return G.stack(outs, 0);
}

/**
 * Wraps `value` (batch on axis 0) as a batch at `level`.
 *
 * @example
 * ```ts
 * batchOf(tensor([[1, 2], [3, 4]]), nextLevel()).size; // 2
 * ```
 */
export function batchOf(value: Value, level: number, scope: BatchScope = INTERNAL): Batched {
  const s = exampleShape(value);
  if (s.length === 0) fail("vmap", "a scalar cannot carry a batch axis", "map over an axis of a Tensor (or pass null in inAxes)", PerturbationError);
  return new Batched(value, s[0], level, scope);
}

/**
 * The batch of `v` at `level` with the batch axis first: its value if `v`
 * is a batch of that level, else `v` repeated `size` times (a value that
 * does not depend on the batch).
 *
 * @example
 * ```ts
 * unbatch(3, level, 2); // Tensor [3, 3]
 * ```
 */
export function unbatch(v: Value, level: number, size: number): Value {
  if (v instanceof Batched && v.level === level) return v.value;
  if (v instanceof Lifted && v.level > level) {
    fail("vmap", "a value of a transform started inside the mapped function escaped it", "return plain results from inner transforms", PerturbationError);
  }
  const s = exampleShape(v);
  return G.broadcastTo(G.reshape(v, [1, ...s]), [size, ...s]);
}

/**
 * Plain data computed from `primal(like)` (a mask, a shift, tie weights)
 * given the batch levels `like` sits under, so rules that read values
 * (under grad of vmap, vmap of grad) hand each example its own slice.
 * Without batch levels below `like`, the data itself.
 *
 * @example
 * ```ts
 * wrapLike(x, new Tensor(weights, primal(x).shape)); // weights as batches of x's levels
 * ```
 */
export function wrapLike(like: Value, data: number | Tensor): Value {
  const chain: Batched[] = [];
  for (let v: Value = like; v instanceof Lifted; v = v.value) if (v instanceof Batched) chain.push(v);
  let out: Value = data;
  for (let k = chain.length - 1; k >= 0; k--) out = new Batched(out, chain[k].size, chain[k].level, chain[k].scope);
  return out;
}

/**
 * The primal of `x` and an axis along which one example's `axis` lies
 * (null: all of one example's axes, flattened into one): what a rule that
 * reads values reduces along, batch axes kept apart.
 *
 * @example
 * ```ts
 * examplesAlong(x, null); // { t: primal(x) as [batch, exampleSize], axis: 1 } under one vmap
 * ```
 */
export function examplesAlong(x: Value, axis: number | null): { t: Tensor; axis: number | null } {
  const p = primal(x);
  const t = typeof p === "number" ? new Tensor(Float64Array.of(p), []) : p;
  const h = x instanceof Lifted ? x.hiddenAxes : 0;
  if (h === 0) return { t, axis };
  if (axis !== null) return { t, axis: axis + h };
  const lead = t.shape.slice(0, h);
  const outer = lead.reduce((a, b) => a * b, 1);
  return { t: new Tensor(t.data, [outer, t.size / outer]), axis: 1 };
}
