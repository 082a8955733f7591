/**
 * The compiled tensor path of `compileGrad`: a recording turned into a plan
 * (program -> fused steps -> generated loops -> pooled buffers) that runs
 * the forward pass and the backward sweep without the tape. Fused groups
 * run generated loops (emit-tensor.ts); any other op (matmul, reshape, ...)
 * runs its registered `compute` and transpose (`pullback`), as the tape
 * would, on buffers of the plan.
 *
 * Returns null (the caller keeps the replay interpreter) when the recording
 * holds an entry the planner does not handle or when code generation is
 * unavailable: the replay path is this plan's fallback.
 */
import { pullback } from "../reverse/pullback.ts";
import type { Value } from "../registry/lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { generated } from "../codegen.ts";
import type { Tape } from "../reverse/tape.ts";
import { buildProgram, type Program, type PNode } from "./program.ts";
import { fuse, stepOf, type Step } from "./fuse.ts";
import { emitForward, emitBackward, NotFusable } from "./emit-tensor.ts";
import { assign, type Interval } from "./buffers.ts";

type Forward = (V: Float64Array[], n: number) => number;
type Backward = (V: Float64Array[], GV: Float64Array[], gred: number, n: number) => void;

/**
 * A compiled tensor program.
 *
 * @example
 * ```ts
 * const vg = jitValueAndGrad((w: Lifted) => sum(mul(w, w)));
 * vg(tensor([1, 2]));
 * vg.plan?.steps.length;   // the fused loops and generic steps
 * vg.plan?.sources[0];     // the generated code of the first loop
 * ```
 */
export interface TensorPlan {
  /** The schedule: fused groups and generic steps, in forward order. */
  readonly steps: readonly Step[];
  /** Source of every generated loop (forward and backward), for inspection. */
  readonly sources: readonly string[];
  /** Pooled buffers, and the intermediate values and cotangents they hold. */
  readonly poolSize: number;
  readonly buffered: number;
  /** Runs the forward pass at new inputs (numbers and Tensors in leaf order). */
  forward(inputs: readonly Value[]): void;
  /** The value of node `id` after `forward`. */
  valueOf(id: number): Value;
  /** The cotangents of the inputs, in leaf order, after `forward` (seed 1 at the output). */
  backward(): Value[];
}

/** Which nodes read each node. */
function consumersOf(prog: Program): number[][] {
  const users: number[][] = prog.nodes.map(() => []);
  for (const n of prog.nodes) {
    if (n === undefined) continue;
    for (const a of n.args) if ("node" in a) users[a.node].push(n.id);
  }
  return users;
}

interface Layout {
  prog: Program;
  steps: Step[];
  at: Int32Array;
  users: number[][];
  /** Whether a node's value is read by a step other than its own. */
  outside: (id: number) => boolean;
  /** Whether a node's cotangent comes (in part) from a step other than its own: stopGradient cuts pass none. */
  gradOutside: (id: number) => boolean;
}

interface Compiled {
  fwd: Forward[];
  bwd: Backward[];
  stored: Set<number>;
  sources: string[];
  /** Per step: the values of other steps its backward reads (all arguments for a generic step). */
  backReads: Set<number>[];
}

function compileGroups(l: Layout, keep: ReadonlySet<number>): Compiled | null {
  const stored = new Set<number>(keep);
  const fwd: Forward[] = [];
  const bwd: Backward[] = [];
  const sources: string[] = [];
  const backReads: Set<number>[] = [];
  const back = l.steps.map((s, k) => {
    if (s.kind !== "group") {
      backReads[k] = new Set(l.prog.nodes[s.node].args.flatMap((a) => ("node" in a ? [a.node] : [])));
      return null;
    }
    const fromOutside = new Set(s.group.members.filter((m) => l.gradOutside(m) || m === l.prog.out));
    for (const m of s.group.members) if (l.outside(m)) stored.add(m);
    const b = emitBackward(l.prog, s.group, fromOutside);
    for (const m of b.reads) stored.add(m);
    backReads[k] = b.external;
    return b.source;
  });
  for (let k = 0; k < l.steps.length; k++) {
    const s = l.steps[k];
    const bs = back[k];
    if (s.kind !== "group" || bs === null) continue;
    const fs = emitForward(l.prog, s.group, new Set(s.group.members.filter((m) => stored.has(m))));
    const f = generated<Forward | null>(fs.body, fs.deps, () => null);
    const b = generated<Backward | null>(bs.body, bs.deps, () => null);
    if (f === null || b === null) return null;
    fwd[k] = f;
    bwd[k] = b;
    sources.push(fs.body, bs.body);
  }
  return { fwd, bwd, stored, sources, backReads };
}

/** Liveness intervals: forward step k is time k, its backward is time 2F-1-k. */
function intervals(l: Layout, c: Compiled, keep: ReadonlySet<number>): { ids: number[]; grads: boolean[]; req: Interval[] } {
  const stored = c.stored;
  const F = l.steps.length;
  const B = (k: number) => 2 * F - 1 - k;
  const ids: number[] = [];
  const grads: boolean[] = [];
  const req: Interval[] = [];
  for (const n of l.prog.nodes) {
    if (n === undefined || n.kind === "input") continue;
    const s = l.at[n.id];
    const users = l.users[n.id];
    const fusedValue = n.kind === "reduce" ? l.steps[s].kind === "group" : l.steps[s].kind === "group" && stored.has(n.id);
    if (fusedValue) {
      let end = keep.has(n.id) ? 2 * F : B(s);
      for (const u of users) {
        const k = l.at[u];
        end = Math.max(end, k === s || c.backReads[k].has(n.id) ? B(k) : k);
      }
      ids.push(n.id); grads.push(false); req.push({ size: n.size, start: s, end });
    }
    if (l.gradOutside(n.id) || n.id === l.prog.out) {
      let start = n.id === l.prog.out ? F : 2 * F;
      for (const c of users) if (l.at[c] !== s) start = Math.min(start, B(l.at[c]));
      ids.push(n.id); grads.push(true); req.push({ size: n.size, start, end: B(s) });
    }
  }
  return { ids, grads, req };
}

/**
 * The plan for the program recorded on `tape` (inputs at tape indices
 * `leaves`, output node `out`); `keep` lists nodes whose values are read
 * after the forward pass (guards). Null when this path does not apply.
 *
 * @example
 * ```ts
 * const plan = planTensorProgram(tape, leafIds, outId, new Set());
 * plan?.forward([x]); plan?.backward(); // [dx]
 * ```
 */
export function planTensorProgram(
  tape: Tape, leaves: readonly number[], out: number, keep: ReadonlySet<number>, stops: ReadonlyMap<number, number> = new Map(),
): TensorPlan | null {
  const prog = buildProgram(tape, leaves, out, stops);
  if (prog === null) return null;
  const steps = fuse(prog);
  const at = stepOf(prog, steps);
  const users = consumersOf(prog);
  const readBy = (id: number, c: number) => at[c] !== at[id] || prog.nodes[c].kind === "generic" || prog.nodes[c].kind === "stop";
  const outside = (id: number) => users[id].some((c) => readBy(id, c));
  // A cut's cotangent goes nowhere and its argument gets none from it: neither needs a cotangent buffer for it.
  const gradOutside = (id: number) => prog.nodes[id].kind !== "stop" && users[id].some((c) => prog.nodes[c].kind !== "stop" && readBy(id, c));
  const l: Layout = { prog, steps, at, users, outside, gradOutside };
  const kept = new Set([...keep, out]);
  let groups;
  try {
    groups = compileGroups(l, kept);
  } catch (e) {
    if (e instanceof NotFusable) return null;
    throw e;
  }
  if (groups === null) return null;
  const iv = intervals(l, groups, kept);
  return makePlan(l, groups, iv, assign(iv.req));
}

function makePlan(
  l: Layout, g: Compiled,
  iv: { ids: number[]; grads: boolean[]; req: Interval[] }, asg: { slot: Int32Array; sizes: number[] },
): TensorPlan {
  const { prog, steps } = l;
  const F = steps.length;
  const pool = asg.sizes.map((n) => new Float64Array(n));
  const V: Float64Array[] = new Array(prog.nodes.length);
  const GV: Float64Array[] = new Array(prog.nodes.length);
  const zeroAt: Float64Array[][] = Array.from({ length: 2 * F + 1 }, () => []);
  iv.ids.forEach((id, k) => {
    const buf = pool[asg.slot[k]];
    if (iv.grads[k]) {
      GV[id] = buf;
      zeroAt[iv.req[k].start].push(buf);
    } else V[id] = buf;
  });
  const genericOut: Value[] = new Array(prog.nodes.length);
  const valueOf = (id: number): Value => {
    const n = prog.nodes[id];
    if (n.kind === "generic") return genericOut[id];
    return n.scalar ? V[id][0] : new Tensor(V[id], n.shape);
  };
  const argValues = (n: PNode): Value[] => n.args.map((a) => ("node" in a ? valueOf(a.node) : a.value));
  const inputs = prog.nodes.filter((n) => n !== undefined && n.kind === "input");
  return {
    steps, sources: g.sources, poolSize: pool.length, buffered: iv.ids.length,
    valueOf,
    forward(items) {
      for (const n of inputs) {
        const v = items[n.leaf];
        V[n.id] = typeof v === "number" ? Float64Array.of(v) : (v as Tensor).data;
      }
      steps.forEach((s, k) => {
        if (s.kind === "group") {
          const acc = g.fwd[k](V, s.group.domain);
          if (s.group.reduce >= 0) V[s.group.reduce][0] = acc * prog.nodes[s.group.reduce].weight;
          return;
        }
        const n = prog.nodes[s.node];
        const out = n.kind === "stop" ? copyOf(argValues(n)[0]) : n.op?.structural?.compute(argValues(n) as (number | Tensor)[], n.params) ?? 0;
        genericOut[n.id] = out;
        V[n.id] = typeof out === "number" ? Float64Array.of(out) : out.data;
      });
    },
    backward() {
      for (const n of inputs) GV[n.id] = new Float64Array(n.size);
      for (const b of zeroAt[F]) b.fill(0);
      GV[prog.out][0] += 1;
      for (let k = F - 1; k >= 0; k--) {
        const t = 2 * F - 1 - k;
        if (t > F) for (const b of zeroAt[t]) b.fill(0);
        const s = steps[k];
        if (s.kind === "group") {
          const r = s.group.reduce;
          const gred = r >= 0 && GV[r] !== undefined ? GV[r][0] * prog.nodes[r].weight : 0;
          g.bwd[k](V, GV, gred, s.group.domain);
        } else pullGeneric(prog.nodes[s.node], GV, argValues, genericOut);
      }
      return inputs.map((n) => (n.scalar ? GV[n.id][0] : new Tensor(GV[n.id], n.shape)));
    },
  };
}

/** A cut's value: its argument's, copied (the argument may sit in a pooled buffer that a later step overwrites). */
function copyOf(v: Value): number | Tensor {
  return v instanceof Tensor ? new Tensor(v.data.slice(), v.shape) : (v as number);
}

/** A generic step's transpose, added into its arguments' cotangent buffers (a cut has no op and adds nothing). */
function pullGeneric(n: PNode, GV: Float64Array[], argValues: (n: PNode) => Value[], outs: Value[]): void {
  const gb = GV[n.id];
  if (gb === undefined || n.op === null) return;
  const g: Value = n.scalar ? gb[0] : new Tensor(gb, n.shape);
  const cts = pullback(n.op, argValues(n), outs[n.id], null, g, n.params, n.args.map((a) => ("node" in a ? a.node : -1)));
  n.args.forEach((a, k) => {
    const ct = cts[k];
    if (!("node" in a) || ct === null || ct === undefined) return;
    const dst = GV[a.node];
    if (dst === undefined) return;
    if (typeof ct === "number") dst[0] += ct;
    else {
      const src = (ct as Tensor).data;
      for (let i = 0; i < dst.length; i++) dst[i] += src[i];
    }
  });
}
