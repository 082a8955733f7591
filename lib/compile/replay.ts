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
 * generically.
 */
import { allOps } from "../registry/op.ts";
import { generated } from "../codegen.ts";
import type { Kernel } from "../registry/scalar-kernel.ts";

/**
 * Replays entries [from, to) and returns the index of the first entry it did
 * not handle (or `to`). Entry layout as in lib/reverse/tape.ts: code = op id +
 * base; b = -1 unary, -2 second argument constant (in pb), -3 first argument
 * constant (in pb), else the second operand's node.
 */
export type Replayer = (
  code: Uint16Array, a: Int32Array, b: Int32Array, pa: Float64Array, pb: Float64Array,
  vals: Float64Array, from: number, to: number,
) => number;

function caseFor(k: number, code: number): string {
  return `case ${code}: {
      const ai = a[i], bi = b[i];
      if (bi === -1) { if (!k${k}(vals[ai], 0, res)) return i; pa[i] = res[1]; }
      else if (bi >= 0) { if (!k${k}(vals[ai], vals[bi], res)) return i; pa[i] = res[1]; pb[i] = res[2]; }
      else if (bi === -2) { if (!k${k}(vals[ai], pb[i], res)) return i; pa[i] = res[1]; }
      else { if (!k${k}(pb[i], vals[ai], res)) return i; pa[i] = res[2]; }
      vals[i] = res[0];
      break;
    }`;
}

function generate(base: number, leafCode: number, kernels: (Kernel | null)[]): Replayer {
  const deps: Record<string, Kernel> = {};
  const cases: string[] = [];
  kernels.forEach((kern, id) => {
    if (kern === null) return;
    deps[`k${id}`] = kern;
    cases.push(caseFor(id, id + base));
  });
  const body = `
    const res = new Float64Array(3);
    return function replay(code, a, b, pa, pb, vals, from, to) {
      for (let i = from; i < to; i++) {
        switch (code[i]) {
          case ${leafCode}: break;
          ${cases.join("\n          ")}
          default: return i;
        }
      }
      return to;
    };`;
  return generated<Replayer>(body, deps, () => tableDriven(base, leafCode, kernels));
}

/** The generated interpreter as a table lookup, branch for branch (used where code generation is off). */
function tableDriven(base: number, leafCode: number, kernels: (Kernel | null)[]): Replayer {
  const res = new Float64Array(3);
  return function replay(code, a, b, pa, pb, vals, from, to) {
    for (let i = from; i < to; i++) {
      const c = code[i];
      if (c === leafCode) continue;
      const k = c >= base ? kernels[c - base] : null;
      if (k === null || k === undefined) return i;
      const ai = a[i], bi = b[i];
      if (bi === -1) { if (!k(vals[ai], 0, res)) return i; pa[i] = res[1]; }
      else if (bi >= 0) { if (!k(vals[ai], vals[bi], res)) return i; pa[i] = res[1]; pb[i] = res[2]; }
      else if (bi === -2) { if (!k(vals[ai], pb[i], res)) return i; pa[i] = res[1]; }
      else { if (!k(pb[i], vals[ai], res)) return i; pa[i] = res[2]; }
      vals[i] = res[0];
    }
    return to;
  };
}

let cached: { count: number; base: number; replayer: Replayer } | null = null;

/**
 * The replay interpreter for the ops registered now (regenerated when ops
 * are added). `base` is the tape's code of op 0, `leafCode` the code of a
 * numeric leaf (skipped: its value is set by the caller).
 *
 * @example
 * ```ts
 * const replay = replayer(FIRST_OP, LEAF);
 * const stop = replay(tape.code, tape.a, tape.b, tape.pa, tape.pb, vals, 0, tape.length);
 * ```
 */
export function replayer(base: number, leafCode: number): Replayer {
  const ops = allOps();
  if (cached !== null && cached.count === ops.length && cached.base === base) return cached.replayer;
  const replay = generate(base, leafCode, ops.map((op) => op.kernel));
  cached = { count: ops.length, base, replayer: replay };
  return replay;
}
