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
import { forEachStmt, type Fn } from "./ir.ts";
import type { Activity } from "./activity.ts";
import { Lines } from "./emit-common.ts";
import { loopIds, laneNames, adjointScalars, crossing } from "./assemble-reverse.ts";
import { pushName, popName, pushFloat } from "./stack-code.ts";
import { ReverseEmitter } from "./emit-reverse.ts";
import { counting } from "./counted-loops.ts";
import { integerLocals } from "./invert.ts";
import { fusion } from "./fusable.ts";
import { laneLines, REVERSE_LANES } from "./reverse-lanes.ts";

/**
 * The fused pass's sources and their constants: `fused` (and `fusedLanes`
 * for REVERSE_LANES cotangents), and, where the statements before the loop
 * hold loops of their own, `fusedAdjoint` (`fusedAdjointLanes`), the
 * adjoint of those statements as a function of its own, run right after.
 */
export interface EmittedFused {
  fused: string;
  fusedLanes: string;
  /** Null when the adjoint of what comes before the loop is in `fused` itself. */
  adjoint: string | null;
  adjointLanes: string | null;
  constants: Map<string, unknown>;
}

/**
 * The fused reverse pass of a normalized function, or null when its last
 * loop's trips are not independent (see fusable.ts). `fused(...params,
 * ...adjointArrays, $seed)` returns the value (or, for a result array it
 * need not make, its length: see Fusion.seedsResult), adds into the
 * adjoint arrays of array parameters in `wrt` and writes number
 * parameters' adjoints to `$res[k]`, as `reverse` does; `fusedLanes` takes
 * REVERSE_LANES adjoint arrays and seeds, as `reverseLanes` does. When the
 * statements before the loop have loops, their adjoint is a second
 * function taking the same arguments (`adjoint`), which picks up on the
 * stacks where `fused` left them: V8 optimises a long function while its
 * first loop runs, before later loops have type feedback, and then keeps
 * deoptimising in them (one function measured 6.5x chain's primal where
 * the two sweeps took 4.2x).
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
  let split = false;
  forEachStmt(fn.body.filter((s) => s !== f.loop), (s) => { if (s.k === "loop") split = true; });
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
      // The arrays that cross to fusedAdjoint, as constants both functions close over (sized for the most lanes).
      const crossNames = split ? {
        A: e.R.constant(new Array<Float64Array | null>(fn.arrays.length).fill(null), "A"),
        B: e.R.constant(new Array<Float64Array | null>(crossingArrays(e, laneNames(REVERSE_LANES).adj).length).fill(null), "B"),
      } : null;
      const parts = { e, forward, adjoint, saved, crossNames };
      const lanes: { fused: string | null; adjoint: string | null } = { fused: null, adjoint: null };
      return {
        fused: assembleFused(parts, 1),
        adjoint: split ? assembleAdjoint(parts, 1) : null,
        // The lanes functions are assembled on first use (they add $resLanes to the constants then).
        get fusedLanes() {
          return (lanes.fused ??= assembleFused(parts, REVERSE_LANES));
        },
        get adjointLanes() {
          return split ? (lanes.adjoint ??= assembleAdjoint(parts, REVERSE_LANES)) : null;
        },
        constants: e.R.constants,
      };
    }
    saved = new Set([...saved, ...grown]);
  }
}

/** What both functions of a fused pass are assembled from. */
interface Parts {
  e: ReverseEmitter;
  forward: Lines;
  adjoint: Lines;
  saved: ReadonlySet<string>;
  /** The names of the constants arrays cross in, or null when the pass is one function. */
  crossNames: { A: string; B: string } | null;
}

/**
 * What crosses from `fused` to `fusedAdjoint` on the stacks: the final
 * values of the saved scalars (as between the two sweeps), then every
 * active scalar's adjoint, lane by lane; and the arrays' adjoints in `$B`.
 */
function crossingAdjoints(e: ReverseEmitter, adj: (name: string) => string[]): string[] {
  const { fn, act } = e;
  return [...fn.params.filter((p) => !p.array && act.vars.has(p.name)).map((p) => p.name), ...fn.locals.filter((n) => act.vars.has(n))].flatMap(adj);
}

/** The adjoint arrays that cross in `$B`: active local arrays', then those of active arrays not differentiated. */
function crossingArrays(e: ReverseEmitter, adj: (name: string) => string[]): string[] {
  const { fn, act } = e;
  return [...fn.arrays.filter((a) => act.arrays.has(a.name) && !e.dropsResult(a.name)).map((a) => a.name),
    ...fn.params.filter((p) => p.array && p.wrt < 0 && act.arrays.has(p.name)).map((p) => p.name)].flatMap(adj);
}

/** The arguments both functions take: f's, the adjoint arrays of array wrt entries, the seeds. */
function argumentsOf(e: ReverseEmitter, lanes: number): string {
  const { adj, seeds } = laneNames(lanes);
  const adjoints = e.fn.params.filter((p) => p.array && p.wrt >= 0).flatMap((p) => adj(p.name));
  return [...e.fn.params.map((p) => p.name), ...adjoints, ...seeds].join(", ");
}

/** Number parameters' adjoints into `$res` (`$resLanes`), and the buffer registered as a constant. */
function writeResults(e: ReverseEmitter, out: Lines, lanes: number): void {
  const { fn, act } = e;
  const { adj } = laneNames(lanes);
  const resName = lanes === 1 ? "$res" : "$resLanes";
  fn.params.forEach((p, k) => {
    if (p.array || p.wrt < 0) return;
    adj(p.name).forEach((b, l) => out.line(`${resName}[${k * lanes + l}] = ${act.vars.has(p.name) ? b : "0"};`));
  });
  e.R.constant(new Float64Array(Math.max(1, fn.params.length * lanes)), resName.slice(1));
}

/** The `let` declarations of both functions. */
function declarations(e: ReverseEmitter, lanes: number): string[] {
  const { fn, act } = e;
  const { adj } = laneNames(lanes);
  const scalars = adjointScalars(e, adj);
  scalars.push(...loopIds(fn.body).map((id) => `$n${id} = 0`));
  scalars.push(...e.keptThroughFusion().map((n) => `${n}$v = 0`), ...[...e.costlyLocals].map((n) => `${n} = 0`), "$cf = 0", "$length = 0");
  for (const p of fn.params) if (!p.array && act.vars.has(p.name)) scalars.push(...adj(p.name).map((b) => `${b} = 0`));
  return [`let ${scalars.join(", ")};`];
}

/** The fused function's source, for one cotangent or for `lanes`. */
function assembleFused(parts: Parts, lanes: number): string {
  const { e, forward, adjoint, saved, crossNames } = parts;
  const { fn, act } = e;
  const { adj } = laneNames(lanes);
  const out = new Lines();
  declarations(e, lanes).forEach((l) => out.line(l));
  for (const a of fn.arrays) out.line(`let ${[a.name, ...(act.arrays.has(a.name) ? adj(a.name) : [])].map((n) => `${n} = null`).join(", ")};`);
  for (const p of fn.params) if (p.array && p.wrt < 0 && act.arrays.has(p.name)) for (const b of adj(p.name)) out.line(`const ${b} = new Float64Array(${p.name}.length);`);
  out.line("const $fs = $S.f, $is = $S.i;");
  out.line("let $fp = 0, $ip = 0, $w = 0, $hf = 0, $hi = 0;");
  const body = new Lines();
  body.append(forward);
  for (const n of e.keptThroughFusion()) body.line(`${n} = ${n}$v;`);
  if (crossNames === null) {
    body.line("if ($fp > $hf) $hf = $fp;");
    body.line("if ($ip > $hi) $hi = $ip;");
    body.append(adjoint);
  }
  out.append(lanes === 1 ? body : body.mapped((lines) => laneLines(lines, lanes)));
  if (crossNames !== null) {
    // Handed to fusedAdjoint: scalars on the stacks (pushed lane by lane, after the mapping: the lanes
    // mapping refuses lines that touch adjoints and move a stack pointer), arrays in $A and $B.
    crossing(fn, saved).forEach((n) => out.line(pushName(n, e.ctx.ints)));
    crossingAdjoints(e, adj).forEach((b) => out.line(pushFloat(b)));
    fn.arrays.forEach((a, k) => out.line(`${crossNames.A}[${k}] = ${a.name};`));
    crossingArrays(e, adj).forEach((b, k) => out.line(`${crossNames.B}[${k}] = ${b};`));
    out.line("if ($fp > $hf) $hf = $fp;");
    out.line("if ($ip > $hi) $hi = $ip;");
    out.line("$S.fe = $fp; $S.ie = $ip;");
  } else {
    writeResults(e, out, lanes);
  }
  // High-water marks: a trip's pushes are popped by its adjoint, so the end pointers say nothing of the space used.
  out.line("$S.fp = $hf; $S.ip = $hi; $S.used = $hf * 8 + $hi * 4; $S.wide = $w;");
  // A pass that makes no result returns its length (see Fusion.seedsResult).
  const res = fn.resultArray;
  out.line(`return ${res === null ? "$ret" : e.dropsResult(res) ? "$length" : res};`);
  return `function ${lanes === 1 ? "fused" : "fusedLanes"}(${argumentsOf(e, lanes)}) {\n${out.text()}\n}`;
}

/** The second function of a split fused pass: the adjoint of the statements before the loop, from where `fused` left the stacks. */
function assembleAdjoint(parts: Parts, lanes: number): string {
  const { e, adjoint, saved } = parts;
  const { A, B } = parts.crossNames!;
  const { fn } = e;
  const { adj } = laneNames(lanes);
  const out = new Lines();
  declarations(e, lanes).forEach((l) => out.line(l));
  fn.arrays.forEach((a, k) => out.line(`const ${a.name} = ${A}[${k}];`));
  crossingArrays(e, adj).forEach((b, k) => out.line(`const ${b} = ${B}[${k}];`));
  // Let go of the arrays: the constants would otherwise keep the last call's alive.
  out.line(`${A}.fill(null); ${B}.fill(null);`);
  out.line("const $fs = $S.f, $is = $S.i;");
  out.line("let $fp = $S.fe, $ip = $S.ie;");
  crossingAdjoints(e, adj).reverse().forEach((b) => out.line(`${b} = $fs[--$fp];`));
  crossing(fn, saved).reverse().forEach((n) => out.line(popName(n, e.ctx.ints)));
  out.append(lanes === 1 ? adjoint : adjoint.mapped((lines) => laneLines(lines, lanes)));
  writeResults(e, out, lanes);
  return `function ${lanes === 1 ? "fusedAdjoint" : "fusedAdjointLanes"}(${argumentsOf(e, lanes)}) {\n${out.text()}\n}`;
}
