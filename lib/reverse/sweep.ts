/**
 * The backward sweep: one loop over the tape from the outputs down, with
 * no per-op code. Scalar entries use their cached partials directly; extended
 * entries go through the registry-derived pullback. A second, differentiable
 * sweep (createGraph) recomputes each entry's partials with the
 * differentiable algebra on Var handles, so the gradient it returns is
 * itself recorded on the tape.
 */
import { opById } from "../registry/op.ts";
import { Lifted, type Value } from "../registry/lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { shapeOf } from "../structure/structure.ts";
import { fail, describe, TypeMismatchError, ShapeError } from "../errors.ts";
import { pullback } from "./pullback.ts";
import { plus, scaled } from "../registry/combine.ts";
import type { Tape, Hook } from "./tape.ts";
import { FIRST_OP, FREED_BIT, EXT, DEAD, LEAF, decodeScalar, scalarEntry, scalarOpId, type ScalarEntry } from "./entry-layout.ts";
import { checkVersions } from "./versions.ts";
import { Var } from "./var.ts";
import { freed, deadNode } from "./graph-errors.ts";
import { noGrad } from "./nograd.ts";

/** Adjoints after a first-order sweep. A numeric node's adjoint is `num[i]` plus `extra.get(i)` if present. */
export interface Adjoints {
  num: Float64Array;
  extra: Map<number, Value>;
  reached: Uint8Array;
}

/**
 * The adjoint of node i (0 if the sweep never reached it).
 *
 * @example
 * ```ts
 * adjointOf(tape, adj, leafId);
 * ```
 */
export function adjointOf(tape: Tape, adj: Adjoints, i: number): Value {
  const extra = adj.extra.get(i);
  if (!tape.isNumericNode(i)) return extra ?? 0;
  const n = i < adj.num.length ? adj.num[i] : 0;
  return extra === undefined ? n : plus(n, extra);
}

/** Zeroes reusable adjoint storage (cheaper than allocating it again for every sweep of a compiled gradient). */
function clearAdjoints(adj: Adjoints): Adjoints {
  adj.num.fill(0);
  adj.reached.fill(0);
  adj.extra.clear();
  return adj;
}

function addAdjoint(tape: Tape, adj: Adjoints, i: number, v: Value): void {
  adj.reached[i] = 1;
  if (typeof v === "number" && tape.isNumericNode(i)) adj.num[i] = adj.num[i] + v;
  else adj.extra.set(i, plus(adj.extra.get(i) ?? null, v));
}

function setAdjoint(tape: Tape, adj: Adjoints, i: number, v: Value): void {
  adj.extra.delete(i);
  if (tape.isNumericNode(i)) adj.num[i] = 0;
  addAdjoint(tape, adj, i, v);
}

/**
 * Runs a node's hooks in order. In a first-order sweep (`tape` given) they
 * run without recording, as in PyTorch, and a result computed from this
 * tape's values is taken as its plain value: the gradient stays a number
 * or Tensor instead of becoming a handle on a finished recording.
 */
function runHooks(hooks: Hook[], g: Value, tape: Tape | null): Value {
  let cur = g;
  for (const h of [...hooks]) {
    const returned = tape === null ? h(cur) : noGrad(() => h(cur));
    if (returned === undefined) continue;
    const r: Value = tape !== null && returned instanceof Var && (returned.tape === null || returned.tape.level === tape.level) ? returned.value : returned;
    checkHookResult(r, cur);
    cur = r;
  }
  return cur;
}

/** A hook may replace the gradient only with a value of the same shape. */
function checkHookResult(r: unknown, g: Value): void {
  if (!(typeof r === "number" || r instanceof Tensor || r instanceof Lifted)) {
    fail("backward", `a gradient hook returned ${describe(r)}`, "return a number or Tensor shaped like the gradient it received, or nothing", TypeMismatchError);
  }
  const want = shapeOf(g);
  const got = shapeOf(r);
  if (want.join(",") !== got.join(",")) {
    fail("backward", `a gradient hook returned shape [${got.join(", ")}] for a gradient of shape [${want.join(", ")}]`,
      "return a replacement with the same shape as the gradient it received", ShapeError);
  }
}

/**
 * First-order sweep from `outs` seeded with `seeds`.
 *
 * @example
 * ```ts
 * const adj = sweep(tape, [y.id], [1]);
 * adjointOf(tape, adj, x.id);
 * ```
 */
export function sweep(tape: Tape, outs: readonly number[], seeds: readonly Value[], api = "backward", scratch: Adjoints | null = null): Adjoints {
  let top = -1;
  for (const o of outs) if (o > top) top = o;
  const adj: Adjoints = scratch !== null && scratch.num.length > top
    ? clearAdjoints(scratch)
    : { num: new Float64Array(top + 1), extra: new Map(), reached: new Uint8Array(top + 1) };
  for (let k = 0; k < outs.length; k++) addAdjoint(tape, adj, outs[k], seeds[k]);
  const { a, b, pa, pb, code } = tape;
  const { num, reached, extra } = adj;
  const hooks = tape.hooks;
  for (let i = top; i >= 0; i--) {
    if (reached[i] === 0) continue;
    if (hooks !== null) {
      const hs = hooks.get(i);
      if (hs !== undefined && hs.length > 0) setAdjoint(tape, adj, i, runHooks(hs, adjointOf(tape, adj, i), tape));
    }
    const c = code[i];
    if (c >= FIRST_OP) {
      if (c >= FREED_BIT) freed(api);
      const g = num[i];
      const ai = a[i];
      const bi = b[i];
      num[ai] = num[ai] + pa[i] * g;
      reached[ai] = 1;
      if (bi >= 0) {
        num[bi] = num[bi] + pb[i] * g;
        reached[bi] = 1;
      }
      if (extra.size > 0 && extra.has(i)) scalarExtra(tape, adj, i, extra.get(i)!);
    } else if (c === EXT) {
      pullExtended(tape, adj, i);
    } else if (c === DEAD) {
      deadNode(tape, i, api);
    }
  }
  return adj;
}

/** Propagates the non-numeric part of a scalar node's adjoint (a nested Dual/Var reaching a plain scalar). */
function scalarExtra(tape: Tape, adj: Adjoints, i: number, g: Value): void {
  const ai = tape.a[i];
  const bi = tape.b[i];
  addAdjoint(tape, adj, ai, scaled(tape.pa[i], g));
  if (bi >= 0) addAdjoint(tape, adj, bi, scaled(tape.pb[i], g));
}

function pullExtended(tape: Tape, adj: Adjoints, i: number): void {
  const e = tape.ext.get(i)!;
  checkVersions(e, i, true);
  const g = adjointOf(tape, adj, i);
  const cts = pullback(e.op!, e.vals, e.out, e.cache, g, e.params, e.nodes);
  for (let k = 0; k < e.nodes.length; k++) {
    const n = e.nodes[k];
    const ct = cts[k];
    if (n < 0 || ct === null || ct === undefined) continue;
    addAdjoint(tape, adj, n, ct);
  }
}

/**
 * The value of every node up to `top`, recomputed from the leaves and
 * constants stored on the tape (scalar entries keep no value of their own).
 *
 * @example
 * ```ts
 * replayValues(tape, y.id)[y.id] === y.value; // true
 * ```
 */
export function replayValues(tape: Tape, top: number): Value[] {
  const vals = new Array<Value>(top + 1);
  const e = scalarEntry();
  for (let i = 0; i <= top; i++) {
    const c = tape.codeAt(i);
    if (c === LEAF) vals[i] = tape.pa[i];
    else if (c < FIRST_OP) vals[i] = tape.ext.get(i)!.out;
    else {
      const f = opById(scalarOpId(c)).elementwise!.value;
      decodeScalar(tape, i, e);
      const x = e.node0 >= 0 ? vals[e.node0] as number : e.const0;
      if (e.arity === 1) vals[i] = f(x);
      else vals[i] = f(x, e.node1 >= 0 ? vals[e.node1] as number : e.const1);
    }
  }
  return vals;
}

/** Arguments (Var handles for nodes, constants as stored) and operand nodes of scalar entry i. */
function scalarArgs(tape: Tape, i: number, e: ScalarEntry, handle: (n: number) => Var): { args: Value[]; nodes: number[] } {
  decodeScalar(tape, i, e);
  const arg = (n: number, k: number): Value => (n >= 0 ? handle(n) : k);
  if (e.arity === 1) return { args: [handle(e.node0)], nodes: [e.node0] };
  return { args: [arg(e.node0, e.const0), arg(e.node1, e.const1)], nodes: [e.node0, e.node1] };
}

/**
 * Differentiable sweep: returns each reached node's adjoint as a Value
 * recorded on the same tape, so gradients can be differentiated again.
 *
 * @example
 * ```ts
 * const adj = sweepDifferentiable(tape, [y.id], [1]);
 * adj.get(x.id); // a Var: dy/dx as a function of x
 * ```
 */
export function sweepDifferentiable(tape: Tape, outs: readonly number[], seeds: readonly Value[], api = "backward"): Map<number, Value> {
  let top = -1;
  for (const o of outs) if (o > top) top = o;
  const vals = replayValues(tape, top);
  const gen = tape.gen;
  const handle = (n: number) => new Var(vals[n], tape, n, gen, false);
  const adj = new Map<number, Value>();
  const decoded = scalarEntry();
  const accumulateInto = (n: number, v: Value) => adj.set(n, plus(adj.get(n) ?? null, v));
  for (let k = 0; k < outs.length; k++) accumulateInto(outs[k], seeds[k]);
  for (let i = top; i >= 0; i--) {
    let g = adj.get(i);
    if (g === undefined) continue;
    const hs = tape.hooks?.get(i);
    if (hs !== undefined && hs.length > 0) adj.set(i, (g = runHooks(hs, g, null)));
    const c = tape.code[i];
    if (c >= FREED_BIT) freed(api);
    if (c === DEAD) deadNode(tape, i, api);
    if (c !== EXT && c < FIRST_OP) continue;
    const e = c === EXT ? tape.ext.get(i)! : null;
    if (e !== null) checkVersions(e, i, false);
    const { args, nodes } = e === null
      ? scalarArgs(tape, i, decoded, handle)
      : { args: e.nodes.map((n, k) => (n >= 0 ? handle(n) : e.vals[k])), nodes: e.nodes };
    const op = e === null ? opById(scalarOpId(c)) : e.op!;
    const cts = pullback(op, args, handle(i), null, g, e === null ? undefined : e.params, nodes);
    for (let k = 0; k < nodes.length; k++) {
      const ct = cts[k];
      if (nodes[k] >= 0 && ct !== null && ct !== undefined) accumulateInto(nodes[k], ct);
    }
  }
  return adj;
}
