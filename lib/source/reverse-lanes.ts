/**
 * The adjoint sweep for several cotangents at once (reverse lanes), made
 * from the one-cotangent sweep's lines: a line that reads or writes an
 * adjoint runs once per lane, with its adjoint names suffixed by the lane;
 * every other line (pops and restores, recomputed primal values, indices,
 * loop and branch control) runs once for all lanes. Rows of a Jacobian, or
 * the pullbacks of several cotangents, then share the sweep's stack reads
 * and primal work, which the separate sweeps each repeat.
 *
 * The one-cotangent emitter writes one statement per line and gives every
 * temporary its own name, which is what makes a line the unit here. A line
 * that touches an adjoint and also moves a stack pointer cannot be repeated;
 * the emitter never writes one, and `laneLines` refuses it.
 */
import { SKIP_MARK } from "./adjoint.ts";

/**
 * Cotangents per sweep of the lanes adjoint. Two: on ba's residuals two
 * lanes took 0.76-0.84 of the time of two one-lane sweeps, and four lanes
 * 0.78 (20000 observations) to 0.90 (182072) of the time of four, where
 * four gradient arrays written at once compete for the cache; and ba's
 * Jacobian has two rows per block.
 *
 * @example
 * ```ts
 * Math.ceil(m / REVERSE_LANES); // adjoint sweeps for a Jacobian with m rows
 * ```
 */
export const REVERSE_LANES = 2;

const IDENTIFIER = /[A-Za-z_$][\w$]*/g;
/** A line that defines or assigns a temporary: `const $t1 = `, `let $t1 = `, `$t1 = `, `$t1 += `. */
const TEMP_TARGET = /^\s*(?:(?:const|let) )?(\$t\d+) [-+*/]?= /;
const STACK_EFFECT = /--\$fp|--\$ip|\$fp\+\+|\$ip\+\+/;

/**
 * An adjoint's name in lane `lane`: `x$b` becomes `x$b0`, `x$b1`, ...
 *
 * @example
 * ```ts
 * laneName("x$b", 1); // "x$b1"
 * ```
 */
export function laneName(adjoint: string, lane: number): string {
  return `${adjoint}${lane}`;
}

/**
 * Whether `name` is an adjoint (`x$b`) or the cotangent (`$seed`): the
 * names that exist once per lane.
 */
function isLaneName(name: string): boolean {
  return name.endsWith("$b") || name === "$seed";
}

/**
 * The temporaries that hold a value per lane: those a line defines or
 * assigns when it reads an adjoint or another such temporary. Found to a
 * fixed point over all lines, because a temporary's declaration can come
 * before the line that makes it per lane (`let $t3 = 0;` then
 * `$t3 += $t2 * y;` for an element's own adjoint summed in a local).
 */
function perLaneTemps(lines: readonly string[]): Set<string> {
  // Per temporary, the names read by the lines that define or assign it.
  const sources = new Map<string, string[]>();
  for (const line of lines) {
    const t = TEMP_TARGET.exec(line)?.[1];
    if (t === undefined) continue;
    const read = sources.get(t) ?? [];
    for (const n of line.match(IDENTIFIER) ?? []) if (n !== t) read.push(n);
    sources.set(t, read);
  }
  const perLane = new Set<string>();
  // Passes in line order: temporaries are mostly defined before their uses, so this ends in a few.
  for (let grown = true; grown; ) {
    grown = false;
    for (const [t, read] of sources) {
      if (!perLane.has(t) && read.some((n) => isLaneName(n) || perLane.has(n))) {
        perLane.add(t);
        grown = true;
      }
    }
  }
  return perLane;
}

/**
 * The lines of an adjoint sweep body for `lanes` cotangents, from the body
 * for one. Temporaries computed from adjoints become one per lane
 * (`$t7` becomes `$t7l0`, `$t7l1`, ...).
 *
 * @example
 * ```ts
 * laneLines(["y = $fs[--$fp];", "const $t1 = y$b;", "x$b += $t1 * y;"], 2);
 * // ["y = $fs[--$fp];", "const $t1l0 = y$b0;", "const $t1l1 = y$b1;", "x$b0 += $t1l0 * y;", "x$b1 += $t1l1 * y;"]
 * ```
 */
export function laneLines(lines: readonly string[], lanes: number): string[] {
  const perLane = perLaneTemps(lines);
  const isShared = (line: string) => !(line.match(IDENTIFIER) ?? []).some((n) => isLaneName(n) || perLane.has(n));
  const inLane = (line: string, l: number) => line.replace(IDENTIFIER, (n) => (isLaneName(n) ? laneName(n, l) : perLane.has(n) ? `${n}l${l}` : n));
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const skip = SKIP_OPEN.exec(line);
    if (skip !== null && perLane.has(skip[1]!)) {
      // A zero-skipped block (see zeroSkipped): what every lane shares first, then each lane's part under its own test.
      const g = skip[1]!;
      const end = lines.findIndex((b, j) => j > i && b.trim() === `} ${SKIP_MARK}${g}`);
      if (end < 0) throw new Error(`compile: internal error: an unclosed zero test of ${g}`);
      const body = lines.slice(i + 1, end);
      const indent = /^\s*/.exec(line)![0];
      out.push(...body.filter(isShared).map((b) => b.replace(/^(\s*) {2}/, "$1")));
      for (let l = 0; l < lanes; l++) out.push(inLane(line, l), ...body.filter((b) => !isShared(b)).map((b) => inLane(b, l)), `${indent}} ${SKIP_MARK}${g}l${l}`);
      i = end;
      continue;
    }
    if (isShared(line)) {
      out.push(line);
      continue;
    }
    if (STACK_EFFECT.test(line)) throw new Error(`compile: internal error: an adjoint line moves a stack pointer (${line.trim()})`);
    for (let l = 0; l < lanes; l++) out.push(inLane(line, l));
  }
  return out;
}

/** The first line of a zero-skipped block, with its adjoint's temporary. */
const SKIP_OPEN = new RegExp(`^\\s*if \\((\\$t\\d+) !== 0\\) \\{ ${SKIP_MARK}\\$t\\d+$`);
