/**
 * `jvp(f, x, v)`: the value of f at x and its directional derivative J v,
 * by one forward pass.
 */
import { primal, type Value } from "../registry/lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { splitInput, splitOutput, join, shapeOf, type Output, type Split, type TracedArg, type InputFor, type InputOf, type Tree } from "../structure/structure.ts";
import { fail, describe, ShapeError, TypeMismatchError } from "../errors.ts";
import { checkSameTree } from "../structure/tree.ts";
import { readArgumentOptions, bindCall, withAux } from "../structure/arguments.ts";
import type { Lifted } from "../registry/lifted.ts";
import { Dual } from "./dual.ts";
import { withTag } from "./tag.ts";
import { tangentUnder, valueUnder } from "./extract.ts";

/** The tangent vector items matching the input's structure. */
function tangentItems(inp: Split, v: unknown): Value[] {
  const tv = splitInput("jvp", v);
  if (tv.array !== inp.array || tv.tree !== inp.tree || tv.items.length !== inp.items.length) {
    fail("jvp", `the tangent ${describe(v)} does not match the input's structure`, "pass v with the same structure as x (a number, an array of the same length, or a Tensor of the same shape)", ShapeError);
  }
  checkSameTree("jvp", inp.def, tv.def, "the tangent", "pass v with the same structure as x");
  tv.items.forEach((t, i) => {
    const a = shapeOf(inp.items[i]);
    const b = shapeOf(t);
    if (a.join(",") !== b.join(",")) {
      fail("jvp", `tangent shape [${b.join(", ")}] differs from input shape [${a.join(", ")}]`, "pass v shaped like x", ShapeError);
    }
    const p = primal(t);
    if (!(typeof p === "number" || p instanceof Tensor)) fail("jvp", "bad tangent", "pass numbers or Tensors", TypeMismatchError);
  });
  return tv.items;
}

/**
 * The value f(x) and the Jacobian-vector product J(x) v, in f's output structure.
 *
 * @example
 * ```ts
 * // pair(x) = [x0 x1, x0], written with dualtape ops
 * jvp(pair, [2, 3], [1, 0]); // { value: [6, 2], tangent: [3, 1] }
 * // with { hasAux: true }, f returns [output, aux] and the result carries aux
 * ```
 */
export function jvp<P extends TracedArg = Lifted>(
  f: (x: P) => Output, x: InputOf<P>, v: InputOf<P>, options?: { hasAux?: boolean },
): { value: Tree<Value>; tangent: Tree<Value>; aux?: unknown } {
  if (typeof f !== "function") fail("jvp", `expected a function, got ${describe(f)}`, "pass (x) => ...", TypeMismatchError);
  const { hasAux } = readArgumentOptions("jvp", options ?? {}, ["hasAux"]);
  const call = bindCall("jvp", f as (...args: never[]) => unknown, [x], { argnums: 0, hasAux });
  const inp = splitInput("jvp", x);
  const tans = tangentItems(inp, v);
  const { result, aux } = withAux(call, () => withTag("jvp", (tag) => {
    const duals = inp.items.map((xi, i) => new Dual(xi, tans[i], tag));
    const out = splitOutput("jvp", (call.g as (x: unknown) => Output)(join(inp, duals)));
    return {
      value: join(out, out.items.map((y) => valueUnder(y, tag))),
      tangent: join(out, out.items.map((y) => tangentUnder(y, tag))),
    };
  }));
  return hasAux ? { ...result, aux } : result;
}
