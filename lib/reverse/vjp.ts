/**
 * `vjp(f, x)`: the value of f and a pullback that maps an output cotangent
 * w to w^T J, reusable any number of times (the recording is kept).
 */
import type { Value } from "../shared/lifted.ts";
import { join, splitOutput, shapeOf, type Input, type Output } from "../shared/structure.ts";
import { fail, describe, ShapeError, TypeMismatchError } from "../shared/errors.ts";
import { Tape } from "./tape.ts";
import { trace, outputNode, outputValue, inputCotangents } from "./trace.ts";
import type { Traced, GradOf } from "./grad.ts";

/**
 * Records f at x once; `pullback(w)` returns w^T J(x) in x's structure.
 *
 * @example
 * ```ts
 * const { value, pullback } = vjp((x) => [x[0].mul(x[1]), x[0]], [2, 3]);
 * value;            // [6, 2]
 * pullback([1, 0]); // [3, 2]
 * pullback([0, 1]); // [1, 0]
 * ```
 */
export function vjp<X extends Input>(
  f: (x: Traced<X>) => Output, x: X,
): { value: Value | Value[]; pullback: (w: Value | Value[]) => GradOf<X> } {
  if (typeof f !== "function") fail("vjp", `expected a function, got ${describe(f)}`, "pass (x) => ...", TypeMismatchError);
  const tape = new Tape(1024);
  const tr = trace("vjp", tape, f as (x: never) => Output, x);
  const nodes = tr.out.items.map((y) => outputNode(tape, y));
  const value = join(tr.out, tr.out.items.map((y) => outputValue(tape, y)));
  const pullback = (w: Value | Value[]): GradOf<X> => {
    const ws = splitOutput("vjp pullback", w);
    if (ws.array !== tr.out.array || ws.items.length !== tr.out.items.length) {
      fail("vjp", `the cotangent ${describe(w)} does not match f's output structure`, "pass w with the same structure as the value", ShapeError);
    }
    ws.items.forEach((c, k) => {
      const a = shapeOf(c).join(",");
      const b = shapeOf(tr.out.items[k]!).join(",");
      if (a !== b) fail("vjp", `cotangent ${k} has shape [${a}] but the output has shape [${b}]`, "pass cotangents shaped like the outputs", ShapeError);
    });
    return inputCotangents(tape, tr, nodes, ws.items) as GradOf<X>;
  };
  return { value, pullback };
}
