/**
 * The plots of bench/modes.ts, built from its measurements: time of a full
 * Jacobian against the input size n and the output size m for each mode
 * (with the mode jacobian 'auto' picked ringed), and peak live memory
 * against the length of the computation for both modes.
 */
import type { ModeTimes, ModeName } from "./sections.ts";
import type { ChainMemory } from "./chain-memory.ts";
import type { PlotSpec, PlotSeries } from "./svg-plot.ts";
import { formatCount } from "./axis.ts";

/** A mode drawn on the Jacobian plots, and the 'auto' choice it stands for (null: never picked). */
export interface PlottedMode {
  key: ModeName;
  name: string;
  picks: "forward" | "reverse" | null;
}

/** The modes drawn, in legend order; a new mode is one more entry. */
export const PLOTTED_MODES: PlottedMode[] = [
  { key: "jacfwd", name: "forward (jacfwd)", picks: "forward" },
  { key: "jacrev", name: "reverse (jacrev)", picks: "reverse" },
  { key: "compiled", name: "compiled (compile(f).jacobian)", picks: null },
];

function seriesOf(rows: ModeTimes[], by: "n" | "m", mode: PlottedMode): PlotSeries {
  const points = rows.flatMap((r) => {
    const c = r.modes[mode.key];
    return c === undefined ? [] : [{ x: r[by], y: c.ms, open: c.estimated === true }];
  });
  return { name: mode.name, points };
}

function picks(rows: ModeTimes[], by: "n" | "m", modes: PlottedMode[]): { x: number; y: number }[] {
  return rows.flatMap((r) => {
    const mode = modes.find((m) => m.picks === r.autoMode);
    const c = mode === undefined ? undefined : r.modes[mode.key];
    return c === undefined ? [] : [{ x: r[by], y: c.ms }];
  });
}

/**
 * Time of one full Jacobian against n (f: R^n -> R) or m (g: R -> R^m), one series per mode.
 *
 * @example
 * ```ts
 * writeFileSync("n.svg", svgPlot(jacobianPlot(fam.f, "n", "f: R^n -> R")));
 * ```
 */
export function jacobianPlot(rows: ModeTimes[], by: "n" | "m", problem: string, modes: PlottedMode[] = PLOTTED_MODES): PlotSpec {
  const chunk = rows[0]?.chunk ?? 0;
  return {
    title: `Time of a full Jacobian against ${by}, ${problem}`,
    xLabel: by === "n" ? "n (inputs)" : "m (outputs)",
    yLabel: "time of one Jacobian (ms)",
    series: modes.map((m) => seriesOf(rows, by, m)),
    marks: { name: "jacobian 'auto' picks this mode", points: picks(rows, by, modes) },
    notes: [`Median wall time per call; forward mode pushes ${chunk} directions per pass; compiled code picks its own mode. Data: bench/results/modes.json.`],
  };
}

/**
 * Peak live memory (MB) against the number of ops in the chain, for both modes.
 *
 * @example
 * ```ts
 * writeFileSync("memory.svg", svgPlot(memoryPlot(chainMemory(script, [1023, 4095]))));
 * ```
 */
export function memoryPlot(rows: ChainMemory[]): PlotSpec {
  const mb = (b: number): number => b / 2 ** 20;
  const last = rows[rows.length - 1];
  const perOp = last === undefined ? 0 : last.reverse / last.ops;
  const forwardMax = Math.max(0, ...rows.map((r) => r.forward));
  return {
    title: "Peak live memory against the length of the computation",
    xLabel: "ops in the chain",
    yLabel: "peak live memory (MB)",
    xScale: "linear",
    yScale: "linear",
    include: { x: [0], y: [0] },
    xFormat: formatCount,
    series: [
      { name: "forward (jvp)", points: rows.map((r) => ({ x: r.ops, y: mb(r.forward) })) },
      { name: "reverse (grad)", points: rows.map((r) => ({ x: r.ops, y: mb(r.reverse) })) },
    ],
    notes: [
      `Chain s = sin(s), s = s * x, ...; heap + array buffers after forced GC at the deepest point, over the start.`,
      `Forward: ${forwardMax < 1024 ? "under 1 KB" : `at most ${(forwardMax / 1024).toFixed(1)} KB`} at every length. Reverse (tape + adjoints): ${perOp.toFixed(1)} bytes per op at the longest chain.`,
    ],
  };
}
