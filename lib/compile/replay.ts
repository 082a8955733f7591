/**
 * The scalar replay interpreter: re-evaluates a recorded tape's scalar
 * entries at new leaf values, writing each entry's value and local partials
 * back into the tape's typed arrays, so a compiled gradient is one replay
 * plus one backward sweep, with no recording.
 *
 * The interpreter is generated from the op table by lib/codegen.ts (which
 * says why): one `case` per registered elementwise op of arity 1 or 2, each
 * calling that op's own scalar kernel (lib/registry/scalar-kernel.ts), so
 * every call site has a single target and V8 inlines the kernels into the
 * loop. The interpreter stops at any entry it does not handle (a leaf being
 * the exception), returning its index, and the caller treats that entry
 * generically. Entry codes and operand forms come from the tape's layout
 * (lib/reverse/entry-layout.ts), spelled into the template as its constants.
 */
import { allOps } from "../registry/op.ts";
import { generated } from "../codegen.ts";
import type { Kernel } from "../registry/types.ts";
import { LEAF, FIRST_OP, UNARY, CONST_SECOND, type EntryArrays } from "../reverse/entry-layout.ts";

/**
 * Replays entries [from, to) of a tape's arrays and returns the index of
 * the first entry it did not handle (or `to`).
 */
export type Replayer = (t: EntryArrays, vals: Float64Array, from: number, to: number) => number;

function caseFor(k: number, code: number): string {
  return `case ${code}: {
      const ai = a[i], bi = b[i];
      if (bi === ${UNARY}) { if (!k${k}(vals[ai], 0, res)) return i; pa[i] = res[1]; }
      else if (bi >= 0) { if (!k${k}(vals[ai], vals[bi], res)) return i; pa[i] = res[1]; pb[i] = res[2]; }
      else if (bi === ${CONST_SECOND}) { if (!k${k}(vals[ai], pb[i], res)) return i; pa[i] = res[1]; }
      else { if (!k${k}(pb[i], vals[ai], res)) return i; pa[i] = res[2]; }
      vals[i] = res[0];
      break;
    }`;
}

function generate(kernels: (Kernel | null)[]): Replayer {
  const deps: Record<string, Kernel> = {};
  const cases: string[] = [];
  kernels.forEach((kern, id) => {
    if (kern === null) return;
    deps[`k${id}`] = kern;
    cases.push(caseFor(id, id + FIRST_OP));
  });
  const body = `
    const res = new Float64Array(3);
    return function replay(t, vals, from, to) {
      const code = t.code, a = t.a, b = t.b, pa = t.pa, pb = t.pb;
      for (let i = from; i < to; i++) {
        switch (code[i]) {
          case ${LEAF}: break;
          ${cases.join("\n          ")}
          default: return i;
        }
      }
      return to;
    };`;
  return generated<Replayer>(body, deps, () => tableDriven(kernels));
}

/** The generated interpreter as a table lookup, branch for branch (used where code generation is off). */
function tableDriven(kernels: (Kernel | null)[]): Replayer {
  const res = new Float64Array(3);
  return function replay(t, vals, from, to) {
    const code = t.code, a = t.a, b = t.b, pa = t.pa, pb = t.pb;
    for (let i = from; i < to; i++) {
      const c = code[i];
      if (c === LEAF) continue;
      const k = c >= FIRST_OP ? kernels[c - FIRST_OP] : null;
      if (k === null || k === undefined) return i;
      const ai = a[i], bi = b[i];
      if (bi === UNARY) { if (!k(vals[ai], 0, res)) return i; pa[i] = res[1]; }
      else if (bi >= 0) { if (!k(vals[ai], vals[bi], res)) return i; pa[i] = res[1]; pb[i] = res[2]; }
      else if (bi === CONST_SECOND) { if (!k(vals[ai], pb[i], res)) return i; pa[i] = res[1]; }
      else { if (!k(pb[i], vals[ai], res)) return i; pa[i] = res[2]; }
      vals[i] = res[0];
    }
    return to;
  };
}

let cached: { count: number; replayer: Replayer } | null = null;

/**
 * The replay interpreter for the ops registered now (regenerated when ops
 * are added). Numeric leaves are skipped: the caller sets their values.
 *
 * @example
 * ```ts
 * const stop = tape.replayScalars(replayer(), vals, 0, tape.length);
 * ```
 */
export function replayer(): Replayer {
  const ops = allOps();
  if (cached !== null && cached.count === ops.length) return cached.replayer;
  const replay = generate(ops.map((op) => op.kernel));
  cached = { count: ops.length, replayer: replay };
  return replay;
}
