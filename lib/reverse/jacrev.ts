/**
 * `jacrev(f)(x)`: the full Jacobian by reverse mode: one recording, then,
 * for a Tensor output of m elements, one sweep carrying all m one-hot
 * cotangents as a batch (a Batched [m, ...] seed: each tensor entry's
 * pullback runs once for all rows); scalar outputs, and recordings whose
 * values are themselves traced by an enclosing transform, take one sweep
 * per output element.
 */
import { primal, exampleShape, type Value } from "../registry/lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { join, splitInput, type Output, type TracedArg, type InputFor, type Jacobian } from "../structure/structure.ts";
import { Lifted } from "../registry/lifted.ts";
import { Batched, unbatch } from "../registry/batched.ts";
import { nextLevel } from "../registry/level.ts";
import { layoutJacobian, itemSizes, entriesOf } from "../structure/jacobian-layout.ts";
import { fail, describe, TypeMismatchError } from "../errors.ts";
import { readArgumentOptions, callWithArguments, type ArgumentOptions } from "../structure/arguments.ts";
import { withTape } from "./pool.ts";
import { trace, outputNode, leafCotangents } from "./trace.ts";
import { Tape } from "./tape.ts";
import type { Trace } from "./trace.ts";
import type { Adjoints } from "./sweep.ts";
import { numberArray } from "../tensor/number-array.ts";

function oneHot(y: Value, e: number): Value {
  const s = exampleShape(y);
  if (s.length === 0) return 1;
  const t = new Tensor(new Float64Array(s.reduce((a, b) => a * b, 1)), s);
  t.data[e] = 1;
  return t;
}

/** One Jacobian row from the input leaves' cotangents; a cotangent that is itself a Dual/Var (of an enclosing transform) is read out differentiably. */
function flatRow(leafCotangents: Value[]): Value[] {
  return leafCotangents.flatMap(entriesOf);
}

/**
 * One batched sweep is exact only when every cotangent is a plain batch:
 * no value on the recording is traced by an enclosing transform, and no hook
 * would see a batch instead of one gradient.
 */
function batchable(tape: Tape, tr: Trace, y: Value): boolean {
  const plain = (v: Value) => !(v instanceof Lifted) || !(v.value instanceof Lifted);
  return tape.hooks === null && plain(y) && tr.leaves.every((l) => !(l.value instanceof Lifted));
}

/**
 * Seed elements per batched sweep: a dense one-hot seed of c rows holds c m
 * numbers, so a large output is swept in blocks of rows (one block up to
 * m = 1024) rather than allocating an m x m seed.
 */
const SEED_ELEMENTS = 1 << 20;

/** The m rows of one output item, from sweeps each seeded with a block of its one-hot cotangents as a batch. */
function batchedRows(tape: Tape, tr: Trace, node: number, y: Value, m: number, scratch: Adjoints): Value[][] {
  const rows: Value[][] = [];
  // Written without Math helpers: lib/reverse names no op, even in passing.
  const fit = (SEED_ELEMENTS / m) | 0;
  const block = fit < 1 ? 1 : fit > m ? m : fit;
  for (let r0 = 0; r0 < m; r0 += block) {
    const c = block < m - r0 ? block : m - r0;
    const level = nextLevel();
    const eye = new Float64Array(c * m);
    for (let e = 0; e < c; e++) eye[e * m + r0 + e] = 1;
    const seed = new Batched(new Tensor(eye, [c, ...exampleShape(y)]), c, level);
    const cts = leafCotangents(tape, tr, [node], [seed], scratch).map((ct) => primal(unbatch(ct, level, c)) as Tensor);
    for (let e = 0; e < c; e++) {
      rows.push(cts.flatMap((b) => {
        const size = b.size / c;
        return numberArray(b.data.subarray(e * size, (e + 1) * size));
      }));
    }
  }
  return rows;
}

/** One sweep per output element, each seeding only that element, with adjoint storage reused across sweeps. */
function rowsOf(tape: Tape, tr: Trace): Value[][] {
  const sizes = itemSizes(tr.out);
  const nodes = tr.out.items.map((y) => outputNode(tape, y, "jacrev"));
  const top = nodes.reduce((a, b) => (a > b ? a : b), -1);
  const scratch: Adjoints = { num: new Float64Array(top + 1), extra: new Map(), reached: new Uint8Array(top + 1) };
  const rows: Value[][] = [];
  tr.out.items.forEach((y, j) => {
    if (sizes[j] > 1 && batchable(tape, tr, y)) {
      rows.push(...batchedRows(tape, tr, nodes[j], y, sizes[j], scratch));
      return;
    }
    for (let e = 0; e < sizes[j]; e++) {
      rows.push(flatRow(leafCotangents(tape, tr, [nodes[j]], [oneHot(y, e)], scratch)));
    }
  });
  return rows;
}

/**
 * Returns x => J(x), the Jacobian of f at x (output structure outside, input
 * structure inside). With `argnums` the returned function takes all of f's
 * arguments; with `hasAux` it returns `[J, aux]`.
 *
 * @example
 * ```ts
 * // pair(x) = [x0 x1, sine of x0], written with dualtape ops
 * jacrev(pair)([2, 3]); // [[3, 2], [-0.416..., 0]]
 * ```
 */
export function jacrev<P extends TracedArg = Lifted>(f: (x: P) => Output): (x: InputFor<P>) => Jacobian;
export function jacrev(f: (...args: never[]) => unknown, options: ArgumentOptions): (...args: unknown[]) => Jacobian | [Jacobian, unknown];
export function jacrev(f: (...args: never[]) => unknown, options: ArgumentOptions = {}): (...args: never[]) => unknown {
  if (typeof f !== "function") fail("jacrev", `expected a function, got ${describe(f)}`, "pass (x) => ...", TypeMismatchError);
  const opts = readArgumentOptions("jacrev", options);
  return (...args: unknown[]) => callWithArguments("jacrev", f, args, opts, jacrevAt);
}

/**
 * The reverse-mode Jacobian of a one-input function g at x.
 *
 * @example
 * ```ts
 * jacrevAt(g, [2, 3]); // what jacrev(g)([2, 3]) returns
 * ```
 */
export function jacrevAt(g: (x: never) => Output, x: unknown): Jacobian {
  return withTape("jacrev", (tape) => {
    const tr = trace("jacrev", tape, g, x);
    return layoutJacobian(tr.out, splitInput("jacrev", join(tr.inp, tr.inp.items)), rowsOf(tape, tr));
  });
}
