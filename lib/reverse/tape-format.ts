/**
 * A readable listing of a tape: one numbered line per entry with its op,
 * its operands (nodes as %n, constants as values) and its cached partials.
 */
import { opById } from "../registry/op.ts";
import { type Tape, LEAF, LEAF_OBJ, DEAD, EXT, FIRST_OP, FREED_BIT, UNARY, CONST_FIRST, CONST_SECOND } from "./tape.ts";

function entryLine(tape: Tape, i: number): string {
  const c = tape.codeAt(i);
  if (c === LEAF) return `%${i} = leaf ${tape.pa[i]}`;
  if (c === LEAF_OBJ) return `%${i} = leaf ${String(tape.ext.get(i)!.out)}`;
  if (c === DEAD) return `%${i} = freed value ${String(tape.ext.get(i)!.out)}`;
  if (c === EXT) {
    const e = tape.ext.get(i)!;
    const args = e.nodes.map((n, k) => (n >= 0 ? `%${n}` : String(e.vals[k])));
    return `%${i} = ${e.op!.name}(${args.join(", ")})`;
  }
  const name = opById(c - FIRST_OP).name;
  const a = `%${tape.a[i]}`;
  const b = tape.b[i];
  if (b === UNARY) return `%${i} = ${name}(${a})   partial ${tape.pa[i]}`;
  if (b === CONST_SECOND) return `%${i} = ${name}(${a}, ${tape.pb[i]})   partial ${tape.pa[i]}`;
  if (b === CONST_FIRST) return `%${i} = ${name}(${tape.pb[i]}, ${a})   partial ${tape.pa[i]}`;
  return `%${i} = ${name}(${a}, %${b})   partials ${tape.pa[i]}, ${tape.pb[i]}`;
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
  for (let i = 0; i < tape.length; i++) {
    const line = entryLine(tape, i);
    lines.push(tape.code[i] >= FREED_BIT ? `${line}   (freed)` : line);
  }
  return lines.join("\n");
}
