/**
 * The reverse-mode tape.
 *
 * Design: entries live in typed arrays, one entry per recorded op, entry i
 * defining node i (layout in entry-layout.ts). A scalar entry stores two
 * operand indices and the two local partials computed at record time from
 * the registry's rules, plus a 16-bit op code: 26 bytes per binary op. The
 * backward sweep is then one loop `adj[a] += pa * adj[i]; adj[b] += pb *
 * adj[i]` with no per-op code (ReverseDiff's cached-partials tape).
 *
 * Entries that are not scalar-by-scalar (tensor ops, ops on nested Duals,
 * structural ops, ternary ops) are "extended": their operands, values and
 * cached partials sit in a Map beside the arrays, and the sweep hands them to
 * the registry-derived pullback.
 *
 * Alternatives rejected: one JS object per node with a backward closure
 * (~130 B per node, GC-bound, and a second copy of every rule), and a
 * separate tape kind for tensors (mixed scalar/tensor programs are common).
 *
 * Generations: `gen` increases whenever the tape is cleared. A Var handle
 * from an older generation is stale: an imperative leaf re-registers itself
 * on next use, any other imperative value is recorded as a dead node that
 * backward refuses to cross, and a transform's value is refused as escaped.
 *
 * Lifetime: a transform's tape lives for one call; imperative graphs live
 * on several tapes of one owner (imperative.ts states the rule).
 */
import { opById, type Op, type PartialList } from "../registry/op.ts";
import type { Value } from "../registry/lifted.ts";
import { recordPartials, numericPartials } from "./pullback.ts";
import { nextLevel } from "../registry/level.ts";
import type { Var } from "./var.ts";
import { versionsOf } from "./versions.ts";
import { formatTape } from "./tape-format.ts";
import { absorbInto, resolveHandle } from "./tape-merge.ts";
import { escaped } from "./graph-errors.ts";
import { TapeArrays } from "./tape-arrays.ts";
import { leafVersion } from "./leaf-version.ts";
import {
  LEAF, LEAF_OBJ, EXT, DEAD, FIRST_OP, FREED_BIT, UNARY, encodeUnary, encodeBinary, scalarOpId, type EntryArrays, type ExtEntry,
} from "./entry-layout.ts";
import { fail, describe, DomainError } from "../errors.ts";

/** The largest initial capacity accepted (entries; the tape still grows past it by doubling). */
const MAX_CAPACITY = 2 ** 26;

function checkCapacity(capacity: unknown): number {
  if (typeof capacity !== "number" || !Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY) {
    fail("Tape", `the capacity ${describe(capacity)} is not an integer in 1..${MAX_CAPACITY}`, "leave it out (the tape grows as needed)", DomainError);
  }
  return capacity;
}

export type { ExtEntry };

/** The `params` of a dead node left by `retireLeaf`. */
const MODIFIED_LEAF = Symbol("modified leaf");

/**
 * A gradient hook: sees the cotangent reaching a node and may return a replacement.
 *
 * @example
 * ```ts
 * const x = variable(1.5);
 * const hook: Hook = (g) => { console.info("gradient reaching x:", String(g)); };
 * x.registerHook(hook);
 * f(x).backward(); // prints f'(1.5), which x.grad then holds
 * ```
 */
export type Hook = (grad: Value) => Value | void;


/** What owns a family of imperative tapes (imperative.ts): it hands out the open one. */
export interface TapeOwner {
  /** Brings every Var of the family in `args` onto the open tape (merging tapes if needed) and returns it. */
  gather(args: readonly Value[]): Tape;
  /** Called when `tape` outgrew the size at which the owner starts a new tape for new graphs. */
  crowded(tape: Tape): void;
  /** Called after a backward on `tape` that recorded nothing. */
  settle(tape: Tape): void;
}

/**
 * A tape that outgrew this many entries (26 MB) gives its arrays back when
 * it is cleared: one large graph should not pin its memory for the rest of
 * the program. Later graphs grow again from the initial capacity.
 */
export const RELEASE_ENTRIES = 1 << 20;
const INITIAL = 1024;

/**
 * A growable tape of recorded operations.
 *
 * @example
 * ```ts
 * const tape = new Tape();
 * tape.length; // 0
 * ```
 */
export class Tape extends TapeArrays {
  level: number;
  gen = 0;
  readonly ext = new Map<number, ExtEntry>();
  /** Leaves registered in this generation, with their nodes (a leaf may sit on several live tapes). */
  leaves: Var[] = [];
  leafNodes: number[] = [];
  /** The leaf's value version when it registered (imperative tapes; 0 on a transform's tape). */
  leafVersions: number[] = [];
  /** Leaf to node, built on first lookup (for leaves registered on a tape that is not their home). */
  leafIndex: Map<Var, number> | null = null;
  hooks: Map<number, Hook[]> | null = null;
  /** Recorded (non-leaf, non-dead) entries not yet freed by a backward; the tape clears itself at 0. */
  live = 0;
  /** True while a function transform (grad, jacrev, vjp, compileGrad, ...) owns this tape. */
  transform = false;
  /** The transform that records on this tape (for messages). */
  api = "grad";
  /** False once the tape takes no new entries: a finished transform, or an imperative tape merged into another. */
  open = true;
  /** Leaves register here, and ops on leaves alone record here (a transform's tape; the current imperative tape). */
  leafHome = true;
  /** First generation of the current transform call: handles from before it escaped an earlier call. */
  firstGen = 0;
  /** The owner of an imperative tape; null for a transform's tape. */
  owner: TapeOwner | null = null;
  /** Set once this tape was merged into another: handles move there, node ids shifted by `shift`. */
  into: Tape | null = null;
  shift = 0;
  /** The generation of `into` at the merge, and this tape's own generation then (valid handles carry it). */
  intoGen = 0;
  fromGen = 0;
  /** Extended entries at which an imperative tape next tells its owner it is crowded. */
  crowdAt = CROWDED_EXTENDED;

  constructor(capacity = 256) {
    super(checkCapacity(capacity));
    this.level = nextLevel();
  }

  /**
   * A tape for one call of the function transform `api` (named in its errors).
   *
   * @example
   * ```ts
   * const tape = Tape.forTransform("vjp");
   * ```
   */
  static forTransform(api: string, capacity = 1024): Tape {
    const tape = new Tape(capacity);
    tape.transform = true;
    tape.api = api;
    return tape;
  }

  /** The slow path of a push: grow, and tell an owner that this tape became large. */
  private full(): void {
    this.reserve(1);
    if (this.owner !== null && this.a.length > CROWDED_ENTRIES) this.owner.crowded(this);
  }

  private slot(code: number): number {
    if (this.len === this.a.length) this.full();
    if (code === EXT) {
      this.live++;
      // Extended entries hold saved tensors: an owner hears of every doubling of their count.
      if (this.owner !== null && this.ext.size >= this.crowdAt) {
        this.crowdAt *= 2;
        this.owner.crowded(this);
      }
    }
    const i = this.len++;
    this.code[i] = code;
    this.a[i] = -1;
    this.b[i] = UNARY;
    this.pa[i] = 0;
    this.pb[i] = 0;
    return i;
  }

  /**
   * Registers a leaf Var in this generation and returns its node. The Var
   * points at its registration only on a tape that is home to leaves (a
   * transform's tape, the current imperative tape), so a leaf never keeps an
   * older imperative tape alive.
   */
  registerLeaf(v: Var): number {
    const value = v.value;
    const e: ExtEntry | null = typeof value === "number" ? null
      : { op: null, nodes: [], vals: [], out: value, cache: null, params: undefined, versions: null };
    const i = this.slot(e === null ? LEAF : LEAF_OBJ);
    if (e === null) this.pa[i] = value as number;
    else this.ext.set(i, e);
    if (this.leafHome) {
      v.tape = this;
      v.id = i;
      v.gen = this.gen;
    }
    this.leaves.push(v);
    this.leafNodes.push(i);
    this.leafVersions.push(this.owner === null ? 0 : leafVersion(v));
    this.leafIndex?.set(v, i);
    if (v.leafHooks !== null) this.hooksMap().set(i, v.leafHooks);
    return i;
  }

  /** Records a value whose graph was freed: backward refuses to pass through it. */
  registerDead(value: Value): number {
    const e: ExtEntry = { op: null, nodes: [], vals: [], out: value, cache: null, params: undefined, versions: null };
    const i = this.slot(DEAD);
    this.ext.set(i, e);
    return i;
  }

  /**
   * A leaf of this generation is about to get a new value (an optimiser
   * step): its node becomes a dead node that remembers why, and the leaf
   * registers afresh on its next use. Entries recorded before the change
   * cached partials at the old value while a differentiable sweep would
   * replay the new one; a backward that reaches the old node is refused
   * instead (the counterpart of the version check on Tensors written in place).
   */
  retireLeaf(v: Var): void {
    if (v.tape !== this || v.gen !== this.gen) return;
    const i = v.id;
    this.code[i] = DEAD;
    this.ext.set(i, { op: null, nodes: [], vals: [], out: v.value, cache: null, params: MODIFIED_LEAF, versions: null });
    this.hooks?.delete(i);
    v.gen = -1;
  }

  /** True when node i is a leaf retired by `retireLeaf` (its value changed after entries used it). */
  isModifiedLeaf(i: number): boolean {
    return this.codeAt(i) === DEAD && this.ext.get(i)?.params === MODIFIED_LEAF;
  }

  /** The node of `v` (a Var of this tape's family) in the current generation. */
  nodeOf(v: Var): number {
    if (v.tape === this && v.gen === this.gen) return v.id;
    if (v.tape !== null && v.tape.into !== null) {
      resolveHandle(v);
      if (v.tape === this && v.gen === this.gen) return v.id;
    }
    if (this.owner === null && (v.tape !== this || v.gen < this.firstGen)) escaped(v.tape ?? this);
    if (!v.leaf) return this.registerDead(v.value);
    const n = this.leafHome ? -1 : this.leafNode(v);
    return n >= 0 ? n : this.registerLeaf(v);
  }

  /** The node of leaf `v` on this tape, or -1 when it is not registered in this generation. */
  leafNode(v: Var): number {
    if (v.tape === this && v.gen === this.gen) return v.id;
    if (this.leafIndex === null) {
      this.leafIndex = new Map();
      this.leaves.forEach((l, k) => this.leafIndex!.set(l, this.leafNodes[k]));
    }
    return this.leafIndex.get(v) ?? -1;
  }

  /**
   * Records `out = op(vals)`; `nodes[k]` is the node of argument k, or
   * -1 for a constant argument. Returns the new node. Everything that can
   * throw runs before the entry is taken, so a failure leaves no half entry.
   */
  record(op: Op, nodes: number[], vals: Value[], out: Value, params: unknown): number {
    if (op.elementwise !== null && typeof out === "number" && vals.length <= 2) {
      const v0 = vals[0];
      const v1 = vals.length === 2 ? vals[1] : 0;
      if (typeof v0 === "number" && typeof v1 === "number") {
        return this.recordScalar(op, nodes, vals as number[], numericPartials(op, vals as number[], out));
      }
    }
    const e: ExtEntry = { op, nodes, vals, out, cache: recordPartials(op, vals, out), params, versions: versionsOf(vals, out) };
    const i = this.slot(EXT);
    this.ext.set(i, e);
    return i;
  }

  private recordScalar(op: Op, nodes: number[], vals: number[], parts: PartialList): number {
    const p0 = (parts[0] as number | null) ?? 0;
    if (vals.length === 1) return this.push1(op.id, nodes[0], p0);
    return this.push2(op.id, nodes[0], nodes[1], p0, (parts[1] as number | null) ?? 0, vals[0], vals[1]);
  }

  /** Appends a scalar entry of a unary op with operand node `na` and partial `p`. */
  push1(opId: number, na: number, p: number): number {
    if (this.len === this.a.length) this.full();
    this.live++;
    const i = this.len++;
    encodeUnary(this, i, opId, na, p);
    return i;
  }

  /**
   * Appends a scalar entry of a binary op. `na`/`nb` are operand nodes (-1
   * for a constant), `p0`/`p1` the partials, `x`/`y` the argument values.
   */
  push2(opId: number, na: number, nb: number, p0: number, p1: number, x: number, y: number): number {
    if (this.len === this.a.length) this.full();
    this.live++;
    const i = this.len++;
    encodeBinary(this, i, opId, na, nb, p0, p1, x, y);
    return i;
  }

  /**
   * After a backward without retainGraph: marks the reached entries freed, and
   * clears the whole tape once no recorded entry is left unfreed (so separate
   * graphs on one tape can each be run backward once, as in PyTorch).
   */
  free(reached: Uint8Array): void {
    const code = this.code;
    const n = reached.length < this.len ? reached.length : this.len;
    for (let i = 0; i < n; i++) {
      const c = code[i];
      if (reached[i] === 1 && (c === EXT || c >= FIRST_OP) && c < FREED_BIT) {
        code[i] = c | FREED_BIT;
        this.live--;
      }
    }
    if (this.live <= 0) this.clear();
  }

  /** True when node i's value (and so its adjoint) is a plain number. */
  isNumericNode(i: number): boolean {
    const c = this.codeAt(i);
    if (c >= FIRST_OP || c === LEAF) return true;
    return typeof this.ext.get(i)!.out === "number";
  }

  /** The op name that produced node i, or null for leaves. */
  opName(i: number): string | null {
    const id = scalarOpId(this.code[i]);
    if (id >= 0) return opById(id).name;
    if (this.codeAt(i) === EXT) return this.ext.get(i)!.op!.name;
    return null;
  }

  /** The value of node i: scalar entries from `vals` (values replayed elsewhere), leaves and extended entries from the tape. */
  valueAt(i: number, vals: Float64Array): Value {
    const c = this.codeAt(i);
    return c >= FIRST_OP || c === LEAF ? vals[i] : this.ext.get(i)!.out;
  }

  /**
   * Runs a replay interpreter over entries [from, to): it recomputes scalar
   * entries' values into `vals` and their partials in place, returning the
   * first entry it did not handle.
   */
  replayScalars(run: (t: EntryArrays, vals: Float64Array, from: number, to: number) => number, vals: Float64Array, from: number, to: number): number {
    return run(this, vals, from, to);
  }

  /** Sets the value of leaf node i (a compiled gradient's new input, an optimiser's update). */
  setLeafValue(i: number, value: Value): void {
    if (this.codeAt(i) === LEAF && typeof value === "number") this.pa[i] = value;
    else this.ext.get(i)!.out = value;
  }

  /** Replaces the arguments, output and cached partials of extended entry i (a compiled gradient's replay). */
  replaceExtended(i: number, vals: Value[], out: Value, cache: PartialList | null): void {
    const e = this.ext.get(i)!;
    e.vals = vals;
    e.out = out;
    e.cache = cache;
    e.versions = null;
  }

  /** Adds a hook on node i. */
  addHook(i: number, hook: Hook): Hook[] {
    const map = this.hooksMap();
    let list = map.get(i);
    if (list === undefined) map.set(i, (list = []));
    list.push(hook);
    return list;
  }

  hooksMap(): Map<number, Hook[]> {
    if (this.hooks === null) this.hooks = new Map();
    return this.hooks;
  }

  /** Forgets every entry: handles of this generation become stale. A retired or oversized tape gives its arrays back. */
  clear(): void {
    this.gen++;
    this.len = 0;
    this.live = 0;
    this.ext.clear();
    this.leaves = [];
    this.leafNodes = [];
    this.leafVersions = [];
    this.leafIndex = null;
    this.hooks = null;
    this.crowdAt = CROWDED_EXTENDED;
    // A retired imperative tape takes no new graph: nothing will use its arrays again.
    if (this.owner !== null && !this.leafHome) this.resize(0);
    else if (this.a.length > RELEASE_ENTRIES) this.resize(INITIAL);
  }

  /**
   * Ends recording on this tape (a finished transform): the generation moves
   * on, so its Var handles leave the fast paths and are refused as escaped,
   * while the entries stay for sweeps.
   */
  seal(): void {
    this.open = false;
    this.gen++;
  }

  /** Moves every entry of `src` (an imperative tape of the same owner) to the end of this tape; `src` forwards its handles here. */
  absorb(src: Tape): void {
    absorbInto(this, src);
  }

  /**
   * One numbered line per entry with its op and operands, for debugging.
   *
   * @example
   * ```ts
   * console.info(tape.toString());
   * // %0 = leaf 2
   * // %1 = <op>(%0, %0)   partials 2, 2
   * ```
   */
  override toString(): string {
    return formatTape(this);
  }
}

/** An imperative tape past this capacity (1.7 MB) makes its owner start new graphs on a fresh tape. */
export const CROWDED_ENTRIES = 1 << 16;
/** Likewise past this many extended entries (their saved tensors, not the arrays, dominate). */
export const CROWDED_EXTENDED = 1 << 10;

