/**
 * The reverse-mode tape.
 *
 * Design: entries live in typed arrays, one entry per recorded op, entry i
 * defining node i. A scalar entry stores two operand indices (Int32) and the
 * two local partials (Float64) computed at record time from the registry's
 * rules, plus a 16-bit op code: 26 bytes per binary op. The backward sweep
 * is then one loop `adj[a] += pa * adj[i]; adj[b] += pb * adj[i]` with no
 * per-op code (ReverseDiff's cached-partials tape). A constant operand costs
 * nothing extra: its operand slot is negative and its partial slot keeps the
 * constant, so the tape can be replayed (values recomputed) for
 * differentiable backward passes.
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
 * Generations: `gen` increases whenever the tape is cleared (after a
 * backward without retainGraph, or when a transform returns). A Var handle
 * from an older generation is stale: a leaf re-registers itself on next use,
 * any other value is recorded as a dead node that backward refuses to cross.
 */
import { opById, type Op, type PartialList } from "../registry/op.ts";
import type { Value } from "../registry/lifted.ts";
import { recordPartials, numericPartials } from "../registry/propagate.ts";
import { nextLevel } from "../registry/level.ts";
import type { Var } from "./var.ts";
import { versionsOf } from "./versions.ts";
import { formatTape } from "./tape-format.ts";

/** Entry codes below FIRST_OP; a code >= FIRST_OP is a scalar entry of op (code - FIRST_OP). */
export const LEAF = 0;
export const LEAF_OBJ = 1;
export const EXT = 2;
export const DEAD = 3;
export const FIRST_OP = 4;
/**
 * Set on an entry's code once a backward without retainGraph has passed
 * through it: its operands and values stay (for replay) but no backward may
 * cross it again.
 */
export const FREED_BIT = 0x8000;

/** The `params` of a dead node left by `retireLeaf`. */
const MODIFIED_LEAF = Symbol("modified leaf");

/** Operand slot markers (in `b`) for scalar entries. */
export const UNARY = -1;
/** Second argument constant; its value is in `pb`. */
export const CONST_SECOND = -2;
/** First argument constant (value in `pb`); the variable operand is in `a` with partial `pa`. */
export const CONST_FIRST = -3;

/** A gradient hook: sees the cotangent reaching a node and may return a replacement. */
export type Hook = (grad: Value) => Value | void;

/** An extended entry (or the stored value of a non-numeric leaf / dead node). */
export interface ExtEntry {
  op: Op | null;
  nodes: number[];
  vals: Value[];
  out: Value;
  cache: PartialList | null;
  params: unknown;
  /** Version of each Tensor argument when recorded (-1 for other kinds); null when no argument is a Tensor. */
  versions: number[] | null;
}

/**
 * A growable tape of recorded operations.
 *
 * @example
 * ```ts
 * const tape = new Tape();
 * tape.length; // 0
 * ```
 */
export class Tape {
  level: number;
  gen = 0;
  len = 0;
  a: Int32Array;
  b: Int32Array;
  pa: Float64Array;
  pb: Float64Array;
  code: Uint16Array;
  readonly ext = new Map<number, ExtEntry>();
  leaves: Var[] = [];
  /** Leaves retired by `retireLeaf` in this generation: still in `leaves`, filtered out until they register again. */
  retired: Map<Var, true> | null = null;
  hooks: Map<number, Hook[]> | null = null;
  /** Recorded (non-leaf, non-dead) entries not yet freed by a backward; the tape clears itself at 0. */
  live = 0;
  /** True while a function transform (grad, jacrev, vjp, compileGrad, ...) owns this tape. */
  transform = false;

  constructor(capacity = 256) {
    this.level = nextLevel();
    this.a = new Int32Array(capacity);
    this.b = new Int32Array(capacity);
    this.pa = new Float64Array(capacity);
    this.pb = new Float64Array(capacity);
    this.code = new Uint16Array(capacity);
  }

  /** Entries the arrays can hold before they grow. */
  get capacity(): number {
    return this.a.length;
  }

  /** Number of entries (nodes) recorded in this generation. */
  get length(): number {
    return this.len;
  }

  /** Bytes held by the entry arrays per recorded entry (26). */
  static get bytesPerEntry(): number {
    return 4 + 4 + 8 + 8 + 2;
  }

  private grow(): void {
    const cap = this.a.length * 2;
    const a = new Int32Array(cap); a.set(this.a); this.a = a;
    const b = new Int32Array(cap); b.set(this.b); this.b = b;
    const pa = new Float64Array(cap); pa.set(this.pa); this.pa = pa;
    const pb = new Float64Array(cap); pb.set(this.pb); this.pb = pb;
    const code = new Uint16Array(cap); code.set(this.code); this.code = code;
  }

  private slot(code: number): number {
    if (this.len === this.a.length) this.grow();
    if (code === EXT) this.live++;
    const i = this.len++;
    this.code[i] = code;
    this.a[i] = -1;
    this.b[i] = UNARY;
    this.pa[i] = 0;
    this.pb[i] = 0;
    return i;
  }

  /** Registers a leaf Var in this generation and returns its node. */
  registerLeaf(v: Var): number {
    const value = v.value;
    let i: number;
    if (typeof value === "number") {
      i = this.slot(LEAF);
      this.pa[i] = value;
    } else {
      i = this.slot(LEAF_OBJ);
      this.ext.set(i, { op: null, nodes: [], vals: [], out: value, cache: null, params: undefined, versions: null });
    }
    v.id = i;
    v.gen = this.gen;
    // A retired leaf is still listed: list it once, at its new node.
    if (this.retired === null || !this.retired.delete(v)) this.leaves.push(v);
    if (v.leafHooks !== null) this.hooksMap().set(i, v.leafHooks);
    return i;
  }

  /** Records a value whose graph was freed: backward refuses to pass through it. */
  registerDead(value: Value): number {
    const i = this.slot(DEAD);
    this.ext.set(i, { op: null, nodes: [], vals: [], out: value, cache: null, params: undefined, versions: null });
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
    if (v.gen !== this.gen) return;
    const i = v.id;
    this.code[i] = DEAD;
    this.ext.set(i, { op: null, nodes: [], vals: [], out: v.value, cache: null, params: MODIFIED_LEAF, versions: null });
    (this.retired ??= new Map()).set(v, true);
    this.hooks?.delete(i);
    v.gen = -1;
  }

  /** True when node i is a leaf retired by `retireLeaf` (its value changed after entries used it). */
  isModifiedLeaf(i: number): boolean {
    return this.codeAt(i) === DEAD && this.ext.get(i)?.params === MODIFIED_LEAF;
  }

  /** The node of `v` (a Var of this tape) in the current generation. */
  nodeOf(v: Var): number {
    if (v.gen === this.gen) return v.id;
    if (v.leaf) return this.registerLeaf(v);
    return this.registerDead(v.value);
  }

  /**
   * Records `out = op(vals)`; `nodes[k]` is the node of argument k, or
   * -1 for a constant argument. Returns the new node.
   */
  record(op: Op, nodes: number[], vals: Value[], out: Value, params: unknown): number {
    if (op.elementwise !== null && typeof out === "number" && vals.length <= 2) {
      const v0 = vals[0];
      const v1 = vals.length === 2 ? vals[1] : 0;
      if (typeof v0 === "number" && typeof v1 === "number") {
        return this.recordScalar(op, nodes, vals as number[], numericPartials(op, vals as number[], out));
      }
    }
    const i = this.slot(EXT);
    this.ext.set(i, { op, nodes, vals, out, cache: recordPartials(op, vals, out), params, versions: versionsOf(vals, out) });
    return i;
  }

  private recordScalar(op: Op, nodes: number[], vals: number[], parts: PartialList): number {
    const p0 = (parts[0] as number | null) ?? 0;
    if (vals.length === 1) return this.push1(op.id, nodes[0], p0);
    return this.push2(op.id, nodes[0], nodes[1], p0, (parts[1] as number | null) ?? 0, vals[0], vals[1]);
  }

  /** Appends a scalar entry of a unary op with operand node `na` and partial `p`. */
  push1(opId: number, na: number, p: number): number {
    if (this.len === this.a.length) this.grow();
    this.live++;
    const i = this.len++;
    this.code[i] = opId + FIRST_OP;
    this.a[i] = na;
    this.pa[i] = p;
    this.b[i] = UNARY;
    return i;
  }

  /**
   * Appends a scalar entry of a binary op. `na`/`nb` are operand nodes (-1
   * for a constant), `p0`/`p1` the partials, `x`/`y` the argument values
   * (a constant's value is kept in the unused partial slot for replay).
   */
  push2(opId: number, na: number, nb: number, p0: number, p1: number, x: number, y: number): number {
    if (this.len === this.a.length) this.grow();
    this.live++;
    const i = this.len++;
    this.code[i] = opId + FIRST_OP;
    if (na >= 0) {
      this.a[i] = na;
      this.pa[i] = p0;
      if (nb >= 0) {
        this.b[i] = nb;
        this.pb[i] = p1;
      } else {
        this.b[i] = CONST_SECOND;
        this.pb[i] = y;
      }
    } else {
      this.a[i] = nb;
      this.pa[i] = p1;
      this.b[i] = CONST_FIRST;
      this.pb[i] = x;
    }
    return i;
  }

  /** The entry code of node i without the freed mark. */
  codeAt(i: number): number {
    return this.code[i] & ~FREED_BIT;
  }

  /**
   * After a backward without retainGraph: marks the reached entries freed, and
   * clears the whole tape once no recorded entry is left unfreed (so separate
   * graphs on one tape can each be run backward once, as in PyTorch).
   */
  free(reached: Uint8Array): void {
    const code = this.code;
    for (let i = 0; i < reached.length; i++) {
      const c = code[i];
      if (reached[i] === 1 && (c === EXT || c >= FIRST_OP) && c < FREED_BIT) {
        code[i] = c | FREED_BIT;
        this.live--;
      }
    }
    if (this.live <= 0) this.clear();
  }

  /** True when a backward without retainGraph has passed through node i. */
  isFreed(i: number): boolean {
    return this.code[i] >= FREED_BIT;
  }

  /** True when node i's value (and so its adjoint) is a plain number. */
  isNumericNode(i: number): boolean {
    const c = this.codeAt(i);
    if (c >= FIRST_OP || c === LEAF) return true;
    return typeof this.ext.get(i)!.out === "number";
  }

  /** The op name that produced node i, or null for leaves. */
  opName(i: number): string | null {
    const c = this.codeAt(i);
    if (c >= FIRST_OP) return opById(c - FIRST_OP).name;
    if (c === EXT) return this.ext.get(i)!.op!.name;
    return null;
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

  /** Forgets every entry: handles of this generation become stale. */
  clear(): void {
    this.gen++;
    this.len = 0;
    this.live = 0;
    this.ext.clear();
    this.leaves = [];
    this.retired = null;
    this.hooks = null;
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
  toString(): string {
    return formatTape(this);
  }
}
