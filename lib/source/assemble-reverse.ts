/**
 * The two functions of reverse mode around the emitted sweeps. The forward
 * sweep (`sweep`) leaves on the stacks what the adjoint sweep needs, then
 * the final values of the saved scalars; local arrays pass through `$A`.
 * The adjoint sweep (`reverse`) picks them up, seeds the result's adjoint
 * and runs backwards.
 */
import { forEachStmt, type Fn, type Stmt } from "./ir.ts";
import { Lines } from "./emit-common.ts";
import type { ReverseEmitter } from "./emit-reverse.ts";
import { pushName, popName } from "./stack-code.ts";
import { laneLines, laneName } from "./reverse-lanes.ts";

/** Both functions' sources and the constants they close over. */
export interface Emitted {
  sweep: string;
  reverse: string;
  /** The adjoint sweep for REVERSE_LANES cotangents at once (`reverseLanes`). */
  reverseLanes: string;
  constants: Map<string, unknown>;
  /** The arrays whose elements the adjoint sweep writes back (restores): see `AdjointWrites`. */
  writes: AdjointWrites;
}

/**
 * Which arrays the adjoint sweep writes elements of (it restores their
 * overwritten elements as it goes), per parameter and per local array in
 * `$A` order. A kept forward sweep (kept-sweep.ts) copies only these for
 * each pullback; the others the adjoint sweep only reads.
 */
export interface AdjointWrites {
  params: boolean[];
  arrays: boolean[];
}

/**
 * The arrays a reverse emitter's saved names make the adjoint sweep write:
 * the saved arrays that the function stores into, whose overwritten
 * elements the forward sweep pushes and the adjoint sweep pops back into
 * place. (A saved array that is never stored into is only read.)
 *
 * @example
 * ```ts
 * adjointWrites(fn, new Set(["a"])); // { params: [false], arrays: [true] } for f(x) storing into its local array a
 * ```
 */
export function adjointWrites(fn: Fn, saved: ReadonlySet<string>): AdjointWrites {
  const stored = new Set<string>();
  forEachStmt(fn.body, (s) => { if (s.k === "store") stored.add(s.arr); });
  const restored = (name: string) => saved.has(name) && stored.has(name);
  return { params: fn.params.map((p) => p.array && restored(p.name)), arrays: fn.arrays.map((a) => restored(a.name)) };
}

/**
 * The ids of every loop in `stmts`, nested ones included: each live loop
 * without a counter counts its trips in `$n<id>`, which the sweeps declare.
 *
 * @example
 * ```ts
 * loopIds(fn.body); // [0, 1]
 * ```
 */
export function loopIds(stmts: readonly Stmt[], out: number[] = []): number[] {
  for (const s of stmts) {
    if (s.k === "loop") { out.push(s.id); loopIds(s.body, out); }
    else if (s.k === "if") { loopIds(s.then, out); loopIds(s.else, out); }
  }
  return out;
}

/**
 * Scalars whose final forward value the adjoint sweep reads: they cross on the stacks.
 *
 * @example
 * ```ts
 * crossing(fn, saved); // ["n", "s"]: number parameters and locals in saved
 * ```
 */
export function crossing(fn: Fn, saved: ReadonlySet<string>): string[] {
  return [...fn.params.filter((p) => !p.array).map((p) => p.name), ...fn.locals].filter((n) => saved.has(n));
}

/**
 * The forward sweep's function source.
 *
 * @example
 * ```ts
 * assembleSweep(emitter, saved, forwardLines); // "function sweep(x, n) { ... }"
 * ```
 */
export function assembleSweep(e: ReverseEmitter, saved: ReadonlySet<string>, forward: Lines): string {
  const { fn } = e;
  const out = new Lines();
  const scalars = [...fn.locals.map((n) => `${n} = 0`), ...loopIds(fn.body).map((id) => `$n${id} = 0`), ...e.pathNames().map((n) => `${n} = 0`)];
  if (scalars.length > 0) out.line(`let ${scalars.join(", ")};`);
  // null until allocated: an early return before an allocation hands the adjoint sweep null.
  if (fn.arrays.length > 0) out.line(`let ${fn.arrays.map((a) => `${a.name} = null`).join(", ")};`);
  out.line("const $fs = $S.f, $is = $S.i;");
  out.line("let $fp = 0, $ip = 0, $w = 0;");
  out.append(forward);
  for (const n of crossing(fn, saved)) out.line(pushName(n, e.ctx.ints));
  // Past the end, pushes were dropped: the caller grows the stacks to fit and runs the sweep again.
  out.line("$S.fp = $fp; $S.ip = $ip; $S.used = $fp * 8 + $ip * 4; $S.wide = $w;");
  fn.arrays.forEach((a, k) => out.line(`$A[${k}] = ${a.name};`));
  out.line(`return ${fn.resultArray === null ? "$ret" : `${fn.resultArray}.slice()`};`);
  const args = fn.params.map((p) => p.name).join(", ");
  e.R.constant(new Array<Float64Array | null>(fn.arrays.length).fill(null), "A");
  return `function sweep(${args}) {\n${out.text()}\n}`;
}

/**
 * The names of an adjoint in each of `lanes` lanes (`x$b`, or `x$b0`,
 * `x$b1`, ...) and the seeds' names.
 *
 * @example
 * ```ts
 * laneNames(2).adj("x"); // ["x$b0", "x$b1"]
 * ```
 */
export function laneNames(lanes: number): { adj: (name: string) => string[]; seeds: string[] } {
  const L = Array.from({ length: lanes }, (_, l) => l);
  return {
    adj: (name) => (lanes === 1 ? [`${name}$b`] : L.map((l) => laneName(`${name}$b`, l))),
    seeds: lanes === 1 ? ["$seed"] : L.map((l) => laneName("$seed", l)),
  };
}

/**
 * The `let` declarations an adjoint function starts with: every local with
 * its adjoints where it is active, and the path variables.
 *
 * @example
 * ```ts
 * adjointScalars(emitter, laneNames(1).adj); // ["s = 0", "s$b = 0", "i = 0", "$p0 = 0"]
 * ```
 */
export function adjointScalars(e: ReverseEmitter, adj: (name: string) => string[]): string[] {
  const { fn, act } = e;
  const scalars = fn.locals.flatMap((n) => (act.vars.has(n) ? [`${n} = 0`, ...adj(n).map((b) => `${b} = 0`)] : [`${n} = 0`]));
  scalars.push(...e.pathNames().map((n) => `${n} = 0`));
  return scalars;
}

/**
 * The adjoint sweep's function source: `reverse(...params, ...adjointArrays,
 * $seed)`, or with `lanes` > 1 `reverseLanes(...params, x$b0, x$b1, ...,
 * $seed0, $seed1, ...)`, which runs the sweep for `lanes` cotangents at once
 * (see reverse-lanes.ts) and leaves number parameters' adjoints in
 * `$resLanes[k * lanes + lane]`.
 *
 * @example
 * ```ts
 * assembleReverse(emitter, saved, adjointLines); // "function reverse(x, n, x$b, $seed) { ... }"
 * ```
 */
export function assembleReverse(e: ReverseEmitter, saved: ReadonlySet<string>, adjoint: Lines, lanes = 1): string {
  const { fn, act } = e;
  const { adj, seeds } = laneNames(lanes);
  const out = new Lines();
  const scalars = adjointScalars(e, adj);
  for (const p of fn.params) if (!p.array && act.vars.has(p.name)) scalars.push(...adj(p.name).map((b) => `${b} = 0`));
  if (scalars.length > 0) out.line(`let ${scalars.join(", ")};`);
  fn.arrays.forEach((a, k) => {
    out.line(`const ${a.name} = $A[${k}];`);
    out.line(`$A[${k}] = null;`);
    // An early return before its allocation left the array null (and its adjoint unused).
    if (act.arrays.has(a.name)) for (const b of adj(a.name)) out.line(`const ${b} = new Float64Array(${a.name} === null ? 0 : ${a.name}.length);`);
  });
  for (const p of fn.params) if (p.array && p.wrt < 0 && act.arrays.has(p.name)) for (const b of adj(p.name)) out.line(`const ${b} = new Float64Array(${p.name}.length);`);
  out.line("const $fs = $S.f, $is = $S.i;");
  out.line("let $fp = $S.fp, $ip = $S.ip;");
  for (const n of crossing(fn, saved).reverse()) out.line(popName(n, e.ctx.ints));
  const res = fn.resultArray;
  if (res === null) {
    if (act.vars.has("$ret")) adj("$ret").forEach((b, l) => out.line(`${b} = ${seeds[l]};`));
  } else if (act.arrays.has(res)) {
    adj(res).forEach((b, l) => out.line(`for (let $j = 0; $j < ${res}.length; $j++) ${b}[$j] = ${seeds[l]}[$j];`));
  }
  out.append(lanes === 1 ? adjoint : adjoint.mapped((lines) => laneLines(lines, lanes)));
  const resName = lanes === 1 ? "$res" : "$resLanes";
  fn.params.forEach((p, k) => {
    if (p.array || p.wrt < 0) return;
    adj(p.name).forEach((b, l) => out.line(`${resName}[${k * lanes + l}] = ${act.vars.has(p.name) ? b : "0"};`));
  });
  const adjoints = fn.params.filter((p) => p.array && p.wrt >= 0).flatMap((p) => adj(p.name));
  const args = [...fn.params.map((p) => p.name), ...adjoints, ...seeds].join(", ");
  e.R.constant(new Float64Array(Math.max(1, fn.params.length * lanes)), resName.slice(1));
  return `function ${lanes === 1 ? "reverse" : "reverseLanes"}(${args}) {\n${out.text()}\n}`;
}
