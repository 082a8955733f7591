/**
 * The recorded computation behind Vars, as a plain graph: one node per op
 * entry and per input (leaf) reached from the outputs, one node per
 * constant Tensor argument, and one edge per argument, from the value an op
 * read to the op. `toDot` and `toSvg` draw this graph.
 *
 * Everything this module knows about the tape's entry layout is in
 * `entryView`, the one function that reads a tape entry: the rest works on
 * its result.
 */
import { primal, type Value } from "../registry/lifted.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { fail, describe, checkOptions, GraphError, TypeMismatchError } from "../errors.ts";
import { Var } from "../reverse/var.ts";
import type { Tape } from "../reverse/tape.ts";
import { resolveHandle } from "../reverse/tape-merge.ts";
import { LEAF, LEAF_OBJ, DEAD, EXT, decodeScalar, scalarEntry } from "../reverse/entry-layout.ts";

/** What a node stands for. */
export type NodeKind = "input" | "op" | "constant" | "freed";

/** One node of the drawn graph. */
export interface GraphNode {
  /** `n<k>` or, for constants, `c<k>`, where k is the node's position in `Graph.nodes`. */
  id: string;
  kind: NodeKind;
  /** The op's name (the Var's `gradFn`) for op nodes; null otherwise. */
  op: string | null;
  /** A name given through `options.names`, if any. */
  name: string | null;
  /** "scalar", or the Tensor shape as "[2, 3]". */
  shape: string;
  /** True for inputs gradients flow to (and for ops, which pass them on). */
  requiresGrad: boolean;
  /** True for the Vars the graph was drawn from. */
  output: boolean;
  /** True when a backward without retainGraph has already passed through this op. */
  freed: boolean;
  /** Number arguments of an op, in argument order (not drawn as nodes). */
  constants: string[];
}

/** An argument: the value `from` is argument `arg` of op `to`. */
export interface GraphEdge {
  from: string;
  to: string;
  arg: number;
}

/** A recorded computation, nodes in an order where every edge points forward. */
export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/**
 * Options of `toDot` and `toSvg`.
 *
 * @example
 * ```ts
 * toSvg(loss, { names: { W1, b1, X, loss } }); // boxes titled "W1", "b1", "X", "loss = <op>"
 * ```
 */
export interface GraphOptions {
  /** Names for inputs, constants and outputs, as PyTorch's `named_parameters()` are given to torchviz. */
  names?: Record<string, Var | Tensor>;
}

/** An argument of an entry: another entry's node, or a constant value. */
type Arg = { node: number } | { constant: Value };

/** What the graph needs of one tape entry. */
interface EntryView {
  kind: "input" | "op" | "freed";
  op: string | null;
  args: Arg[];
  /** The entry's value, or null where the tape keeps none (scalar ops, whose value is a number). */
  value: Value | null;
  freed: boolean;
}

/** What the graph needs of each entry, read through the tape's layout (lib/reverse/entry-layout.ts). */
function entryView(tape: Tape, i: number): EntryView {
  const c = tape.codeAt(i);
  const freed = tape.isFreed(i);
  if (c === LEAF) return { kind: "input", op: null, args: [], value: tape.pa[i], freed };
  const e = tape.ext.get(i);
  if (c === LEAF_OBJ) return { kind: "input", op: null, args: [], value: e!.out, freed };
  if (c === DEAD) return { kind: "freed", op: null, args: [], value: e!.out, freed: true };
  if (c === EXT) {
    const args = e!.nodes.map((n, k): Arg => (n >= 0 ? { node: n } : { constant: e!.vals[k] }));
    return { kind: "op", op: e!.op!.name, args, value: e!.out, freed };
  }
  const s = decodeScalar(tape, i, scalarEntry());
  const arg = (node: number, constant: number): Arg => (node >= 0 ? { node } : { constant });
  const args: Arg[] = s.arity === 1 ? [arg(s.node0, s.const0)] : [arg(s.node0, s.const0), arg(s.node1, s.const1)];
  return { kind: "op", op: tape.opName(i), args, value: null, freed };
}

function shapeOf(v: Value | null): string {
  const p = v === null ? 0 : primal(v);
  return typeof p === "number" ? "scalar" : `[${p.shape.join(", ")}]`;
}

function checkOutputs(api: string, outputs: Var | Var[]): { vars: Var[]; tape: Tape | null } {
  const vars = Array.isArray(outputs) ? outputs : [outputs];
  // findIndex, not find: an undefined entry (toSvg() called with nothing) must count as bad too.
  const bad = vars.findIndex((v) => !(v instanceof Var));
  if (vars.length === 0 || bad >= 0) {
    fail(api, `expected a Var or an array of Vars, got ${vars.length === 0 ? "an empty array" : describe(vars[bad])}`,
      "pass the Var whose computation should be drawn (make inputs with variable(...))", TypeMismatchError);
  }
  // Imperative graphs may sit on several tapes of one owner: bring the outputs onto one.
  const owner = vars.find((v) => v.tape !== null && v.tape.owner !== null)?.tape?.owner ?? null;
  if (owner !== null && !vars.every((v) => v.leaf || v.tape === vars[0]?.tape)) owner.gather(vars);
  for (const v of vars) resolveHandle(v);
  const recorded = vars.some((v) => !v.leaf && v.tape !== null) ? vars.filter((v) => !v.leaf) : vars;
  const tapes = new Set(recorded.map((v) => v.tape).filter((t): t is Tape => t !== null));
  if (tapes.size > 1) fail(api, "the Vars were recorded on different tapes", "draw each computation on its own", GraphError);
  const tape = tapes.size === 1 ? [...tapes][0] : null;
  for (const v of vars) {
    if (v.tape !== null && v.gen !== tape!.gen && !v.leaf) {
      fail(api, "the graph behind this value is gone (a backward without retainGraph freed it, or the transform that recorded it returned)",
        "draw it before backward(), pass { retainGraph: true } to backward(), or recompute the value", GraphError);
    }
  }
  return { vars, tape };
}

/** The entries reachable from the outputs, in increasing order (an entry's arguments come before it). */
function reachable(tape: Tape, roots: number[]): Map<number, EntryView> {
  const seen = new Map<number, EntryView>();
  const stack = [...roots];
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (seen.has(i)) continue;
    const e = entryView(tape, i);
    seen.set(i, e);
    for (const a of e.args) if ("node" in a) stack.push(a.node);
  }
  return new Map([...seen].sort((x, y) => x[0] - y[0]));
}

function nameLookup(names: Record<string, Var | Tensor>): (v: Var | Value) => string | null {
  const byObject = new Map<unknown, string>();
  for (const [k, v] of Object.entries(names)) {
    byObject.set(v, k);
    if (v instanceof Var && v.tape === null) byObject.set(v.value, k);
  }
  return (v) => byObject.get(v) ?? null;
}

function node(id: string, kind: NodeKind, value: Value | null, extra: Partial<GraphNode> = {}): GraphNode {
  return { id, kind, op: null, name: null, shape: shapeOf(value), requiresGrad: false, output: false, freed: false, constants: [], ...extra };
}

/** Outputs not on the tape's current generation: a Var that requires no grad, or a leaf not used since the tape was cleared. */
function offTape(vars: Var[], tape: Tape | null, nameOf: (v: Var | Value) => string | null): GraphNode[] {
  const off = vars.filter((v, k) => (tape === null || v.gen !== tape.gen) && vars.indexOf(v) === k);
  return off.map((v, k) => node(`v${k}`, v.tape === null ? "constant" : "input", v.value,
    { name: nameOf(v), requiresGrad: v.tape !== null, output: true }));
}

/** Nodes and edges of the entries behind the outputs; constant Tensors become nodes, numbers stay in their op's `constants`. */
function entryNodes(entries: Map<number, EntryView>, outIds: Set<string>, named: Map<number, string>, nameOf: (v: Value) => string | null): Graph {
  const ops: GraphNode[] = [];
  const constants = new Map<Value, GraphNode>();
  const edges: GraphEdge[] = [];
  for (const [i, e] of entries) {
    const id = `n${i}`;
    const n = node(id, e.kind, e.value, { op: e.op, name: named.get(i) ?? null, requiresGrad: e.kind !== "freed", output: outIds.has(id), freed: e.freed });
    e.args.forEach((a, k) => {
      if ("node" in a) return void edges.push({ from: `n${a.node}`, to: id, arg: k });
      const c = a.constant;
      if (typeof c === "number") return void n.constants.push(formatNumber(c));
      let cn = constants.get(c);
      if (cn === undefined) constants.set(c, (cn = node(`c${constants.size}`, "constant", c, { name: nameOf(c) })));
      edges.push({ from: cn.id, to: id, arg: k });
    });
    ops.push(n);
  }
  return { nodes: [...constants.values(), ...ops], edges };
}

/**
 * The graph recorded behind `outputs` (one Var or several on one tape).
 * Nodes come in an order where every edge points forward: constants, then
 * entries in recording order.
 *
 * @example
 * ```ts
 * const x = variable(2);
 * const g = readGraph(mul(sin(x), 3) as Var);
 * g.nodes.map((n) => n.op ?? n.kind); // ["input", "sin", "mul"]
 * g.nodes[2].constants;              // ["3"]
 * ```
 */
export function readGraph(outputs: Var | Var[], options: GraphOptions = {}, api = "toDot"): Graph {
  const { vars, tape } = checkOutputs(api, outputs);
  checkOptions(api, options, ["names"]);
  const names = options.names ?? {};
  if (names === null || typeof names !== "object") {
    fail(api, `names is ${describe(names)}, not an object`, "pass { names: { w, b } } mapping names to Vars or Tensors", TypeMismatchError);
  }
  const nameOf = nameLookup(names);
  const named = new Map<number, string>();
  for (const [k, v] of Object.entries(names)) {
    if (v instanceof Var && tape !== null && v.tape === tape && v.gen === tape.gen) named.set(v.id, k);
  }
  const live = tape === null ? [] : vars.filter((v) => v.gen === tape.gen);
  const entries = tape === null ? new Map<number, EntryView>() : reachable(tape, live.map((v) => v.id));
  const g = entryNodes(entries, new Set(live.map((v) => `n${v.id}`)), named, nameOf);
  return renumber({ nodes: [...offTape(vars, tape, nameOf), ...g.nodes], edges: g.edges });
}

/** Ids by position in the graph, so that a drawing does not depend on what else the tape holds. */
function renumber(g: Graph): Graph {
  const ids = new Map(g.nodes.map((n, k) => [n.id, `${n.kind === "constant" ? "c" : "n"}${k}`]));
  return {
    nodes: g.nodes.map((n) => ({ ...n, id: ids.get(n.id)! })),
    edges: g.edges.map((e) => ({ ...e, from: ids.get(e.from)!, to: ids.get(e.to)! })),
  };
}

function formatNumber(x: number): string {
  return Number.isInteger(x) || !Number.isFinite(x) ? String(x) : String(Number(x.toPrecision(4)));
}
