/**
 * Jacobians of compiled functions, by columns (forward mode, one pass per
 * input direction) or by rows (reverse mode, one pass per output), and the
 * choice between them from a cost model measured for compiled code.
 */
import type { Generated } from "./calls.ts";
import { runForward, runReverse } from "./calls.ts";
import { fail } from "./registry.ts";

/**
 * How a Jacobian is computed.
 *
 * @example
 * ```ts
 * const mode: SourceJacobianMode = "reverse";
 * F.jacobian([x], { mode }); // one reverse pass per output
 * ```
 */
export type SourceJacobianMode = "auto" | "forward" | "reverse";

/**
 * The choice `jacobian` makes and why.
 *
 * @example
 * ```ts
 * const c: SourceJacobianChoice = F.explain([x]);
 * c.mode;   // "forward" or "reverse"
 * c.reason; // a sentence with the input and output counts
 * ```
 */
export interface SourceJacobianChoice {
  mode: "forward" | "reverse";
  inputs: number;
  outputs: number;
  reason: string;
}

/**
 * Cost of one compiled pass in units of the primal, measured by
 * bench/source.ts (bench/results/source.md): forward one direction ~1.5-2x,
 * reverse ~2-3x on the scalar loops there.
 *
 * @example
 * ```ts
 * chooseMode(n, m); // forward when n * COMPILED_COST.forward <= m * COMPILED_COST.reverse
 * ```
 */
export const COMPILED_COST = { forward: 1.8, reverse: 2.6 };

type NumArray = number[] | Float64Array;

function sizes(g: Generated, prepared: unknown[], value: number | Float64Array): { n: number[]; m: number } {
  const n = g.wrt.map((k) => (g.fn.params[k].array ? (prepared[k] as NumArray).length : 1));
  return { n, m: typeof value === "number" ? 1 : value.length };
}

/**
 * Which mode `jacobian` uses for these sizes: forward when n forward passes
 * cost less than m reverse passes.
 *
 * @example
 * ```ts
 * chooseMode(3, 100).mode; // "forward"
 * ```
 */
export function chooseMode(inputs: number, outputs: number): SourceJacobianChoice {
  const f = inputs * COMPILED_COST.forward;
  const r = outputs * COMPILED_COST.reverse;
  const mode = f <= r ? "forward" : "reverse";
  const reason = `${inputs} input${inputs === 1 ? "" : "s"} x ${COMPILED_COST.forward} (forward pass / primal) = ${f.toFixed(1)} against `
    + `${outputs} output${outputs === 1 ? "" : "s"} x ${COMPILED_COST.reverse} (reverse pass / primal) = ${r.toFixed(1)}: ${mode} is cheaper`;
  return { mode, inputs, outputs, reason };
}

/**
 * The Jacobian, one m x n_k matrix (rows of outputs) per `wrt` entry.
 *
 * @example
 * ```ts
 * jacobianOf(g, () => prepare(g, args, "jacobian"), args, value, "auto"); // [[[...], ...]]
 * ```
 */
export function jacobianOf(g: Generated, fresh: () => unknown[], original: readonly unknown[], value: number | Float64Array, mode: SourceJacobianMode): number[][][] {
  const prepared = fresh();
  if (mode !== "auto" && mode !== "forward" && mode !== "reverse") fail("jacobian", `mode ${String(mode)} is unknown`, "pass 'auto', 'forward' or 'reverse'");
  const { n, m } = sizes(g, prepared, value);
  const chosen = mode === "auto" ? chooseMode(n.reduce((a, b) => a + b, 0), m).mode : mode;
  const J = n.map((nk) => Array.from({ length: m }, () => new Array<number>(nk).fill(0)));
  if (chosen === "forward") {
    g.wrt.forEach((k, i) => {
      for (let j = 0; j < n[i]; j++) {
        const tangents = g.wrt.map((kk, ii) => (g.fn.params[kk].array ? unit(n[ii], ii === i ? j : -1) : ii === i ? 1 : 0));
        const { tangent } = runForward(g, fresh(), tangents, "jacobian");
        for (let r = 0; r < m; r++) J[i][r][j] = typeof tangent === "number" ? tangent : tangent[r];
      }
      void k;
    });
  } else {
    for (let r = 0; r < m; r++) {
      const seed = typeof value === "number" ? 1 : unit(m, r);
      const { grads } = runReverse(g, fresh, original, seed);
      grads.forEach((gk, i) => {
        if (typeof gk === "number") J[i][r][0] = gk;
        else for (let j = 0; j < n[i]; j++) J[i][r][j] = (gk as NumArray)[j];
      });
    }
  }
  return J;
}

/**
 * Sizes and choice for `explain`.
 *
 * @example
 * ```ts
 * explainOf(g, prepared, value).reason;
 * ```
 */
export function explainOf(g: Generated, prepared: unknown[], value: number | Float64Array): SourceJacobianChoice {
  const { n, m } = sizes(g, prepared, value);
  return chooseMode(n.reduce((a, b) => a + b, 0), m);
}

function unit(length: number, at: number): Float64Array {
  const u = new Float64Array(length);
  if (at >= 0) u[at] = 1;
  return u;
}
