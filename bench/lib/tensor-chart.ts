/**
 * The chart of bench/tensors.ts: gradient time over the plain-JS primal per
 * workload, one bar per library, on a log axis with the 1x line.
 */
import type { BarSpec } from "./svg-bars.ts";

/** The parts of a result row the chart reads (bench/results/tensors.json has them). */
export interface RatioRow {
  workload: string;
  cells: Record<string, { ratio: number | null }>;
}

/**
 * The bar chart spec for `rows`, one series per peer name.
 *
 * @example
 * ```ts
 * writeFileSync("tensors.svg", svgBars(ratioChart(rows, ["dualtape", "jax-js", "TF.js"], "load 1.2")));
 * ```
 */
export function ratioChart(rows: readonly RatioRow[], peers: readonly string[], machine: string): BarSpec {
  return {
    title: "Tensor gradients: time over a plain-JS primal (lower is faster)",
    yLabel: "gradient time / primal time",
    yScale: "log",
    categories: rows.map((r) => r.workload),
    series: peers.map((name) => ({ name, values: rows.map((r) => r.cells[name]?.ratio ?? null) })),
    reference: { value: 1, label: "1x: as fast as the primal" },
    notes: [`Medians of interleaved rounds, one process. ${machine}. — : no such transform (TF.js has no Jacobian).`],
  };
}
