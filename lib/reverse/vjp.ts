/**
 * `vjp(f, x)`: the value of f and a pullback that maps an output cotangent
 * w to w^T J, reusable any number of times (the recording is kept).
 */
import type { Value } from "../registry/lifted.ts";
import { join, splitOutput, shapeOf, type Output, type TracedArg, type InputFor, type LikeInput } from "../structure/structure.ts";
import type { Lifted } from "../registry/lifted.ts";
import { fail, describe, ShapeError, TypeMismatchError } from "../errors.ts";
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
 * ```
 */
export function vjp<P extends TracedArg = Lifted>(
  f: (x: P) => Output, x: InputFor<P>,
): { value: Value | Value[]; pullback: (w: Value | Value[]) => LikeInput<P> } {
  if (typeof f !== "function") fail("vjp", `expected a function, got ${describe(f)}`, "pass (x) => ...", TypeMismatchError);
  const tape = new Tape(1024);
  tape.transform = true;
  const tr = trace("vjp", tape, f as (x: never) => Output, x);
  const nodes = tr.out.items.map((y) => outputNode(tape, y, "vjp"));
  const value = join(tr.out, tr.out.items.map((y) => outputValue(tape, y)));
  const pullback = (w: Value | Value[]): LikeInput<P> => {
    const ws = splitOutput("vjp pullback", w);
    if (ws.array !== tr.out.array || ws.items.length !== tr.out.items.length) {
      fail("vjp", `the cotangent ${describe(w)} does not match f's output structure`, "pass w with the same structure as the value", ShapeError);
    }
    ws.items.forEach((c, k) => {
      const a = shapeOf(c).join(",");
      const b = shapeOf(tr.out.items[k]!).join(",");
      if (a !== b) fail("vjp", `cotangent ${k} has shape [${a}] but the output has shape [${b}]`, "pass cotangents shaped like the outputs", ShapeError);
    });
    return inputCotangents(tape, tr, nodes, ws.items) as LikeInput<P>;
  };
  return { value, pullback };
}
