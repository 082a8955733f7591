/**
 * A readable listing of a tape: one numbered line per entry with its op,
 * its operands (nodes as %n, constants as values) and its cached partials.
 */
import { opById } from "../registry/op.ts";
import type { Tape } from "./tape.ts";
import { LEAF, LEAF_OBJ, DEAD, EXT, FREED_BIT, decodeScalar, scalarEntry, scalarOpId, type ScalarEntry } from "./entry-layout.ts";

function scalarLine(tape: Tape, i: number, e: ScalarEntry): string {
  decodeScalar(tape, i, e);
  const name = opById(scalarOpId(tape.code[i])).name;
  const arg0 = e.node0 >= 0 ? `%${e.node0}` : String(e.const0);
  if (e.arity === 1) return `%${i} = ${name}(${arg0})   partial ${e.part0}`;
  const arg1 = e.node1 >= 0 ? `%${e.node1}` : String(e.const1);
  if (e.node0 >= 0 && e.node1 >= 0) return `%${i} = ${name}(${arg0}, ${arg1})   partials ${e.part0}, ${e.part1}`;
  return `%${i} = ${name}(${arg0}, ${arg1})   partial ${e.node0 >= 0 ? e.part0 : e.part1}`;
}

function entryLine(tape: Tape, i: number, e: ScalarEntry): string {
  const c = tape.codeAt(i);
  if (c === LEAF) return `%${i} = leaf ${tape.pa[i]}`;
  if (c === LEAF_OBJ) return `%${i} = leaf ${String(tape.ext.get(i)!.out)}`;
  if (c === DEAD) return `%${i} = freed value ${String(tape.ext.get(i)!.out)}`;
  if (c === EXT) {
    const x = tape.ext.get(i)!;
    const args = x.nodes.map((n, k) => (n >= 0 ? `%${n}` : String(x.vals[k])));
    return `%${i} = ${x.op!.name}(${args.join(", ")})`;
  }
  return scalarLine(tape, i, e);
}

/**
 * The tape as text, one line per entry; entries a backward has freed are marked.
 *
 * @example
 * ```ts
 * formatTape(tape);
 * // %0 = leaf 2
 * // %1 = <op>(%0, %0)   partials 2, 2
 * ```
 */
export function formatTape(tape: Tape): string {
  const lines: string[] = [];
  const e = scalarEntry();
  for (let i = 0; i < tape.length; i++) {
    const line = entryLine(tape, i, e);
    lines.push(tape.code[i] >= FREED_BIT ? `${line}   (freed)` : line);
  }
  return lines.join("\n");
}
