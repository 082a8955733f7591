/**
 * Source text of one fused group's loops, forward and backward, for
 * lib/codegen.ts to compile. Forward: every member's value from its op's
 * `value` function, kept in a register (`v<id>`) and written to its buffer
 * only when something outside the loop reads it; the reduction it feeds is
 * accumulated in the same loop. Backward: the members' cotangents in
 * registers, in reverse order, each times the member's partials (the
 * registry rule emitted by emit-algebra.ts, or the op's scalar kernel when
 * the rule reads values); contributions to nodes outside the group are
 * accumulated into their cotangent buffers, reduced over broadcast axes.
 *
 * Generated functions read buffers by node id from arrays `V` (values) and
 * `GV` (cotangents), which the plan fills from its buffer pool.
 */
import { Tensor } from "../tensor/tensor.ts";
import type { Program, PArg } from "./program.ts";
import type { Group } from "./fuse.ts";
import { Deps, emitPartials } from "./emit-algebra.ts";

/** Thrown when a group cannot be emitted (an op without a symbolic rule or scalar kernel); the caller keeps the replay path. */
export class NotFusable extends Error {}

/** A generated function's body and the dependencies it names. */
export interface Source {
  body: string;
  deps: Record<string, unknown>;
}

class Writer {
  readonly deps = new Deps();
  readonly hoist = new Set<string>();
  constructor(readonly prog: Program, readonly g: Group) {}

  /** The expression for argument `a` at element i. */
  arg(a: PArg): string {
    if ("node" in a) {
      if (this.g.members.includes(a.node)) return `v${a.node}`;
      const b = `B${a.node}`;
      this.hoist.add(`const ${b} = V[${a.node}];`);
      if (a.access === "same") return `${b}[i]`;
      if (a.access === "mod") return `${b}[i % ${b}.length]`;
      this.hoist.add(`const s${a.node} = ${b}[0];`);
      return `s${a.node}`;
    }
    if (typeof a.value === "number") return this.deps.name(a.value, "k");
    const c = this.deps.name((a.value as Tensor).data, "c");
    return a.access === "same" ? `${c}[i]` : a.access === "mod" ? `${c}[i % ${c}.length]` : `${c}[0]`;
  }

  hoisted(): string {
    return [...this.hoist].join("\n  ");
  }
}

/**
 * The forward loop of group `g`: `function (V, n)` computing every member
 * over n elements, writing the members in `stored` to `V[id]`, and
 * returning the sum of the reduction's argument (0 without one).
 *
 * @example
 * ```ts
 * const src = emitForward(prog, group, new Set([7]));
 * generated(src.body, src.deps, fallback);
 * ```
 */
export function emitForward(prog: Program, g: Group, stored: ReadonlySet<number>): Source {
  const w = new Writer(prog, g);
  const lines: string[] = [];
  for (const id of g.members) {
    const n = prog.nodes[id];
    const f = w.deps.name(n.op?.elementwise?.value, "f");
    lines.push(`const v${id} = ${f}(${n.args.map((a) => w.arg(a)).join(", ")});`);
    if (stored.has(id)) {
      w.hoist.add(`const O${id} = V[${id}];`);
      lines.push(`O${id}[i] = v${id};`);
    }
  }
  if (g.reduce >= 0) {
    const a = prog.nodes[g.reduce].args[0];
    if ("node" in a) lines.push(`acc += v${a.node};`);
  }
  const body = `return function fused(V, n) {
  ${w.hoisted()}
  let acc = 0;
  for (let i = 0; i < n; i++) {
    ${lines.join("\n    ")}
  }
  return acc;
};`;
  return { body, deps: w.deps.map };
}

/** The partial expressions of member `id` (lines computing them go to `pre`), or NotFusable. */
function partialsOf(w: Writer, id: number, pre: string[]): (string | null)[] {
  const n = w.prog.nodes[id];
  const op = n.op;
  if (op === null) throw new NotFusable();
  const args = n.args.map((a) => w.arg(a));
  const parts = emitPartials(op, args, `v${id}`, w.deps);
  if (parts !== null) return parts;
  if (op.kernel === null || args.length > 2) throw new NotFusable();
  const k = w.deps.name(op.kernel, "q");
  const res = w.deps.name(new Float64Array(3), "r");
  pre.push(`${k}(${args[0]}, ${args[1] ?? "0"}, ${res});`, `const p${id}_0 = ${res}[1], p${id}_1 = ${res}[2];`);
  return args.map((_, k2) => `p${id}_${k2}`);
}

/** Adds contribution `c` to the cotangent of argument `a` (registers inside the group, buffers outside). */
function contribute(w: Writer, a: PArg, c: string, out: string[], after: Set<string>): void {
  // A stopGradient cut passes nothing back: no cotangent buffer is kept for it.
  if (!("node" in a) || w.prog.nodes[a.node].kind === "stop") return;
  const m = a.node;
  if (w.g.members.includes(m)) {
    out.push(`g${m} += ${c};`);
    return;
  }
  w.hoist.add(`const GB${m} = GV[${m}];`);
  if (a.access === "same") out.push(`GB${m}[i] += ${c};`);
  else if (a.access === "mod") out.push(`GB${m}[i % GB${m}.length] += ${c};`);
  else {
    w.hoist.add(`let a${m} = 0;`);
    out.push(`a${m} += ${c};`);
    after.add(`GB${m}[0] += a${m};`);
  }
}

/**
 * The backward loop of group `g`: `function (V, GV, gred, n)` pulling the
 * members' cotangents (from `GV` for the members in `fromOutside`, plus
 * `gred` for the reduction's argument) back to the nodes outside the group.
 * Also returns the members whose values it reads (they must be stored) and
 * the nodes outside the group whose values it reads.
 *
 * @example
 * ```ts
 * const { source, reads } = emitBackward(prog, group, new Set([7]));
 * ```
 */
export function emitBackward(prog: Program, g: Group, fromOutside: ReadonlySet<number>): { source: Source; reads: Set<number>; external: Set<number> } {
  const w = new Writer(prog, g);
  const red = g.reduce >= 0 ? prog.nodes[g.reduce].args[0] : null;
  const init: string[] = [];
  for (const id of g.members) {
    const terms = [];
    if (fromOutside.has(id)) {
      w.hoist.add(`const GB${id} = GV[${id}];`);
      terms.push(`GB${id}[i]`);
    }
    if (red !== null && "node" in red && red.node === id) terms.push("gred");
    init.push(`let g${id} = ${terms.length === 0 ? "0" : terms.join(" + ")};`);
  }
  const body: string[] = [];
  const after = new Set<string>();
  for (let k = g.members.length - 1; k >= 0; k--) {
    const id = g.members[k];
    const parts = partialsOf(w, id, body);
    prog.nodes[id].args.forEach((a, j) => {
      const p = parts[j];
      if (p !== null) contribute(w, a, `g${id} * ${p}`, body, after);
    });
  }
  const reads = new Set<number>();
  const text = body.join("\n    ");
  for (const m of g.members) if (new RegExp(`\\bv${m}\\b`).test(text)) reads.add(m);
  // Values of nodes outside the group that the partials read: they must outlive this backward step.
  const external = new Set<number>();
  for (const [, id] of text.matchAll(/\b[Bs](\d+)\b/g)) external.add(Number(id));
  const loads = [...reads].map((m) => {
    w.hoist.add(`const O${m} = V[${m}];`);
    return `const v${m} = O${m}[i];`;
  });
  const src = `return function fusedBack(V, GV, gred, n) {
  ${w.hoisted()}
  for (let i = 0; i < n; i++) {
    ${[...loads, ...init].join("\n    ")}
    ${text}
  }
  ${[...after].join("\n  ")}
};`;
  return { source: { body: src, deps: w.deps.map }, reads, external };
}
