/**
 * The scalar replay interpreter: re-evaluates a recorded tape's scalar
 * entries at new leaf values, writing each entry's value and local partials
 * back into the tape's typed arrays, so a compiled gradient is one replay
 * plus one backward sweep, with no recording.
 *
 * The interpreter is generated from the op table: one `case` per registered
 * elementwise op of arity 1 or 2, each calling that op's own scalar kernel
 * (lib/registry/scalar-kernel.ts). Every call site then has a single target, so
 * V8 inlines the kernels into the loop. Only the library's registry feeds the
 * generator, never user strings; without code generation (a strict Content
 * Security Policy) a table-driven loop does the same work more slowly. The
 * interpreter stops at any entry it does not handle (a leaf being the
 * exception), returning its index, and the caller treats that entry generically.
 */
import { allOps } from "../registry/op.ts";
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
  const names: string[] = [];
  const cases: string[] = [];
  kernels.forEach((kern, id) => {
    if (kern === null) return;
    names.push(`k${id}`);
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
  const used = kernels.filter((k): k is Kernel => k !== null);
  return new Function(...names, body)(...used) as Replayer;
}

function tableDriven(base: number, leafCode: number, kernels: (Kernel | null)[]): Replayer {
  const res = new Float64Array(3);
  return (code, a, b, pa, pb, vals, from, to) => {
    for (let i = from; i < to; i++) {
      const c = code[i]!;
      if (c === leafCode) continue;
      const kern = c >= base ? kernels[c - base] : null;
      if (kern === null || kern === undefined) return i;
      const ai = a[i]!;
      const bi = b[i]!;
      const x = bi === -3 ? pb[i]! : vals[ai]!;
      const y = bi === -1 ? 0 : bi === -2 ? pb[i]! : bi === -3 ? vals[ai]! : vals[bi]!;
      if (!kern(x, y, res)) return i;
      vals[i] = res[0]!;
      pa[i] = bi === -3 ? res[2]! : res[1]!;
      if (bi >= 0) pb[i] = res[2]!;
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
  const kernels = ops.map((op) => op.kernel);
  let replay: Replayer;
  try {
    replay = generate(base, leafCode, kernels);
  } catch {
    replay = tableDriven(base, leafCode, kernels);
  }
  cached = { count: ops.length, base, replayer: replay };
  return replay;
}
