/**
 * Leaves of the imperative (PyTorch-style) workflow: `variable` makes a leaf
 * Var on the open imperative tape, `setLeafValue` lets optimisers update
 * a leaf in place.
 */
import { Lifted, type Value } from "../registry/lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { fail, describe, checkOptions, booleanOption, GraphError, ShapeError, TypeMismatchError } from "../errors.ts";
import type { Tape } from "./tape.ts";
import { Var } from "./var.ts";
import { imperativeTapes } from "./imperative.ts";
import { resolveHandle } from "./tape-merge.ts";
import { bumpLeafVersion } from "./leaf-version.ts";
import "./backward.ts";

/**
 * The open imperative tape: `variable()` leaves register on it and new
 * graphs start on it (imperative.ts explains when it changes).
 *
 * @example
 * ```ts
 * imperativeTape().length;
 * ```
 */
export function imperativeTape(): Tape {
  return imperativeTapes().current();
}

/**
 * Makes a leaf Var (PyTorch's `requires_grad=True` tensor).
 *
 * @example
 * ```ts
 * const x = variable(tensor([1, 2, 3]));
 * const c = variable(2, { requiresGrad: false }); // a constant Var
 * ```
 */
export function variable(value: number, options?: { requiresGrad?: boolean }): Var<number>;
export function variable(value: Tensor, options?: { requiresGrad?: boolean }): Var<Tensor>;
export function variable(value: Value | Var, options?: { requiresGrad?: boolean }): Var;
export function variable(value: Value | Var, options: { requiresGrad?: boolean } = {}): Var {
  checkOptions("variable", options, ["requiresGrad"]);
  booleanOption("variable", "requiresGrad", options.requiresGrad);
  const inner = value instanceof Var && value.tape === null ? value.value : value;
  if (typeof inner !== "number" && !(inner instanceof Tensor) && !(inner instanceof Lifted)) {
    fail("variable", `cannot wrap ${describe(inner)}`, "pass a number or a Tensor (wrap arrays with tensor(...))", TypeMismatchError);
  }
  if (options.requiresGrad === false) return new Var(inner, null, -1, 0, true);
  const tape = imperativeTape();
  if (inner instanceof Lifted && inner.level >= tape.level) {
    fail("variable", "the value carries a derivative from a transform that started after the imperative tape",
      "inside transforms, operate on the traced values directly instead of wrapping them with variable()", TypeMismatchError);
  }
  const v = new Var(inner, tape, -1, -1, true);
  tape.registerLeaf(v);
  return v;
}

/**
 * Replaces the value of a leaf Var: how optimisers update parameters (a
 * Var's `value` is otherwise read-only). The new value must have the same
 * kind and shape. Nothing is recorded. If the leaf is registered on the
 * current tape generation (a graph kept with retainGraph, or one never
 * run backward), later ops record it as a new leaf node with the new value,
 * and a backward through a graph recorded before the change throws a
 * GraphError (as for a Tensor written in place), rather than mixing
 * partials cached at the old value with a replay at the new one.
 *
 * @example
 * ```ts
 * const w = variable(1);
 * setLeafValue(w, 0.9); // w.value === 0.9
 * ```
 */
export function setLeafValue(v: Var, value: number | Tensor): void {
  if (!(v instanceof Var) || !v.isLeaf) {
    fail("setLeafValue", `expected a leaf Var, got ${v instanceof Var ? `a Var computed by ${v.gradFn}` : describe(v)}`,
      "update the leaves made by variable(), not values computed from them", GraphError);
  }
  const old = v.value;
  const same = typeof old === "number" ? typeof value === "number"
    : old instanceof Tensor && value instanceof Tensor && old.shape.length === value.shape.length && old.shape.every((d, i) => d === value.shape[i]);
  if (!same) {
    fail("setLeafValue", `the new value ${describe(value)} does not match the current ${describe(old)}`,
      "pass a value of the same kind and shape", ShapeError);
  }
  resolveHandle(v);
  bumpLeafVersion(v);
  v.tape?.retireLeaf(v);
  (v as { value: Value }).value = value;
}

/**
 * True when `v` is a Var.
 *
 * @example
 * ```ts
 * isVar(variable(1)); // true
 * ```
 */
export function isVar(v: unknown): v is Var {
  return v instanceof Var;
}
