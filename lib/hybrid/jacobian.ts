/**
 * `jacobian(f, { mode })(x)`: the Jacobian by whichever mode is cheaper for
 * this problem. 'auto' learns the output size m with one untracked
 * evaluation (cached per function and input size), then compares the cost
 * model's estimates for n inputs and m outputs.
 */
import { splitInput, splitOutput, join, type Input, type Output, type TracedArg, type InputFor, type InputOf, type Jacobian } from "../structure/structure.ts";
import type { Lifted } from "../registry/lifted.ts";
import { itemSizes } from "../structure/jacobian-layout.ts";
import { fail, describe, TypeMismatchError } from "../errors.ts";
import { Var } from "../reverse/var.ts";
import { jacrevAt } from "../reverse/jacrev.ts";
import { jacfwdAt, defaultChunk } from "../forward/jacfwd.ts";
import { readArgumentOptions, callWithArguments, ARGUMENT_KEYS, type ArgumentOptions } from "../structure/arguments.ts";
import { estimateCosts, measuredCosts, checkModel, type CostModel } from "./costmodel.ts";

/**
 * Which mode computes the Jacobian.
 *
 * @example
 * ```ts
 * const mode: JacobianMode = "forward";
 * jacobian((x: Lifted[]) => [mul(x[0]!, x[1]!)], { mode })([2, 3]); // [[3, 2]]
 * ```
 */
export type JacobianMode = "auto" | "forward" | "reverse";

/**
 * Options of `jacobian` (and `argnums`/`hasAux`, shared by every transform).
 *
 * @example
 * ```ts
 * jacobian(f, { mode: "auto", costModel: { ...measuredCosts, sweep: 2 } });
 * ```
 */
export interface JacobianOptions extends ArgumentOptions {
  mode?: JacobianMode;
  /** Override the fitted cost model (e.g. constants measured on your machine). */
  costModel?: CostModel;
}

/**
 * Why 'auto' picked a mode.
 *
 * @example
 * ```ts
 * const c: JacobianChoice = jacobian.explain((x: Lifted[]) => [mul(x[0]!, x[1]!)], [2, 3]);
 * c.mode;   // "forward": with n = 2 one forward pass is cheaper than recording
 * c.reason; // a sentence with n, m and both estimates
 * ```
 */
export interface JacobianChoice {
  mode: "forward" | "reverse";
  n: number;
  m: number;
  forwardCost: number;
  reverseCost: number;
  reason: string;
}

type F = (x: never) => Output;
const outputSizes = new WeakMap<F, Map<string, number>>();

function inputKey(x: Input): { n: number; key: string } {
  const inp = splitInput("jacobian", x);
  const sizes = itemSizes(inp);
  return { n: sizes.reduce((p, s) => p + s, 0), key: `${inp.tree ? JSON.stringify(inp.def) : inp.array ? "a" : "o"}:${sizes.join(",")}` };
}

/** m for g at x, evaluated untracked once and cached under the user's function `f` (g may be f bound to its other arguments). */
function probeOutputSize(f: F, g: F, x: Input, key: string, fresh: boolean): number {
  let cache = outputSizes.get(f);
  if (cache === undefined) outputSizes.set(f, (cache = new Map()));
  const known = cache.get(key);
  if (known !== undefined && !fresh) return known;
  const inp = splitInput("jacobian", x);
  const untracked = inp.items.map((v) => new Var(v, null, -1, 0, true));
  const out = splitOutput("jacobian", (g as (x: unknown) => Output)(join(inp, untracked)));
  const m = itemSizes(out).reduce((p, s) => p + s, 0);
  cache.set(key, m);
  return m;
}

function plural(k: number, one: string, many: string): string {
  return `${k} ${k === 1 ? one : many}`;
}

/** The model with the lanes forward mode will use: the model's own when the caller gave one, else jacfwd's default for this input. */
function withLanes(model: CostModel, given: boolean, x: Input): CostModel {
  return given ? model : { ...model, chunk: defaultChunk(splitInput("jacobian", x)) };
}

function choose(f: F, g: F, x: Input, model: CostModel, fresh = false): JacobianChoice {
  const { n, key } = inputKey(x);
  const m = probeOutputSize(f, g, x, key, fresh);
  const c = estimateCosts(n, m, model);
  const mode = c.forward <= c.reverse ? "forward" : "reverse";
  const passes = Math.ceil(n / model.chunk);
  const lanes = Math.min(n, model.chunk);
  const fwd = `${plural(passes, "forward pass", "forward passes")} of ${plural(lanes, "lane", "lanes")} (~${c.forward.toFixed(1)}x f)`;
  const rev = `recording once plus ${plural(m, "sweep", "sweeps")} (~${c.reverse.toFixed(1)}x f)`;
  const sizes = `n = ${n} ${n === 1 ? "input" : "inputs"} against m = ${m} ${m === 1 ? "output" : "outputs"}`;
  const reason = mode === "forward" ? `${sizes}: ${fwd} beat ${rev}` : `${sizes}: ${rev} beats ${fwd}`;
  return { mode, n, m, forwardCost: c.forward, reverseCost: c.reverse, reason };
}

/**
 * Returns x => J(x) computed in the requested mode ('auto' by default).
 *
 * @example
 * ```ts
 * jacobian((x) => [x[0].mul(x[1])])([2, 3]);               // [[3, 2]]  (reverse: 1 output)
 * jacobian((x) => [x, x.mul(x)], { mode: "forward" })(3);  // [1, 6]
 * ```
 */
export function jacobian<P extends TracedArg = Lifted>(fn: (x: P) => Output, options?: Omit<JacobianOptions, "argnums" | "hasAux">): (x: InputFor<P>) => Jacobian;
export function jacobian(fn: (...args: never[]) => unknown, options: JacobianOptions): (...args: unknown[]) => Jacobian | [Jacobian, unknown];
export function jacobian(fn: (...args: never[]) => unknown, options: JacobianOptions = {}): (...args: never[]) => unknown {
  const f = fn as F;
  if (typeof f !== "function") fail("jacobian", `expected a function, got ${describe(f)}`, "pass (x) => ...", TypeMismatchError);
  const opts = readArgumentOptions("jacobian", options, [...ARGUMENT_KEYS, "mode", "costModel"]);
  const mode = options.mode ?? "auto";
  if (mode !== "auto" && mode !== "forward" && mode !== "reverse") {
    fail("jacobian", `mode ${describe(mode)} is not one of 'auto', 'forward', 'reverse'`, "pass { mode: 'auto' } or leave it out", TypeMismatchError);
  }
  const model = options.costModel ?? measuredCosts;
  checkModel(model);
  return (...args: unknown[]) => callWithArguments("jacobian", fn, args, opts, (g, x) => {
    const m = mode === "auto" ? choose(f, g, x as Input, withLanes(model, options.costModel !== undefined, x as Input)).mode : mode;
    return m === "forward" ? jacfwdAt("jacfwd", g, x, options.costModel?.chunk) : jacrevAt(g, x);
  });
}

/**
 * Says which mode `jacobian(f)` would pick at x, with the estimates and a sentence why.
 *
 * @example
 * ```ts
 * explainJacobian((x) => x.sum(), tensor([1, 2, 3])).mode; // "reverse"
 * ```
 */
export function explainJacobian<P extends TracedArg = Lifted>(f: (x: P) => Output, x: InputOf<P>, model?: CostModel): JacobianChoice {
  if (typeof f !== "function") fail("jacobian.explain", `expected a function, got ${describe(f)}`, "pass (x) => ..., then the point x", TypeMismatchError);
  checkModel(model ?? measuredCosts);
  // Always evaluated afresh: f may close over state that changed its output size since the last call.
  return choose(f as F, f as F, x, withLanes(model ?? measuredCosts, model !== undefined, x as Input), true);
}

jacobian.explain = explainJacobian;
