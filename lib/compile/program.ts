/**
 * The tensor program of a recording: one node per recorded entry, each an
 * input, an elementwise op (arguments broadcast by one of the index forms
 * the fused loops support), a full reduction that is a uniform weighted sum
 * (fusable into its producer's loop), a stopGradient cut (a copy of its
 * argument's value that passes no cotangent back), or any other op, run generically.
 * Built from the entries `readEntry` decodes; null when the recording holds
 * something this path does not handle (the caller keeps the replay path).
 */
import { G, type Op } from "../registry/op.ts";
import { primal, type Value } from "../registry/lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import type { Tape } from "../reverse/tape.ts";
import { readEntry } from "./tape-view.ts";

/** How an elementwise loop over the output reads an argument: same index, one element, or index modulo its size (a trailing-axes broadcast). */
export type Access = "same" | "one" | "mod";

/** An argument: a node of the program or a constant (frozen at recording). */
export type PArg = { node: number; access: Access } | { value: number | Tensor; access: Access };

/** One node of the program; its id is its entry index on the tape. */
export interface PNode {
  id: number;
  kind: "input" | "ew" | "reduce" | "generic" | "stop";
  shape: number[];
  size: number;
  /** The value is a number (not a Tensor). */
  scalar: boolean;
  op: Op | null;
  params: unknown;
  args: PArg[];
  /** Reduce: the weight of every element (1 for a sum, 1/n for a mean). */
  weight: number;
  /** Input: its position among the leaves. */
  leaf: number;
}

/** The program: nodes by tape index (sparse only below the first leaf), and the output node. */
export interface Program {
  nodes: PNode[];
  out: number;
}

function shapeOf(v: Value): number[] {
  const p = primal(v);
  return typeof p === "number" ? [] : p.shape;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** How a loop over `out` reads an argument of shape `arg`, or null when no supported form fits. */
function accessFor(arg: readonly number[], out: readonly number[]): Access | null {
  const n = sizeOf(arg);
  if (n === 1) return "one";
  if (arg.length === out.length && arg.every((d, k) => d === out[k])) return "same";
  if (arg.length < out.length && arg.every((d, k) => d === out[out.length - arg.length + k])) return "mod";
  return null;
}

/**
 * The weight w when `op` (a full reduction of a Tensor) is x -> w * sum(x):
 * its own transpose, evaluated at the recorded argument and at a ramp,
 * pulls 1 back to the same constant in every element. Null otherwise.
 */
function uniformWeight(op: Op, x: Tensor, params: unknown): number | null {
  const s = op.structural;
  if (s === null) return null;
  const ramp = new Tensor(Float64Array.from(x.data, (_, i) => i + 1), x.shape.slice());
  let w: number | null = null;
  for (const probe of [x, ramp]) {
    const ct = s.vjp(G, [probe], s.compute([probe], params), 1, params)[0];
    const p = ct === null ? null : primal(ct);
    if (!(p instanceof Tensor) || p.size !== x.size) return null;
    for (let i = 0; i < p.size; i++) {
      if (w === null) w = p.data[i];
      else if (p.data[i] !== w) return null;
    }
  }
  return w;
}

function node(id: number, kind: PNode["kind"], out: Value, op: Op | null = null, params: unknown = undefined, args: PArg[] = []): PNode {
  const shape = shapeOf(out);
  return { id, kind, shape, size: sizeOf(shape), scalar: typeof primal(out) === "number", op, params, args, weight: 1, leaf: -1 };
}

function opNode(nodes: PNode[], i: number, op: Op, rawArgs: ({ node: number } | { value: Value })[], params: unknown, out: Value): PNode | null {
  const argShape = (a: { node: number } | { value: Value }) => ("node" in a ? nodes[a.node]?.shape : shapeOf(a.value));
  if (rawArgs.some((a) => ("node" in a ? nodes[a.node] === undefined : a.value instanceof Object && !(a.value instanceof Tensor)))) return null;
  const outShape = shapeOf(out);
  if (op.elementwise !== null) {
    const args: PArg[] = [];
    for (const a of rawArgs) {
      const access = accessFor(argShape(a) ?? [], outShape);
      if (access === null) return null;
      args.push("node" in a ? { node: a.node, access } : { value: primal(a.value), access });
    }
    return node(i, "ew", out, op, params, args);
  }
  const args: PArg[] = rawArgs.map((a) => ("node" in a ? { node: a.node, access: "same" } : { value: primal(a.value), access: "same" }));
  const a0 = rawArgs[0];
  if (rawArgs.length === 1 && "node" in a0 && typeof primal(out) === "number" && !nodes[a0.node].scalar) {
    const x = nodes[a0.node];
    const probe = new Tensor(new Float64Array(x.size).fill(0.5), x.shape.slice());
    const w = uniformWeight(op, probe, params);
    if (w !== null) return { ...node(i, "reduce", out, op, params, args), weight: w };
  }
  return node(i, "generic", out, op, params, args);
}

/**
 * The program recorded on `tape` from entry `first` to `out`, with `leaves`
 * the tape indices of the inputs and `stops` the stopGradient cuts (a leaf
 * of the tape to the node it copies); null when an entry is not supported.
 *
 * @example
 * ```ts
 * const prog = buildProgram(tape, leafIds, outId, new Map());
 * ```
 */
export function buildProgram(tape: Tape, leaves: readonly number[], out: number, stops: ReadonlyMap<number, number> = new Map()): Program | null {
  const nodes: PNode[] = [];
  for (let i = 0; i <= out; i++) {
    const e = readEntry(tape, i);
    if (e.kind === "other") return null;
    const src = stops.get(i);
    if (e.kind === "leaf" && src !== undefined) {
      if (nodes[src] === undefined) return null;
      nodes[i] = node(i, "stop", e.value, null, undefined, [{ node: src, access: "same" }]);
      continue;
    }
    if (e.kind === "leaf") {
      const k = leaves.indexOf(i);
      if (k < 0) return null;
      nodes[i] = { ...node(i, "input", e.value), leaf: k };
      continue;
    }
    const outValue = e.out ?? 0;
    const n = opNode(nodes, i, e.op, e.args, e.params, outValue);
    if (n === null) return null;
    nodes[i] = n;
  }
  return { nodes, out };
}
