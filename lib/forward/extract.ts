/**
 * Reading results out of a forward pass: the value and tangent an output
 * carries under one tag (zero when it does not depend on that tag).
 */
import { Lifted, primal, exampleShape, type Value } from "../registry/lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import type { Tangent } from "../registry/combine.ts";
import { TensorLanes, laneOf } from "../registry/lanes.ts";
import { fail, PerturbationError } from "../errors.ts";
import { Dual } from "./dual.ts";
import type { Tag } from "./tag.ts";

function checkNotInner(y: Value, tag: Tag): void {
  if (y instanceof Lifted && y.level > tag.level) {
    fail(tag.api, "f returned a Dual or Var created by a transform nested inside it",
      "return the inner transform's plain result (e.g. the value of grad(...)), not its traced values", PerturbationError);
  }
}

/**
 * The tangent of `y` under `tag`, or null when `y` does not depend on it.
 *
 * @example
 * ```ts
 * rawTangent(new Dual(1, 2, tag), tag); // 2
 * ```
 */
export function rawTangent(y: Value, tag: Tag): Tangent | null {
  checkNotInner(y, tag);
  return y instanceof Dual && y.tag === tag ? y.t : null;
}

/**
 * The primal part of `y` under `tag` (y itself when it does not depend on it).
 *
 * @example
 * ```ts
 * valueUnder(new Dual(1, 2, tag), tag); // 1
 * ```
 */
export function valueUnder(y: Value, tag: Tag): Value {
  return y instanceof Dual && y.tag === tag ? y.value : y;
}

/**
 * The single-lane tangent of `y` under `tag`, materialising zeros in the
 * value's shape when `y` does not depend on the tag.
 *
 * @example
 * ```ts
 * tangentUnder(3, tag); // 0
 * ```
 */
export function tangentUnder(y: Value, tag: Tag): Value {
  const t = rawTangent(y, tag);
  const zero = () => {
    const s = exampleShape(y);
    return s.length === 0 ? 0 : new Tensor(new Float64Array(s.reduce((a, b) => a * b, 1)), s);
  };
  if (t === null) return zero();
  if (t instanceof Float64Array) return t.length === 0 ? zero() : t[0];
  if (t instanceof TensorLanes) return laneOf(t, 0)!;
  if (t === 0) return zero();
  return t;
}
