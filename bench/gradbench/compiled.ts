/**
 * Compiled gradients for the scalar-code evals. Compiling is what a user does
 * once per problem shape, so it happens in `prepare`: the gradient is
 * recorded at a placeholder point of the input's shape (all zeros, so no
 * input value leaks into the recording), and every timed run replays that
 * recording at the real input. These evals have no branch on input values,
 * so one recording serves every input of the shape.
 */
import { compileGrad, type Value } from "../../lib/index.ts";
import { evalFunction, type EvalFunction } from "./runs.ts";
import { numbers } from "./output.ts";

/**
 * An eval function whose `prepare` parses the input and compiles the
 * gradient of `objective(parsed)` with respect to `pointOf(parsed)`, and
 * whose timed run replays it at that point.
 *
 * @example
 * ```ts
 * compiledGradient(parseLlsq, (p) => p.x, (p) => (v) => llsqObjective(v, p.n));
 * ```
 */
export function compiledGradient<S>(
  parse: (input: unknown) => S,
  pointOf: (s: S) => number[],
  objective: (s: S) => (v: Value[]) => Value,
): EvalFunction {
  return evalFunction(
    (input) => {
      const s = parse(input);
      const g = compileGrad(objective(s));
      g(new Array<number>(pointOf(s).length).fill(0));
      return { point: pointOf(s), g };
    },
    ({ point, g }) => numbers(g(point)),
  );
}
