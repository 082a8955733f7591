/**
 * What SGD and Adam share: checking the parameter list and the options,
 * `zeroGrad`, and a `step` that hands each parameter's value and gradient to
 * the update rule as flat Float64Arrays.
 *
 * Why flat arrays: an update rule is elementwise, so one loop serves number
 * and Tensor parameters alike; a number parameter goes through a
 * one-element buffer and is written back with `setLeafValue`, a Tensor
 * parameter is updated in place (its `version` is bumped, as for any
 * in-place write). Nothing is recorded on a tape.
 */
import { primal } from "../registry/lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { checkOptions, fail, describe, DomainError, GraphError, ShapeError, TypeMismatchError } from "../errors.ts";
import { Var } from "../reverse/var.ts";
import { setLeafValue } from "../reverse/variable.ts";

/**
 * Base class of the optimisers: holds the parameters and runs the update
 * rule of a subclass over each of them.
 *
 * @example
 * ```ts
 * const opt = new SGD([w, b], { lr: 0.1 }); // an Optimizer
 * loss.backward();
 * opt.step();
 * opt.zeroGrad();
 * ```
 */
export abstract class Optimizer {
  /** The parameters, in the order given. */
  readonly params: readonly Var[];
  /** The optimiser's name in error messages ("SGD", "Adam"). */
  private readonly api: string;

  constructor(api: string, params: readonly Var[]) {
    if (typeof api !== "string") {
      fail("Optimizer", "Optimizer is the base class of the optimisers and cannot be used directly",
        "use new SGD(params, { lr }) or new Adam(params, { lr }), or subclass Optimizer", TypeMismatchError);
    }
    this.api = api;
    this.params = checkParams(api, params);
  }

  /**
   * Updates every parameter that has a gradient. A parameter whose `.grad`
   * is null (the loss did not reach it) is left alone; if no parameter has
   * a gradient, backward() was not called and step() throws.
   */
  step(): void {
    const api = `${this.api}.step`;
    if (this.params.every((p) => p.grad === null)) {
      fail(api, "no parameter has a gradient yet", "call loss.backward() before step()", GraphError);
    }
    this.params.forEach((p, k) => {
      if (p.grad !== null) updateParam(api, p, (value, grad) => this.update(k, value, grad));
    });
  }

  /** Resets every parameter's gradient to zero (see `Var.zeroGrad`). */
  zeroGrad(): void {
    for (const p of this.params) p.zeroGrad();
  }

  /** The update rule for parameter `k`: writes the new value into `value` in place. */
  protected abstract update(k: number, value: Float64Array, grad: Float64Array): void;
}

function checkParams(api: string, params: readonly Var[]): Var[] {
  if (!Array.isArray(params) || params.length === 0) {
    fail(api, `expected a non-empty array of parameters, got ${describe(params)}`, "pass the leaf Vars to optimise, e.g. [w, b]", TypeMismatchError);
  }
  params.forEach((p, k) => {
    if (!(p instanceof Var)) {
      fail(api, `parameter ${k} is ${describe(p)}, not a Var`, "wrap each parameter with variable(value)", TypeMismatchError);
    }
    if (!p.requiresGrad) {
      fail(api, `parameter ${k} does not require grad, so it never gets a gradient`, "create it with variable(value) (requiresGrad true)", GraphError);
    }
    if (!p.isLeaf) {
      fail(api, `parameter ${k} was computed by ${p.gradFn}, it is not a leaf`, "pass the leaves made by variable(), not values computed from them", GraphError);
    }
    const v = p.value;
    if (typeof v !== "number" && !(v instanceof Tensor)) {
      fail(api, `parameter ${k} holds ${describe(v)}`, "optimise Vars whose value is a number or a Tensor", TypeMismatchError);
    }
    if (params.indexOf(p) !== k) {
      fail(api, `parameter ${k} appears more than once`, "list each parameter once", GraphError);
    }
  });
  return params.slice();
}

/** Runs `rule(value, grad)` on p's flat data and stores the result back into p. */
function updateParam(api: string, p: Var, rule: (value: Float64Array, grad: Float64Array) => void): void {
  const v = p.value as number | Tensor;
  const g = primal(p.grad!);
  const size = typeof v === "number" ? 1 : v.size;
  const gsize = typeof g === "number" ? 1 : g.size;
  if (gsize !== size) {
    fail(api, `a parameter has ${size} elements but its gradient has ${gsize}`, "give each parameter a gradient of its own shape (zeroGrad() resets it)", ShapeError);
  }
  const gdata = typeof g === "number" ? Float64Array.of(g) : g.data;
  if (typeof v === "number") {
    const buf = Float64Array.of(v);
    rule(buf, gdata);
    setLeafValue(p, buf[0]);
  } else {
    rule(v.data, gdata);
    v.version++;
  }
}

/**
 * Reads a numeric option, checking it is finite and within range.
 *
 * @example
 * ```ts
 * numberOption("SGD", "lr", 0.1, { above: 0 }); // 0.1
 * ```
 */
export function numberOption(api: string, name: string, value: unknown, range: { above?: number; atLeast?: number; below?: number }): number {
  const bounds: string[] = [];
  if (range.above !== undefined) bounds.push(`> ${range.above}`);
  if (range.atLeast !== undefined) bounds.push(`>= ${range.atLeast}`);
  if (range.below !== undefined) bounds.push(`< ${range.below}`);
  const ok = typeof value === "number" && Number.isFinite(value) &&
    (range.above === undefined || value > range.above) &&
    (range.atLeast === undefined || value >= range.atLeast) &&
    (range.below === undefined || value < range.below);
  if (!ok) fail(api, `${name} is ${describe(value)}`, `pass a finite number ${bounds.join(" and ")}`, DomainError);
  return value as number;
}

/**
 * Checks the options of an optimiser: required (lr has no default), then the
 * shared check of {@link checkOptions} (an object with known keys only).
 *
 * @example
 * ```ts
 * checkOptionKeys("SGD", { lr: 0.1 }, ["lr", "momentum"]);
 * ```
 */
export function checkOptionKeys(api: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) fail(api, "options are missing", `pass an object such as { lr: 0.01 } (valid options are ${known.join(", ")})`, TypeMismatchError);
  checkOptions(api, options, known);
}
