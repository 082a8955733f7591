/**
 * The two errors for using a Var whose graph is gone. `escaped`: a Var used
 * after the transform call that made it returned (its tape was released or
 * reused by a later call, so recording on it or reading its node would
 * silently mix two computations). `freed`: an imperative graph that an
 * earlier backward freed.
 */
import { fail, GraphError, PerturbationError } from "../errors.ts";
import type { Tape } from "./tape.ts";

/**
 * Throws: a Var of the transform `tape.api` escaped that call.
 *
 * @example
 * ```ts
 * let leaked; grad((x) => (leaked = x))(1);
 * escaped(leaked.tape); // throws PerturbationError
 * ```
 */
export function escaped(tape: { api: string }): never {
  fail(tape.api, `a Var created by a ${tape.api} call was used after that call returned (it escaped its transform)`,
    "do not let Vars escape the function passed to the transform; return plain results instead", PerturbationError);
}

/**
 * Throws the error for using a graph that an earlier backward freed.
 *
 * @example
 * ```ts
 * freed("backward");
 * ```
 */
export function freed(api: string): never {
  fail(api, "the graph behind this value was freed by an earlier backward()",
    "pass { retainGraph: true } to the earlier backward() call, or recompute the value", GraphError);
}

/**
 * Throws the error for a backward that reaches dead node i: a leaf given a
 * new value after this graph used it, or a graph freed by an earlier backward.
 *
 * @example
 * ```ts
 * deadNode(tape, i, "backward");
 * ```
 */
export function deadNode(tape: Tape, i: number, api: string): never {
  if (tape.isModifiedLeaf(i)) modifiedLeaf(i, api);
  return freed(api);
}

/**
 * Throws the error for a backward that reaches leaf node i after the leaf was given a new value.
 *
 * @example
 * ```ts
 * modifiedLeaf(i, "backward");
 * ```
 */
export function modifiedLeaf(i: number, api: string): never {
  fail(api, `a leaf this graph uses (node %${i}) was given a new value (an optimiser step or setLeafValue) after the graph was recorded, so its cached derivatives belong to the old value`,
    "call backward() before step(), or recompute the output from the updated leaves", GraphError);
}
