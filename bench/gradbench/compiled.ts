/**
 * Compiled gradients for the scalar-code evals. Compiling is what a user does
 * once per problem shape, so it happens in `prepare`: the gradient is
 * recorded at a placeholder point of the input's shape (all zeros, so no
 * input value leaks into the recording), and every timed run replays that
 * recording at the real input. These evals have no branch on input values,
 * so one recording serves every input of the shape.
 */
import { compileGrad, type CompiledGradient, type Value } from "../../lib/index.ts";

/**
 * A compiled gradient of `f`, already recorded for inputs of length `n`.
 *
 * @example
 * ```ts
 * const g = compiledFor((v) => objective(v), x.length);
 * g(x); // replay + sweep
 * ```
 */
export function compiledFor(f: (v: Value[]) => Value, n: number): CompiledGradient<Value[]> {
  const g = compileGrad(f);
  g(new Array<number>(n).fill(0));
  return g;
}
