/**
 * Building tapes by hand for tests of the tape and the sweep, below the
 * public `variable()` (which always records on the imperative tape).
 */
import { Var, type Tape, type Value } from "../../lib/index.ts";

/**
 * A leaf Var on `tape` holding `value`: what `variable()` does on the
 * imperative tape, here on any tape.
 *
 * @example
 * ```ts
 * const tape = new Tape();
 * const x = leaf(tape, 2);
 * const y = mul(x, x) as Var; // recorded on `tape`
 * ```
 */
export function leaf(tape: Tape, value: Value): Var {
  const v = new Var(value, tape, -1, -1, true);
  tape.registerLeaf(v);
  return v;
}
