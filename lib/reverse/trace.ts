/**
 * Recording a user function on a tape: inputs become leaf Vars in the
 * user's structure, outputs are read back as nodes and values.
 */
import { Lifted, type Value } from "../registry/lifted.ts";
import { fail, PerturbationError } from "../errors.ts";
import { splitInput, splitOutput, join, type Output, type Split } from "../structure/structure.ts";
import { Tape } from "./tape.ts";
import { Var } from "./var.ts";
import { sweep, adjointOf, type Adjoints } from "./sweep.ts";
import { zerosLike } from "./backward.ts";

/** A recorded call: the input leaves and the output split. */
export interface Trace {
  inp: Split;
  leaves: Var[];
  out: Split;
}

/**
 * Makes leaves for `x` on `tape`, calls `f` and splits its result.
 *
 * @example
 * ```ts
 * const tr = trace("grad", tape, f, [1, 2]);
 * ```
 */
export function trace(api: string, tape: Tape, f: (x: never) => Output, x: unknown): Trace {
  const inp = splitInput(api, x);
  const leaves = inp.items.map((v) => {
    const l = new Var(v, tape, -1, -1, true);
    tape.registerLeaf(l);
    return l;
  });
  const out = splitOutput(api, (f as (x: unknown) => Output)(join(inp, leaves)));
  return { inp, leaves, out };
}

/**
 * The node of an output item on `tape`, or -1 when it does not depend on the inputs.
 *
 * @example
 * ```ts
 * outputNode(tape, y); // y.id
 * ```
 */
export function outputNode(tape: Tape, y: Value, api = "grad"): number {
  if (y instanceof Lifted && y.level > tape.level) {
    fail(api, "f returned a Dual or Var created by a transform nested inside it",
      "return the inner transform's plain result (e.g. the value of grad(...)), not its traced values", PerturbationError);
  }
  return y instanceof Var && y.tape === tape ? tape.nodeOf(y) : -1;
}

/**
 * The value of an output item one level down (its Var value, or itself).
 *
 * @example
 * ```ts
 * outputValue(tape, y);
 * ```
 */
export function outputValue(tape: Tape, y: Value): Value {
  return y instanceof Var && y.tape === tape ? y.value : y;
}

/**
 * Sweeps from the given output nodes and returns the cotangent of every
 * input leaf (zeros for leaves not reached), in the input's structure.
 *
 * @example
 * ```ts
 * inputCotangents(tape, tr, [outId], [1]); // the gradient
 * ```
 */
export function inputCotangents(tape: Tape, tr: Trace, nodes: number[], seeds: Value[], scratch: Adjoints | null = null): Value | Value[] {
  return join(tr.inp, leafCotangents(tape, tr, nodes, seeds, scratch));
}

/**
 * The cotangents of the input leaves as a flat list, in leaf order (what
 * `inputCotangents` puts back into the input's structure).
 *
 * @example
 * ```ts
 * leafCotangents(tape, tr, [outId], [1]); // one entry per input leaf
 * ```
 */
export function leafCotangents(tape: Tape, tr: Trace, nodes: number[], seeds: Value[], scratch: Adjoints | null = null): Value[] {
  const live = nodes.map((n, k) => [n, seeds[k]] as const).filter(([n]) => n >= 0);
  if (live.length === 0) return tr.leaves.map((l) => zerosLike(l.value));
  const adj = sweep(tape, live.map(([n]) => n), live.map(([, s]) => s), "backward", scratch);
  return tr.leaves.map((l) =>
    l.id < adj.reached.length && adj.reached[l.id] === 1 ? adjointOf(tape, adj, l.id) : zerosLike(l.value));
}
