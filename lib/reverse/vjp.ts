/**
 * `vjp(f, x)`: the value of f and a pullback that maps an output cotangent
 * w to w^T J, reusable any number of times (the recording is kept).
 */
import type { Value } from "../registry/lifted.ts";
import { join, splitOutput, shapeOf, type Output, type TracedArg, type InputFor, type InputOf, type LikeInput, type Tree } from "../structure/structure.ts";
import type { Lifted } from "../registry/lifted.ts";
import { fail, describe, ShapeError, TypeMismatchError } from "../errors.ts";
import { checkSameTree } from "../structure/tree.ts";
import { readArgumentOptions, bindCall, withAux } from "../structure/arguments.ts";
import { Tape } from "./tape.ts";
import { trace, outputNode, outputValue, inputCotangents } from "./trace.ts";

/**
 * Records f at x once; `pullback(w)` returns w^T J(x) in x's structure.
 *
 * @example
 * ```ts
 * // pair(x) = [x0 x1, x0], written with dualtape ops
 * const { value, pullback } = vjp(pair, [2, 3]);
 * value;            // [6, 2]
 * pullback([1, 0]); // [3, 2]
 * pullback([0, 1]); // [1, 0]
 * // with { hasAux: true }, f returns [output, aux] and the result carries aux
 * ```
 */
export function vjp<P extends TracedArg = Lifted>(
  f: (x: P) => Output, x: InputOf<P>, options?: { hasAux?: boolean },
): { value: Tree<Value>; pullback: (w: Output) => LikeInput<P>; aux?: unknown } {
  if (typeof f !== "function") fail("vjp", `expected a function, got ${describe(f)}`, "pass (x) => ...", TypeMismatchError);
  const { hasAux } = readArgumentOptions("vjp", options ?? {}, ["hasAux"]);
  const call = bindCall("vjp", f as (...args: never[]) => unknown, [x], { argnums: 0, hasAux });
  // The tape is made inside withAux, so aux loses this tape's Vars (its level is above withAux's snapshot).
  const { result: { tape, tr }, aux } = withAux(call, () => {
    const t = Tape.forTransform("vjp");
    return { tape: t, tr: trace("vjp", t, call.g, call.x) };
  });
  let nodes: number[];
  let value: Tree<Value>;
  try {
    nodes = tr.out.items.map((y) => outputNode(tape, y, "vjp"));
    value = join(tr.out, tr.out.items.map((y) => outputValue(tape, y)));
  } finally {
    // The pullback only sweeps: a Var of f used after vjp returned has escaped it.
    tape.seal();
  }
  const pullback = (w: Output): LikeInput<P> => {
    const ws = splitOutput("vjp pullback", w);
    if (ws.array !== tr.out.array || ws.tree !== tr.out.tree || ws.items.length !== tr.out.items.length) {
      fail("vjp", `the cotangent ${describe(w)} does not match f's output structure`, "pass w with the same structure as the value", ShapeError);
    }
    checkSameTree("vjp", tr.out.def, ws.def, "the cotangent", "pass w with the same structure as the value");
    ws.items.forEach((c, k) => {
      const a = shapeOf(c).join(",");
      const b = shapeOf(tr.out.items[k]).join(",");
      if (a !== b) fail("vjp", `cotangent ${k} has shape [${a}] but the output has shape [${b}]`, "pass cotangents shaped like the outputs", ShapeError);
    });
    return inputCotangents(tape, tr, nodes, ws.items) as LikeInput<P>;
  };
  return hasAux ? { value, pullback, aux } : { value, pullback };
}
