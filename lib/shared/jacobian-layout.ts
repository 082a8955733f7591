/**
 * Lays out a Jacobian computed as m x n entries (outputs flattened by
 * items then elements, inputs likewise) in the structure the user gave:
 * the result has the output's structure on the outside and the input's on
 * the inside (JAX's convention), with JS arrays for JS-array sides.
 */
import { Tensor } from "./tensor.ts";
import { Lifted, type Value } from "./lifted.ts";
import { fail, TypeMismatchError } from "./errors.ts";
import { shapeOf, type Split, type Jacobian } from "./structure.ts";

/** The flattened size of each item of a split. */
export function itemSizes(s: Split): number[] {
  return s.items.map((v) => shapeOf(v).reduce((p, d) => p * d, 1));
}

function inputBlock(api: string, inp: Split, row: Value[]): Value | Value[] {
  if (inp.array) return row;
  const shape = shapeOf(inp.items[0]!);
  if (shape.length === 0) return row[0]!;
  return toTensor(api, row, shape);
}

function toTensor(api: string, entries: Value[], shape: number[]): Tensor {
  const data = new Float64Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (typeof e !== "number") {
      fail(api, `a Jacobian entry is ${e instanceof Lifted ? "a nested Dual/Var" : "not a number"}, which a Tensor cannot hold`,
        "use number[] inputs and outputs when nesting Jacobians inside other transforms", TypeMismatchError);
    }
    data[i] = e;
  }
  return new Tensor(data, shape);
}

/**
 * Builds the user-facing Jacobian from `rows[j]` = d(output element j)/d(all input elements).
 *
 * @example
 * ```ts
 * layoutJacobian(outSplit, inSplit, [[1, 0], [0, 1]]); // [[1, 0], [0, 1]] for array -> array
 * ```
 */
export function layoutJacobian(out: Split, inp: Split, rows: Value[][], api = "jacobian"): Jacobian {
  const ishape = inp.array ? [inp.items.length] : shapeOf(inp.items[0]!);
  const sizes = itemSizes(out);
  let r = 0;
  const blocks = out.items.map((item, k) => {
    const oshape = shapeOf(item);
    const block = rows.slice(r, (r += sizes[k]!));
    return oshape.length === 0 ? inputBlock(api, inp, block[0]!) : toTensor(api, block.flat(), [...oshape, ...ishape]);
  });
  return (out.array ? blocks : blocks[0]) as Jacobian;
}
