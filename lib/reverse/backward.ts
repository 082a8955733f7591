/**
 * The imperative reverse-mode entry points: `Var.backward` (accumulates into
 * leaves' `.grad`) and `gradients` (returns gradients, leaves `.grad` alone),
 * both with retainGraph / createGraph.
 */
import { primal, type Value } from "../registry/lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { plus } from "../registry/combine.ts";
import { fail, describe, GraphError, ShapeError, TypeMismatchError } from "../errors.ts";
import type { Tape } from "./tape.ts";
import { Var, freed } from "./var.ts";
import { sweep, sweepDifferentiable, adjointOf } from "./sweep.ts";

/** Options of `backward` and `gradients`. */
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

function checkOptions(api: string, options: unknown): void {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    fail(api, `options is ${describe(options)}`, "pass an object such as { retainGraph: true }, or leave it out", TypeMismatchError);
  }
}

function tapeOf(api: string, y: Var): Tape {
  const tape = y.tape;
  if (tape === null) {
    fail(api, "this Var does not require grad (made with requiresGrad: false, detach(), or inside noGrad)",
      "build the output from Vars created with variable(value)", GraphError);
  }
  if (y.gen !== tape.gen) freed(api);
  return tape;
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
  checkOptions("backward", options);
  const tape = tapeOf("backward", y);
  if (tape.transform) {
    fail("backward", "this value was computed inside a function transform (grad, jacrev, vjp, compileGrad, ...), on that transform's own recording",
      "call backward() on values computed outside transforms, or return the value from f and let the transform differentiate it", GraphError);
  }
  const s = seed === undefined ? defaultSeed("backward", y) : checkSeed("backward", y, seed);
  const create = options.createGraph === true;
  const retain = options.retainGraph ?? create;
  const leaves = tape.leaves.filter((l) => l.gen === tape.gen && l.id <= y.id);
  if (create) {
    const adj = sweepDifferentiable(tape, [y.id], [s]);
    for (const leaf of leaves) {
      const g = adj.get(leaf.id);
      if (g !== undefined) leaf.grad = leaf.grad === null ? owned(g) : plus(leaf.grad, g);
    }
    if (!retain) tape.free(reachedOf(adj, y.id));
  } else {
    const adj = sweep(tape, [y.id], [s]);
    for (const leaf of leaves) {
      if (adj.reached[leaf.id] !== 1) continue;
      const g = adjointOf(tape, adj, leaf.id);
      leaf.grad = leaf.grad === null ? owned(g) : plus(leaf.grad, g);
    }
    if (!retain) tape.free(adj.reached);
  }
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

function reachedOf(adj: Map<number, Value>, top: number): Uint8Array {
  const reached = new Uint8Array(top + 1);
  for (const k of adj.keys()) if (k <= top) reached[k] = 1;
  return reached;
}

/** Options of `gradients`. */
export interface GradientsOptions extends BackwardOptions {
  /** Seeds for the outputs (the cotangent vector); required for non-scalar outputs. */
  gradOutputs?: Value | Value[];
}

function asList<T>(x: T | T[]): T[] {
  return Array.isArray(x) ? x : [x];
}

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
export function gradients(outputs: Var | Var[], inputs: Var | Var[], options: GradientsOptions = {}): Value[] {
  checkOptions("gradients", options);
  const outs = asList(outputs);
  const ins = asList(inputs);
  if (outs.length === 0) fail("gradients", "no outputs were given", "pass at least one output Var", TypeMismatchError);
  for (const v of [...outs, ...ins]) {
    if (!(v instanceof Var)) fail("gradients", `expected Vars, got ${describe(v)}`, "pass the Vars returned by dualtape ops", TypeMismatchError);
  }
  const tape = tapeOf("gradients", outs[0]);
  for (const o of outs) if (o.tape !== tape) fail("gradients", "the outputs were recorded on different tapes", "compute all outputs in one computation", GraphError);
  const seeds = options.gradOutputs === undefined ? outs.map((o) => defaultSeed("gradients", o)) : asList(options.gradOutputs);
  if (seeds.length !== outs.length) {
    fail("gradients", `${seeds.length} gradOutputs for ${outs.length} outputs`, "pass one seed per output", ShapeError);
  }
  outs.forEach((o, k) => checkSeed("gradients", o, seeds[k]));
  ins.forEach((v, k) => {
    if (v.tape !== null && v.tape !== tape) {
      fail("gradients", `input ${k + 1} was recorded on a different tape than the outputs (for example a variable() made inside a transform's function, or Vars of two separate transform calls)`,
        "take gradients with respect to Vars of the same computation: inside a transform, differentiate with the transform itself", GraphError);
    }
  });
  const ids = outs.map((o) => tapeOf("gradients", o).gen === tape.gen ? o.id : -1);
  const create = options.createGraph === true;
  const retain = options.retainGraph ?? create;
  const inTape = (v: Var) => v.tape === tape && v.gen === tape.gen;
  let result: Value[];
  if (create) {
    const adj = sweepDifferentiable(tape, ids, seeds, "gradients");
    result = ins.map((v) => (inTape(v) ? adj.get(v.id) : undefined) ?? zerosLike(v.value));
    if (!retain) tape.free(reachedOf(adj, ids.reduce((a, b) => (a > b ? a : b), -1)));
  } else {
    const adj = sweep(tape, ids, seeds, "gradients");
    result = ins.map((v) => (inTape(v) && v.id < adj.reached.length && adj.reached[v.id] ? adjointOf(tape, adj, v.id) : zerosLike(v.value)));
    if (!retain) tape.free(adj.reached);
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
  const p = primal(v);
  return typeof p === "number" ? 0 : new Tensor(new Float64Array(p.size), p.shape);
}
