/**
 * Fusion: the program's nodes cut into steps. Consecutive elementwise nodes
 * over the same number of elements form one group (one generated loop);
 * a full reduction whose argument is in the open group joins it as the
 * loop's accumulator and closes it; any other op is a generic step. A
 * member read with the same index by a later member stays in a register.
 */
import type { Program } from "./program.ts";

/**
 * One fused loop: elementwise members in order, and the reduction they feed (or -1).
 *
 * @example
 * ```ts
 * const group = vg.plan?.steps.find((s): s is { kind: "group"; group: Group } => s.kind === "group")?.group;
 * group?.members; // the node ids fused into one loop
 * ```
 */
export interface Group {
  domain: number;
  members: number[];
  reduce: number;
}

/**
 * A step of the forward schedule (the backward schedule is the reverse).
 *
 * @example
 * ```ts
 * for (const step of vg.plan?.steps ?? []) {
 *   console.info(step.kind === "group" ? `loop over ${step.group.members.length} ops` : `node ${step.node}`);
 * }
 * ```
 */
export type Step = { kind: "group"; group: Group } | { kind: "generic"; node: number };

function joins(prog: Program, g: Group | null, id: number): boolean {
  if (g === null || g.reduce >= 0) return false;
  const n = prog.nodes[id];
  if (n.size !== g.domain) return false;
  return n.args.every((a) => !("node" in a) || !g.members.includes(a.node) || a.access === "same" || g.domain === 1);
}

/**
 * The steps of `prog`, in forward order.
 *
 * @example
 * ```ts
 * fuse(buildProgram(tape, leaves, out)!); // [{ kind: "group", ... }, ...]
 * ```
 */
export function fuse(prog: Program): Step[] {
  const steps: Step[] = [];
  let open: Group | null = null;
  for (const n of prog.nodes) {
    if (n === undefined || n.kind === "input") continue;
    if (n.kind === "ew") {
      if (open !== null && joins(prog, open, n.id)) open.members.push(n.id);
      else {
        open = { domain: n.size, members: [n.id], reduce: -1 };
        steps.push({ kind: "group", group: open });
      }
      continue;
    }
    const a0 = n.args[0];
    if (n.kind === "reduce" && open !== null && open.reduce < 0 && "node" in a0 && open.members.includes(a0.node)) {
      open.reduce = n.id;
      open = null;
      continue;
    }
    open = null;
    steps.push({ kind: "generic", node: n.id });
  }
  return steps;
}

/**
 * The step that computes each node (inputs: -1), by node id.
 *
 * @example
 * ```ts
 * const at = stepOf(prog, fuse(prog)); // at[id] === k: node id is computed by step k
 * ```
 */
export function stepOf(prog: Program, steps: readonly Step[]): Int32Array {
  const at = new Int32Array(prog.nodes.length).fill(-1);
  steps.forEach((s, k) => {
    if (s.kind === "generic") at[s.node] = k;
    else {
      for (const m of s.group.members) at[m] = k;
      if (s.group.reduce >= 0) at[s.group.reduce] = k;
    }
  });
  return at;
}
