/**
 * The imperative reverse-mode entry points: `Var.backward` (accumulates into
 * leaves' `.grad`) and `gradients` (returns gradients, leaves `.grad` alone),
 * both with retainGraph / createGraph.
 */
import { primal, exampleShape, type Value } from "../registry/lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { plus } from "../registry/combine.ts";
import { fail, describe, checkOptions as checkKeys, booleanOption, GraphError, ShapeError, TypeMismatchError } from "../errors.ts";
import type { Tape } from "./tape.ts";
import { Var, provideBackward } from "./var.ts";
import { resolveHandle } from "./tape-merge.ts";
import { escaped, freed, modifiedLeaf } from "./graph-errors.ts";
import { leafVersion } from "./leaf-version.ts";
import { sweep, sweepDifferentiable, adjointOf } from "./sweep.ts";

/**
 * Options of `backward` and `gradients`.
 *
 * @example
 * ```ts
 * const x = variable(2);
 * const y = f(x);                       // any function built from dualtape ops
 * y.backward(1, { retainGraph: true });
 * y.backward();                         // allowed: the first call kept the graph
 * x.grad;                               // 2 f'(2): the two backwards accumulate
 * ```
 */
export interface BackwardOptions {
  /** Keep the graph so another backward can run through it (default: createGraph). */
  retainGraph?: boolean;
  /** Record the backward pass itself, so the gradients are Vars that can be differentiated again. */
  createGraph?: boolean;
}

/**
 * The seed for an output when none is given: 1 for a scalar, otherwise an error.
 *
 * @example
 * ```ts
 * defaultSeed("backward", variable(3)); // 1
 * ```
 */
export function defaultSeed(api: string, y: Var): Value {
  const p = primal(y.value);
  if (typeof p === "number") return 1;
  if (p.size === 1) return new Tensor(new Float64Array([1]), p.shape);
  return fail(api, `the output is a Tensor of shape [${p.shape.join(", ")}], not a scalar, so it needs a seed`,
    `pass a seed of the same shape (e.g. ones([${p.shape.join(", ")}])), or reduce the output to a scalar first (e.g. by summing it)`, GraphError);
}

function checkSeed(api: string, y: Var, seed: Value): Value {
  const p = primal(y.value);
  const s = primal(seed);
  if (typeof s !== "number" && !(s instanceof Tensor)) {
    fail(api, `the seed is ${describe(seed)}`, "pass a number or a Tensor shaped like the output", TypeMismatchError);
  }
  const ps = typeof p === "number" ? [] : p.shape;
  const ss = typeof s === "number" ? [] : s.shape;
  if (ps.length !== ss.length || ps.some((d, i) => d !== ss[i])) {
    fail(api, `the seed has shape [${ss.join(", ")}] but the output has shape [${ps.join(", ")}]`,
      "pass a seed with exactly the output's shape", ShapeError);
  }
  return seed;
}

const BACKWARD_KEYS = ["retainGraph", "createGraph"] as const;
const GRADIENTS_KEYS = [...BACKWARD_KEYS, "gradOutputs"] as const;

function checkOptions(api: string, options: unknown, keys: readonly string[]): void {
  checkKeys(api, options, keys);
  const o = (options ?? {}) as BackwardOptions;
  booleanOption(api, "retainGraph", o.retainGraph);
  booleanOption(api, "createGraph", o.createGraph);
}

function tapeOf(api: string, y: Var): Tape {
  resolveHandle(y);
  const tape = y.tape;
  if (tape === null) {
    fail(api, "this Var does not require grad (made with requiresGrad: false, detach(), or inside noGrad)",
      "build the output from Vars created with variable(value)", GraphError);
  }
  if (tape.owner === null && (y.gen !== tape.gen || y.gen < tape.firstGen || !tape.open)) escaped(tape);
  if (y.gen !== tape.gen) freed(api);
  return tape;
}

/**
 * A differentiable backward records on the tape it sweeps, so values of
 * imperative graphs on several tapes are merged onto one first.
 */
function openFor(vars: Var[]): void {
  const owner = vars[0].tape?.owner;
  if (owner !== null && owner !== undefined) owner.gather(vars);
}

/** Hands the tape back to its owner after a backward that recorded nothing. */
function settle(tape: Tape): void {
  if (tape.owner !== null) tape.owner.settle(tape);
}

/** Adds each leaf's adjoint (read by `adjointAt`) to its `.grad`, for the leaves registered at or below `top`. */
function accumulate(tape: Tape, top: number, adjointAt: (n: number) => Value | undefined): void {
  checkLeafVersions(tape, top, "backward", (n) => adjointAt(n) !== undefined);
  tape.leaves.forEach((leaf, k) => {
    const n = tape.leafNodes[k];
    if (n > top) return;
    const g = adjointAt(n);
    if (g !== undefined) leaf.grad = leaf.grad === null ? owned(g) : plus(leaf.grad, g);
  });
}

/**
 * Refuses a backward that reached a leaf registered before the leaf got a
 * new value (a registration on a tape retired before an optimiser step; the
 * registration on the leaf's own tape became a dead node instead).
 */
function checkLeafVersions(tape: Tape, top: number, api: string, reached: (n: number) => boolean): void {
  if (tape.owner === null) return;
  tape.leaves.forEach((leaf, k) => {
    const n = tape.leafNodes[k];
    if (n <= top && tape.leafVersions[k] !== leafVersion(leaf) && reached(n)) modifiedLeaf(n, api);
  });
}

/**
 * A leaf's first gradient as storage of its own (PyTorch copies too). The
 * sweep passes cotangents on without copying through unit partials, so the
 * adjoint may be the seed itself or the adjoint of another leaf; an
 * in-place write to either (or an optimiser step on one) must not change it.
 */
function owned(g: Value): Value {
  return g instanceof Tensor ? new Tensor(Float64Array.from(g.data), [...g.shape]) : g;
}

/** `gradients` results that share storage with a seed or an earlier result are copied. */
function distinct(results: Value[], seeds: readonly Value[]): Value[] {
  const used: Float64Array[] = [];
  for (const s of seeds) if (s instanceof Tensor) used.push(s.data);
  return results.map((r) => {
    if (!(r instanceof Tensor)) return r;
    const own = used.includes(r.data) ? owned(r) as Tensor : r;
    used.push(own.data);
    return own;
  });
}

/**
 * Implements `y.backward(seed, options)`.
 *
 * @example
 * ```ts
 * backwardFrom(y, undefined, {}); // same as y.backward()
 * ```
 */
export function backwardFrom(y: Var, seed: Value | undefined, options: BackwardOptions): void {
  checkOptions("backward", options, BACKWARD_KEYS);
  const tape = tapeOf("backward", y);
  if (tape.transform) {
    fail("backward", "this value was computed inside a function transform (grad, jacrev, vjp, compileGrad, ...), on that transform's own recording",
      "call backward() on values computed outside transforms, or return the value from f and let the transform differentiate it", GraphError);
  }
  const s = seed === undefined ? defaultSeed("backward", y) : checkSeed("backward", y, seed);
  const create = options.createGraph === true;
  const retain = options.retainGraph ?? create;
  if (create) {
    openFor([y]);
    const t = y.tape!;
    const adj = sweepDifferentiable(t, [y.id], [s]);
    accumulate(t, y.id, (n) => adj.get(n));
    if (!retain) t.free(reachedOf(adj, y.id));
  } else {
    const adj = sweep(tape, [y.id], [s]);
    accumulate(tape, y.id, (n) => (adj.reached[n] === 1 ? adjointOf(tape, adj, n) : undefined));
    if (!retain) tape.free(adj.reached);
    settle(tape);
  }
}

function reachedOf(adj: Map<number, Value>, top: number): Uint8Array {
  const reached = new Uint8Array(top + 1);
  for (const k of adj.keys()) if (k <= top) reached[k] = 1;
  return reached;
}

/**
 * Options of `gradients`.
 *
 * @example
 * ```ts
 * const x = variable(tensor([1, 2]));
 * const [g] = gradients(f(x), [x], { gradOutputs: ones([2]) }); // the vector-Jacobian product with [1, 1]
 * ```
 */
export interface GradientsOptions extends BackwardOptions {
  /** Seeds for the outputs (the cotangent vector); required for non-scalar outputs. */
  gradOutputs?: Value | Value[];
}

function asList<T>(x: T | readonly T[]): T[] {
  return Array.isArray(x) ? Array.from(x as readonly T[]) : [x as T];
}

/**
 * What `gradients` returns for an input whose value has type V (without
 * `createGraph`): a number for a number, a Tensor for a Tensor.
 *
 * @example
 * ```ts
 * const [gw] = gradients(loss, [variable(zeros([3]))]); // gw: Tensor
 * ```
 */
export type PlainGrad<V> = V extends number ? number : V extends Tensor ? Tensor : Value;

/**
 * Gradients of `outputs` (seeded with `gradOutputs`) with respect to
 * `inputs`, like `torch.autograd.grad`: returns one gradient per input
 * (zero for an input the outputs do not depend on) and leaves `.grad` alone.
 *
 * @example
 * ```ts
 * const x = variable(2);
 * const y = f(x);
 * const [dx] = gradients(y, [x]);                         // f'(2)
 * const [g] = gradients(y, [x], { createGraph: true });  // a Var: differentiate it again
 * ```
 */
export function gradients<const I extends readonly Var[]>(
  outputs: Var | readonly Var[], inputs: I, options?: GradientsOptions & { createGraph?: false },
): { -readonly [K in keyof I]: I[K] extends Var<infer V> ? PlainGrad<V> : Value };
export function gradients<V extends Value>(outputs: Var | readonly Var[], inputs: Var<V>, options?: GradientsOptions & { createGraph?: false }): [PlainGrad<V>];
export function gradients(outputs: Var | readonly Var[], inputs: Var | readonly Var[], options?: GradientsOptions): Value[];
export function gradients(outputs: Var | readonly Var[], inputs: Var | readonly Var[], options: GradientsOptions = {}): Value[] {
  checkOptions("gradients", options, GRADIENTS_KEYS);
  const outs = asList(outputs);
  const ins = asList(inputs);
  if (outs.length === 0) fail("gradients", "no outputs were given", "pass at least one output Var", TypeMismatchError);
  for (const v of [...outs, ...ins]) {
    if (!(v instanceof Var)) fail("gradients", `expected Vars, got ${describe(v)}`, "pass the Vars returned by dualtape ops", TypeMismatchError);
  }
  const tape = tapeOf("gradients", outs[0]);
  for (const o of outs) {
    resolveHandle(o);
    if (o.tape !== tape && (tape.owner === null || o.tape?.owner !== tape.owner)) fail("gradients", "the outputs were recorded on different tapes", "compute all outputs in one computation", GraphError);
  }
  const seeds = options.gradOutputs === undefined ? outs.map((o) => defaultSeed("gradients", o)) : asList(options.gradOutputs);
  if (seeds.length !== outs.length) {
    fail("gradients", `${seeds.length} gradOutputs for ${outs.length} outputs`, "pass one seed per output", ShapeError);
  }
  outs.forEach((o, k) => checkSeed("gradients", o, seeds[k]));
  ins.forEach((v, k) => {
    resolveHandle(v);
    if (v.tape !== null && v.tape !== tape && (tape.owner === null || v.tape.owner !== tape.owner)) {
      fail("gradients", `input ${k + 1} was recorded on a different tape than the outputs (for example a variable() made inside a transform's function, or Vars of two separate transform calls)`,
        "take gradients with respect to Vars of the same computation: inside a transform, differentiate with the transform itself", GraphError);
    }
  });
  const create = options.createGraph === true;
  const retain = options.retainGraph ?? create;
  // A differentiable sweep records on the tape; outputs on two imperative tapes must first share one.
  if (create) openFor([...outs, ...ins]);
  else if (outs.some((o) => o.tape !== tape)) openFor(outs);
  const t = tapeOf("gradients", outs[0]);
  const ids = outs.map((o) => tapeOf("gradients", o) === t ? o.id : -1);
  const top = ids.reduce((a, b) => (a > b ? a : b), -1);
  const nodeIn = (v: Var): number => {
    resolveHandle(v);
    if (v.leaf) return t.leafNode(v);
    return v.tape === t && v.gen === t.gen ? v.id : -1;
  };
  let result: Value[];
  if (create) {
    const adj = sweepDifferentiable(t, ids, seeds, "gradients");
    checkLeafVersions(t, top, "gradients", (n) => adj.has(n));
    result = ins.map((v) => adj.get(nodeIn(v)) ?? zerosLike(v.value));
    if (!retain) t.free(reachedOf(adj, top));
  } else {
    const adj = sweep(t, ids, seeds, "gradients");
    checkLeafVersions(t, top, "gradients", (n) => n < adj.reached.length && adj.reached[n] === 1);
    result = ins.map((v) => {
      const n = nodeIn(v);
      return n >= 0 && n < adj.reached.length && adj.reached[n] === 1 ? adjointOf(t, adj, n) : zerosLike(v.value);
    });
    if (!retain) t.free(adj.reached);
    settle(t);
  }
  return distinct(result, seeds);
}

/**
 * Zero of the same kind and shape as the primal of `v`.
 *
 * @example
 * ```ts
 * zerosLike(tensor([1, 2])); // Tensor [0, 0]
 * ```
 */
export function zerosLike(v: Value): Value {
  const s = exampleShape(v);
  return s.length === 0 ? 0 : new Tensor(new Float64Array(s.reduce((a, b) => a * b, 1)), s);
}

provideBackward(backwardFrom);
