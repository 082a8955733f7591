/**
 * The fused reverse pass: one function that runs the forward code and the
 * adjoint for cotangents given up front, for functions whose last loop's
 * trips are independent (fusable.ts). The statements before the loop run
 * as the forward sweep runs them, saving what their adjoint needs; the loop
 * runs each trip and then that trip's adjoint; then the adjoint of the
 * statements before the loop runs. The stacks hold the statements before
 * the loop and one trip, not every trip, and what a trip saves is read
 * back while it is still in the cache. Gradients, pullbacks of cotangents
 * passed at once and Jacobian rows use it; `vjp`, whose pullback comes
 * later, keeps the two sweeps.
 */
import type { Fn } from "./ir.ts";
import type { Activity } from "./activity.ts";
import { Lines } from "./emit-common.ts";
import { loopIds, laneNames, adjointScalars } from "./assemble-reverse.ts";
import { ReverseEmitter } from "./emit-reverse.ts";
import { counting } from "./counted-loops.ts";
import { integerLocals } from "./invert.ts";
import { fusion } from "./fusable.ts";
import { laneLines, REVERSE_LANES } from "./reverse-lanes.ts";

/** The fused pass's sources (`fused`, and `fusedLanes` for REVERSE_LANES cotangents) and their constants. */
export interface EmittedFused {
  fused: string;
  fusedLanes: string;
  constants: Map<string, unknown>;
}

/**
 * The fused reverse pass of a normalized function, or null when its last
 * loop's trips are not independent (see fusable.ts). `fused(...params,
 * ...adjointArrays, $seed)` returns the value (or, for a result array it
 * need not make, its length: see Fusion.seedsResult), adds into the adjoint arrays
 * of array parameters in `wrt` and writes number parameters' adjoints to
 * `$res[k]`, as `reverse` does; `fusedLanes` takes REVERSE_LANES adjoint
 * arrays and seeds, as `reverseLanes` does.
 *
 * @example
 * ```ts
 * emitFused(normalize(fn), activity(fn))?.fused; // "function fused(v, feats, p, v$b, $seed) { ... }"
 * ```
 */
export function emitFused(fn: Fn, act: Activity): EmittedFused | null {
  const f = fusion(fn, integerLocals(fn, act), act.vars);
  if (f === null) return null;
  const counted = counting(fn, act);
  let saved = new Set<string>();
  for (let round = 0; ; round++) {
    const e = new ReverseEmitter(fn, act, saved, counted, f);
    const adjoint = new Lines();
    e.reverseList(fn.body, adjoint);
    e.fusedLoop();
    const grown = [...e.R.reads!].filter((n) => !saved.has(n) && e.savable(n));
    if (grown.length === 0 || round > 20) {
      const forward = new Lines();
      e.forwardList(fn.body, forward);
      let lanes: string | null = null;
      return {
        fused: assembleFused(e, forward, adjoint, 1),
        get fusedLanes() {
          return (lanes ??= assembleFused(e, forward, adjoint, REVERSE_LANES));
        },
        constants: e.R.constants,
      };
    }
    saved = new Set([...saved, ...grown]);
  }
}

/** The fused function's source, for one cotangent or for `lanes`. */
function assembleFused(e: ReverseEmitter, forward: Lines, adjoint: Lines, lanes: number): string {
  const { fn, act } = e;
  const { adj, seeds } = laneNames(lanes);
  const out = new Lines();
  const scalars = adjointScalars(e, adj);
  scalars.push(...loopIds(fn.body).map((id) => `$n${id} = 0`));
  scalars.push(...e.keptThroughFusion().map((n) => `${n}$v = 0`), ...[...e.costlyLocals].map((n) => `${n} = 0`), "$cf = 0", "$length = 0");
  for (const p of fn.params) if (!p.array && act.vars.has(p.name)) scalars.push(...adj(p.name).map((b) => `${b} = 0`));
  out.line(`let ${scalars.join(", ")};`);
  for (const a of fn.arrays) out.line(`let ${[a.name, ...(act.arrays.has(a.name) ? adj(a.name) : [])].map((n) => `${n} = null`).join(", ")};`);
  for (const p of fn.params) if (p.array && p.wrt < 0 && act.arrays.has(p.name)) for (const b of adj(p.name)) out.line(`const ${b} = new Float64Array(${p.name}.length);`);
  out.line("const $fs = $S.f, $is = $S.i;");
  out.line("let $fp = 0, $ip = 0, $w = 0, $hf = 0, $hi = 0;");
  const body = new Lines();
  body.append(forward);
  body.line("if ($fp > $hf) $hf = $fp;");
  body.line("if ($ip > $hi) $hi = $ip;");
  for (const n of e.keptThroughFusion()) body.line(`${n} = ${n}$v;`);
  body.append(adjoint);
  out.append(lanes === 1 ? body : body.mapped((lines) => laneLines(lines, lanes)));
  const resName = lanes === 1 ? "$res" : "$resLanes";
  fn.params.forEach((p, k) => {
    if (p.array || p.wrt < 0) return;
    adj(p.name).forEach((b, l) => out.line(`${resName}[${k * lanes + l}] = ${act.vars.has(p.name) ? b : "0"};`));
  });
  // High-water marks: a trip's pushes are popped by its adjoint, so the end pointers say nothing of the space used.
  out.line("$S.fp = $hf; $S.ip = $hi; $S.used = $hf * 8 + $hi * 4; $S.wide = $w;");
  // A pass that makes no result returns its length (see Fusion.seedsResult).
  const res = fn.resultArray;
  out.line(`return ${res === null ? "$ret" : e.dropsResult(res) ? "$length" : res};`);
  const adjoints = fn.params.filter((p) => p.array && p.wrt >= 0).flatMap((p) => adj(p.name));
  const args = [...fn.params.map((p) => p.name), ...adjoints, ...seeds].join(", ");
  e.R.constant(new Float64Array(Math.max(1, fn.params.length * lanes)), resName.slice(1));
  return `function ${lanes === 1 ? "fused" : "fusedLanes"}(${args}) {\n${out.text()}\n}`;
}
