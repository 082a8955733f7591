/**
 * `vmap(f, { inAxes, outAxes })`: f mapped over a batch axis of its
 * arguments, evaluated once on the whole batch. Each call gets its own
 * level; the mapped leaves enter f as batches (Batched values) at that
 * level, so every op runs once per batch through the registry (elementwise
 * ops by broadcasting, structural ops by their batching rule) and vmap
 * nests with grad, jvp, jacfwd, jacrev and itself like any other transform.
 */
import { fail, describe, TypeMismatchError, ShapeError } from "../errors.ts";
import { Lifted, exampleShape, type Value } from "../registry/lifted.ts";
import { G } from "../registry/op.ts";
import { nextLevel } from "../registry/level.ts";
import { Batched, unbatch, type BatchScope } from "../registry/batched.ts";
import { Tensor } from "../tensor/tensor.ts";
import { flattenTree, unflattenTree } from "../structure/tree.ts";
import { leafAxes, type AxisSpec } from "./axes.ts";

/**
 * Options of `vmap`.
 *
 * @example
 * ```ts
 * vmap((x, w) => matmul(w, x), { inAxes: [0, null], outAxes: 0 }); // one matmul for the whole batch
 * ```
 */
export interface VmapOptions {
  /** Mapped axis per argument (default 0 for every leaf); null for an argument shared by every example. */
  inAxes?: AxisSpec;
  /** Where the batch axis goes in each output leaf (default 0). */
  outAxes?: AxisSpec;
}

/** Moves axis `from` of a value of `rank` axes to position `to`. */
function moveAxis(x: Value, from: number, to: number, rank: number): Value {
  if (from === to) return x;
  const perm = Array.from({ length: rank }, (_, i) => i).filter((i) => i !== from);
  perm.splice(to, 0, from);
  return G.transpose(x, perm);
}

function normAxis(axis: number, rank: number, what: string): number {
  if (axis < -rank || axis >= rank) {
    fail("vmap", `${what} axis ${axis} is out of range for a value of rank ${rank}`, rank === 0 ? "pass null for a scalar (it cannot be mapped)" : `use an axis in ${-rank}..${rank - 1}`, ShapeError);
  }
  return axis < 0 ? axis + rank : axis;
}

/** The mapped leaves as batches at `level`; returns them and the batch size. */
function enter(leaves: unknown[], axes: (number | null)[], level: number, scope: BatchScope): { inputs: unknown[]; size: number } {
  let size = -1;
  const inputs = leaves.map((leaf, k) => {
    const axis = axes[k];
    if (axis === null || axis === undefined) return leaf;
    if (!(leaf instanceof Tensor || leaf instanceof Lifted)) {
      fail("vmap", `argument leaf ${k + 1} is ${describe(leaf)}, which has no axis ${axis} to map over`, "pass a Tensor, or null in inAxes for it", ShapeError);
    }
    const s = exampleShape(leaf);
    const ax = normAxis(axis, s.length, "the inAxes");
    if (size >= 0 && s[ax] !== size) fail("vmap", `mapped axes have extents ${size} and ${s[ax]}`, "map over axes of one extent", ShapeError);
    size = s[ax];
    return new Batched(moveAxis(leaf, ax, 0, s.length), size, level, scope);
  });
  if (size < 0) fail("vmap", "no argument is mapped (every inAxes entry is null)", "give at least one argument a mapped axis", ShapeError);
  return { inputs, size };
}

/** One output leaf with the batch axis at `axis` (null: the leaf must not depend on the batch). */
function leave(leaf: unknown, axis: number | null, level: number, size: number): unknown {
  if (axis === null) {
    if (leaf instanceof Batched && leaf.level === level) {
      fail("vmap", "an output with outAxes null depends on the mapped arguments", "give that output a batch axis in outAxes", ShapeError);
    }
    return leaf;
  }
  const batch = unbatch(leaf as Value, level, size);
  const rank = exampleShape(batch).length;
  return moveAxis(batch, 0, normAxis(axis, rank, "the outAxes"), rank);
}

/**
 * Returns f mapped over a batch axis: `vmap(f)(X)[i]` is `f(X[i])`, computed
 * in one pass over the batch. `inAxes` gives the mapped axis per argument
 * (a number for all, null for an argument shared by every example, or an
 * array/object matching the arguments' structure); `outAxes` where the
 * batch axis goes in each output.
 *
 * @example
 * ```ts
 * const f = (x: Lifted, w: Lifted) => tanh(matmul(w, x));
 * vmap(f, { inAxes: [0, null] })(X, W); // row i is tanh(W X[i]), one matmul in all
 * ```
 */
export function vmap<F extends (...args: never[]) => unknown>(f: F, options: VmapOptions = {}): (...args: unknown[]) => unknown {
  if (typeof f !== "function") fail("vmap", `expected a function, got ${describe(f)}`, "pass (x) => ...", TypeMismatchError);
  if (options === null || typeof options !== "object") fail("vmap", `options are ${describe(options)}`, "pass { inAxes, outAxes }", TypeMismatchError);
  const inSpec = options.inAxes === undefined ? 0 : options.inAxes;
  const outSpec = options.outAxes === undefined ? 0 : options.outAxes;
  return (...args: unknown[]) => {
    const level = nextLevel();
    const flatIn = flattenTree("vmap", args, "the arguments");
    const spec = Array.isArray(inSpec) ? inSpec : args.map(() => inSpec);
    const scope: BatchScope = { active: true };
    try {
      const { inputs, size } = enter(flatIn.leaves, leafAxes("vmap", spec, flatIn.def, "inAxes"), level, scope);
      // f is typed by its caller; here it receives batched stand-ins in the same structure.
      const out = (f as unknown as (...a: unknown[]) => unknown)(...(unflattenTree(flatIn.def, inputs) as unknown[]));
      const flatOut = flattenTree("vmap", out, "f's result");
      const axes = leafAxes("vmap", outSpec, flatOut.def, "outAxes");
      return unflattenTree(flatOut.def, flatOut.leaves.map((leaf, k) => leave(leaf, axes[k], level, size)));
    } finally {
      scope.active = false;
    }
  };
}
