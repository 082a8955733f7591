/**
 * The one place lib/compile's tensor planner reads a recorded tape's
 * entries: everything else sees `EntryView`s. The tape's entry layout is
 * owned by lib/reverse (and may change); keeping the decoding here means a
 * new layout touches one function.
 */
import { opById, type Op } from "../registry/op.ts";
import type { Value } from "../registry/lifted.ts";
import type { Tape } from "../reverse/tape.ts";
import { LEAF, LEAF_OBJ, EXT, decodeScalar, scalarEntry, scalarOpId } from "../reverse/entry-layout.ts";

/** An argument of a recorded op: a node of the recording, or a constant value. */
export type ArgView = { node: number } | { value: Value };

/** One recorded entry as the planner needs it. */
export type EntryView =
  | { kind: "leaf"; value: Value }
  | { kind: "op"; op: Op; args: ArgView[]; params: unknown; out: Value | null }
  | { kind: "other" };

const decoded = scalarEntry();

/**
 * Entry i of `tape`, decoded: a leaf (its recorded value), an op with its
 * arguments in argument order (`out` is the recorded value of an extended
 * entry, null for a scalar entry, whose value is a number), or anything
 * else (dead or freed entries), which the planner refuses.
 *
 * @example
 * ```ts
 * const e = readEntry(tape, 3);
 * if (e.kind === "op") e.op.name;
 * ```
 */
export function readEntry(tape: Tape, i: number): EntryView {
  if (tape.isFreed(i)) return { kind: "other" };
  const c = tape.codeAt(i);
  if (c === LEAF) return { kind: "leaf", value: tape.pa[i] };
  if (c === LEAF_OBJ) return { kind: "leaf", value: tape.ext.get(i)?.out ?? 0 };
  if (c === EXT) {
    const e = tape.ext.get(i);
    if (e === undefined || e.op === null) return { kind: "other" };
    return { kind: "op", op: e.op, args: e.nodes.map((n, k) => (n >= 0 ? { node: n } : { value: e.vals[k] })), params: e.params, out: e.out };
  }
  const id = scalarOpId(c);
  if (id < 0) return { kind: "other" };
  const d = decodeScalar(tape, i, decoded);
  const arg = (node: number, value: number): ArgView => (node >= 0 ? { node } : { value });
  const args = d.arity === 1 ? [arg(d.node0, d.const0)] : [arg(d.node0, d.const0), arg(d.node1, d.const1)];
  return { kind: "op", op: opById(id), args, params: undefined, out: null };
}
