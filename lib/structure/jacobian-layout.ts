/**
 * Lays out a Jacobian computed as m x n entries (outputs flattened by
 * items then elements, inputs likewise) in the structure the user gave:
 * the result has the output's structure on the outside and the input's on
 * the inside (JAX's convention), with JS arrays for JS-array sides.
 */
import { Tensor, allocate } from "../tensor/tensor.ts";
import { Lifted, primal, exampleShape, type Value } from "../registry/lifted.ts";
import { shapeOf, type Split, type Jacobian } from "./structure.ts";
import { unflattenTree } from "./tree.ts";
import { G } from "../registry/op.ts";
import { numberArray } from "../tensor/number-array.ts";

/** The flattened size of each item of a split. */
export function itemSizes(s: Split): number[] {
  return s.items.map((v) => shapeOf(v).reduce((p, d) => p * d, 1));
}

function inputBlock(inp: Split, row: Value[]): Value | Value[] {
  if (inp.array) return row instanceof Float64Array ? numberArray(row) : row;
  const shape = shapeOf(inp.items[0] ?? 0);
  if (shape.length === 0) return row[0] ?? 0;
  return toTensor(row, shape);
}

/**
 * Packs entries into a Tensor of `shape`. Plain numbers take the fast
 * Float64Array path; when some entry is a Dual/Var of an enclosing
 * transform, the tensor is assembled with differentiable ops so that
 * transform can differentiate the Jacobian itself.
 */
function toTensor(entries: Value[], shape: number[]): Tensor | Lifted {
  if (entries.some((e) => e instanceof Lifted)) return G.reshape(G.stack(entries, 0), shape) as Lifted;
  return new Tensor(Float64Array.from(entries as number[]), shape);
}

/**
 * Packs rows of entries into one Tensor. Rows of plain numbers are copied
 * straight into the result's storage: flattening them into one JS array
 * first fails with "Invalid array length" beyond ~10^8 entries (20000
 * inputs by 6000 outputs) although the Float64Array fits in memory.
 */
function rowsToTensor(block: Value[][], shape: number[]): Tensor | Lifted {
  const shared = sharedStorage(block);
  if (shared !== null) return new Tensor(shared, shape);
  if (block.some((row) => row.some((e) => e instanceof Lifted))) return toTensor(block.flat(), shape);
  const n = block.length === 0 ? 0 : block[0]!.length;
  const out = allocate("jacobian", block.length * n);
  for (let r = 0; r < block.length; r++) {
    const row = block[r] as number[];
    for (let c = 0; c < n; c++) out[r * n + c] = row[c]!;
  }
  return new Tensor(out, shape);
}

/** When the rows are consecutive views of one buffer (see {@link layoutFlatJacobian}), that storage as one array; else null. */
function sharedStorage(block: Value[][]): Float64Array | null {
  const first = block[0] as unknown;
  if (!(first instanceof Float64Array)) return null;
  const n = first.length;
  for (let r = 1; r < block.length; r++) {
    const row = block[r] as unknown;
    if (!(row instanceof Float64Array) || row.buffer !== first.buffer || row.byteOffset !== first.byteOffset + r * n * 8 || row.length !== n) return null;
  }
  return new Float64Array(first.buffer as ArrayBuffer, first.byteOffset, n * block.length);
}

/**
 * Builds the user-facing Jacobian from its entries as one row-major m x n
 * Float64Array (forward mode's lane passes write plain numbers). The common
 * case, one Tensor output of one Tensor input, is that storage itself, shaped
 * [...outputShape, ...inputShape]; anything else goes through
 * {@link layoutJacobian} on row views. Making a thousand row views cost about
 * as much as the two forward passes of a 10 -> 1000 Jacobian of tanh(W x).
 *
 * @example
 * ```ts
 * layoutFlatJacobian(outSplit, inSplit, Float64Array.of(1, 0, 0, 1), 2); // Tensor [[1, 0], [0, 1]] for Tensor -> Tensor
 * ```
 */
export function layoutFlatJacobian(out: Split, inp: Split, data: Float64Array, n: number): Jacobian {
  if (!out.tree && !out.array && !inp.tree && !inp.array && out.items.length === 1 && inp.items.length === 1) {
    const oshape = shapeOf(out.items[0]);
    if (oshape.length > 0) return new Tensor(data, [...oshape, ...shapeOf(inp.items[0])]);
  }
  const m = n === 0 ? itemSizes(out).reduce((p, q) => p + q, 0) : data.length / n;
  return layoutJacobian(out, inp, Array.from({ length: m }, (_, j) => data.subarray(j * n, (j + 1) * n) as unknown as Value[]));
}

/**
 * The scalar entries of a derivative value, row-major: the numbers of a
 * Tensor, differentiable element reads of a Tensor-valued Dual/Var (a
 * tangent or cotangent carrying an enclosing transform), or the value itself
 * when it is a scalar.
 *
 * @example
 * ```ts
 * entriesOf(tensor([[1, 2], [3, 4]])); // [1, 2, 3, 4]
 * entriesOf(5); // [5]
 * ```
 */
export function entriesOf(v: Value): Value[] {
  if (v instanceof Tensor) return numberArray(v.data);
  const s = exampleShape(v);
  if (s.length === 0) return [v];
  const size = s.reduce((a, b) => a * b, 1);
  const flat = G.reshape(v, [size]);
  return Array.from({ length: size }, (_, k) => G.index(flat, k));
}

/**
 * Builds the user-facing Jacobian from `rows[j]` = d(output element j)/d(all input elements).
 *
 * @example
 * ```ts
 * layoutJacobian(outSplit, inSplit, [[1, 0], [0, 1]]); // [[1, 0], [0, 1]] for array -> array
 * ```
 */
export function layoutJacobian(out: Split, inp: Split, rows: Value[][]): Jacobian {
  const sizes = itemSizes(out);
  let r = 0;
  const blocks = out.items.map((item, k) => {
    const oshape = shapeOf(item);
    const block = rows.slice(r, (r += sizes[k] ?? 0));
    return inp.tree ? treeBlock(inp, oshape, block) : flatBlock(inp, oshape, block);
  });
  if (out.tree) return unflattenTree(out.def, blocks) as Jacobian;
  return (out.array ? blocks : blocks[0]) as Jacobian;
}

/** The block of one output item for a number, Tensor or number[] input (a number[] input counts as one vector for Tensor outputs). */
function flatBlock(inp: Split, oshape: number[], block: Value[][]): Value | Value[] {
  const first = block[0] ?? [];
  if (oshape.length === 0) return inputBlock(inp, first);
  const ishape = inp.array ? [inp.items.length] : shapeOf(inp.items[0] ?? 0);
  return rowsToTensor(block, [...oshape, ...ishape]);
}

/**
 * Entries [from, from + size) of every row, in row order: a plain loop,
 * because Array.prototype.flat/flatMap over a thousand short rows took
 * about 10 ms (half the time of a 1000 x 10 Jacobian) against 1 ms here.
 */
function rowEntries(rows: readonly ArrayLike<Value>[], from: number, size: number): Value[] {
  const out: Value[] = [];
  for (const row of rows) {
    const end = Math.min(row.length, from + size);
    for (let c = from; c < end; c++) out.push(row[c]);
  }
  return out;
}

/** The block of one output item for a structured input: the input's structure, each leaf d(output item)/d(leaf) of shape [...oshape, ...leafShape]. */
function treeBlock(inp: Split, oshape: number[], block: Value[][]): Value {
  let col = 0;
  const leaves = inp.items.map((leaf) => {
    const lshape = shapeOf(leaf);
    const size = lshape.reduce((p, d) => p * d, 1);
    const entries = rowEntries(block, col, size);
    col += size;
    return oshape.length === 0 && lshape.length === 0 ? (entries[0] ?? 0) : toTensor(entries, [...oshape, ...lshape]);
  });
  return unflattenTree(inp.def, leaves) as Value;
}
