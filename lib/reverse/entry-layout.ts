/**
 * The layout of one tape entry, named once. Every reader and writer of the
 * tape's arrays (the tape's pushes, the sweeps, the printer, the compiled
 * replay) goes through the codes and the encoder/decoder below.
 *
 * Entry i occupies slot i of five parallel arrays:
 *
 * | array  | type         | scalar entry (code >= FIRST_OP)                       |
 * |--------|--------------|--------------------------------------------------------|
 * | `code` | Uint16Array  | op id + FIRST_OP, FREED_BIT set once a backward freed it |
 * | `a`    | Int32Array   | node of the (first variable) operand                   |
 * | `b`    | Int32Array   | node of the second operand, or a form marker (< 0)     |
 * | `pa`   | Float64Array | partial with respect to node `a`                       |
 * | `pb`   | Float64Array | partial with respect to node `b`, or the constant      |
 *
 * A numeric leaf (code LEAF) keeps its value in `pa`. Every other entry
 * (LEAF_OBJ, EXT, DEAD) keeps its data in the tape's side map. 4 + 4 + 8 +
 * 8 + 2 = 26 bytes per entry.
 */

/** A leaf holding a number (its value in `pa`). */
export const LEAF = 0;
/** A leaf holding a Tensor or nested value (in the side map). */
export const LEAF_OBJ = 1;
/** An extended entry: operands, values and partials in the side map. */
export const EXT = 2;
/** A value whose graph was freed: backward refuses to cross it. */
export const DEAD = 3;
/** Code of op 0; a code >= FIRST_OP is a scalar entry of op (code - FIRST_OP). */
export const FIRST_OP = 4;
/**
 * Set on an entry's code once a backward without retainGraph has passed
 * through it: its operands and values stay (for replay) but no backward may
 * cross it again.
 */
export const FREED_BIT = 0x8000;

/** `b` of a unary scalar entry. */
export const UNARY = -1;
/** `b` when the second argument is a constant (its value in `pb`). */
export const CONST_SECOND = -2;
/** `b` when the first argument is a constant (its value in `pb`; the variable operand is in `a`, its partial in `pa`). */
export const CONST_FIRST = -3;

import type { Op, PartialList } from "../registry/op.ts";
import type { Value } from "../registry/lifted.ts";

/** An extended entry in the side map (also the stored value of a non-numeric leaf or a dead node). */
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

/** Bytes one entry takes in the five arrays. */
export const BYTES_PER_ENTRY = 4 + 4 + 8 + 8 + 2;

/** The five entry arrays of a tape. */
export interface EntryArrays {
  code: Uint16Array;
  a: Int32Array;
  b: Int32Array;
  pa: Float64Array;
  pb: Float64Array;
}

/**
 * A scalar entry decoded into argument order: argument k is node `nodeK`, or
 * the constant `constK` when `nodeK` is -1; `partK` is the partial with
 * respect to argument k (0 for a constant). Callers keep one instance and
 * pass it to `decodeScalar` for every entry, so decoding allocates nothing.
 */
export interface ScalarEntry {
  arity: 1 | 2;
  node0: number;
  node1: number;
  const0: number;
  const1: number;
  part0: number;
  part1: number;
}

/**
 * A reusable ScalarEntry.
 *
 * @example
 * ```ts
 * const e = scalarEntry(); decodeScalar(tape, i, e); e.node0;
 * ```
 */
export function scalarEntry(): ScalarEntry {
  return { arity: 1, node0: -1, node1: -1, const0: 0, const1: 0, part0: 0, part1: 0 };
}

/**
 * The op id of a scalar code, or -1 for a leaf, extended or dead entry.
 *
 * @example
 * ```ts
 * scalarOpId(FIRST_OP + 5); // 5
 * scalarOpId(EXT);          // -1
 * ```
 */
export function scalarOpId(code: number): number {
  const c = code & ~FREED_BIT;
  return c >= FIRST_OP ? c - FIRST_OP : -1;
}

/**
 * Writes scalar entry i of a unary op with operand node `na` and partial `p`.
 *
 * @example
 * ```ts
 * encodeUnary(tape, i, opId, 0, dfdx);
 * ```
 */
export function encodeUnary(t: EntryArrays, i: number, opId: number, na: number, p: number): void {
  t.code[i] = opId + FIRST_OP;
  t.a[i] = na;
  t.pa[i] = p;
  t.b[i] = UNARY;
}

/**
 * Writes scalar entry i of a binary op. `na`/`nb` are the argument nodes
 * (-1 for a constant; at least one is a node), `p0`/`p1` the partials,
 * `x`/`y` the argument values (a constant's value goes to `pb`, so the
 * entry can be replayed).
 *
 * @example
 * ```ts
 * encodeBinary(tape, i, opId, 0, -1, y, x, x, y); // x * y with y constant
 * ```
 */
export function encodeBinary(t: EntryArrays, i: number, opId: number, na: number, nb: number, p0: number, p1: number, x: number, y: number): void {
  t.code[i] = opId + FIRST_OP;
  if (na >= 0) {
    t.a[i] = na;
    t.pa[i] = p0;
    if (nb >= 0) {
      t.b[i] = nb;
      t.pb[i] = p1;
    } else {
      t.b[i] = CONST_SECOND;
      t.pb[i] = y;
    }
  } else {
    t.a[i] = nb;
    t.pa[i] = p1;
    t.b[i] = CONST_FIRST;
    t.pb[i] = x;
  }
}

/**
 * Decodes scalar entry i into `out` (argument order) and returns it.
 *
 * @example
 * ```ts
 * const e = decodeScalar(tape, i, scalarEntry());
 * e.node0 >= 0 ? `%${e.node0}` : String(e.const0);
 * ```
 */
export function decodeScalar(t: EntryArrays, i: number, out: ScalarEntry): ScalarEntry {
  const ai = t.a[i];
  const bi = t.b[i];
  const p = t.pa[i];
  const k = t.pb[i];
  out.arity = bi === UNARY ? 1 : 2;
  if (bi === CONST_FIRST) {
    out.node0 = -1; out.const0 = k; out.part0 = 0;
    out.node1 = ai; out.const1 = 0; out.part1 = p;
    return out;
  }
  out.node0 = ai; out.const0 = 0; out.part0 = p;
  if (bi >= 0) {
    out.node1 = bi; out.const1 = 0; out.part1 = k;
  } else {
    out.node1 = -1; out.const1 = bi === CONST_SECOND ? k : 0; out.part1 = 0;
  }
  return out;
}

/**
 * Writes replayed partials back into scalar entry i, in argument order
 * (the inverse of decodeScalar for the partial slots; constants stay).
 *
 * @example
 * ```ts
 * writePartials(tape, i, dfdx, dfdy);
 * ```
 */
export function writePartials(t: EntryArrays, i: number, part0: number, part1: number): void {
  const bi = t.b[i];
  if (bi === CONST_FIRST) t.pa[i] = part1;
  else {
    t.pa[i] = part0;
    if (bi >= 0) t.pb[i] = part1;
  }
}
