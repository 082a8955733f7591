/**
 * A grouped bar chart in SVG for the benchmark reports (the line plots of
 * svg-plot.ts suit numeric x axes; a table of workloads against libraries
 * is categorical): one group per category, one bar per series in it, on a
 * log or linear value axis with the same ticks, fonts, colours and text
 * escaping as the line plots, and an optional reference line (e.g. 1x).
 * A missing value (null) leaves its bar out and writes "—" in its place.
 */
import { fitAxis, formatTick, type Scale } from "./axis.ts";
import { xmlEscape, wrap } from "./svg-plot.ts";

/** What a bar chart shows. */
export interface BarSpec {
  title: string;
  yLabel: string;
  yScale?: Scale;
  /** Group labels, left to right. */
  categories: string[];
  /** One entry per series: its name and one value (or null) per category. */
  series: { name: string; values: (number | null)[] }[];
  /** A horizontal line drawn across the chart at this value, with its label. */
  reference?: { value: number; label: string };
  notes?: string[];
  width?: number;
  height?: number;
}

const COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"];
const FONT = `font-family="DejaVu Sans, Helvetica, Arial, sans-serif"`;
const M = { left: 78, right: 24, top: 64, bottom: 96 };
const f1 = (v: number) => v.toFixed(1);

function text(x: number, y: number, s: string, extra = ""): string {
  return `<text x="${f1(x)}" y="${f1(y)}" font-size="11.5" ${FONT} ${extra}>${xmlEscape(s)}</text>`;
}

/**
 * The chart as a standalone SVG string.
 *
 * @example
 * ```ts
 * svgBars({ title: "t", yLabel: "x", categories: ["a"], series: [{ name: "s", values: [2] }] });
 * ```
 */
export function svgBars(spec: BarSpec): string {
  const width = spec.width ?? 760;
  const base = spec.height ?? 460;
  const scale = spec.yScale ?? "log";
  const values = spec.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const axis = fitAxis(spec.reference ? [...values, spec.reference.value] : values, scale);
  const [x0, y0, w, h] = [M.left, M.top, width - M.left - M.right, base - M.top - M.bottom];
  const yOf = (v: number) => y0 + h * (1 - axis.unit(v));
  const floor = scale === "log" ? y0 + h : yOf(Math.max(axis.min, 0));
  const group = w / spec.categories.length;
  const bar = (group * 0.8) / spec.series.length;
  const out: string[] = [];
  for (const t of axis.ticks) {
    const y = yOf(t.value);
    out.push(`<line x1="${x0}" y1="${f1(y)}" x2="${x0 + w}" y2="${f1(y)}" stroke="${t.major ? "#dddddd" : "#f0f0f0"}"/>`);
    if (t.label !== "") out.push(text(x0 - 6, y + 4, t.label, `text-anchor="end"`));
  }
  spec.categories.forEach((c, g) => {
    const gx = x0 + g * group + group * 0.1;
    spec.series.forEach((s, k) => {
      const v = s.values[g] ?? null;
      const x = gx + k * bar;
      if (v === null) {
        out.push(text(x + bar / 2, floor - 4, "—", `text-anchor="middle" fill="#666666"`));
        return;
      }
      const y = yOf(v);
      out.push(`<rect x="${f1(x)}" y="${f1(Math.min(y, floor))}" width="${f1(bar * 0.92)}" height="${f1(Math.abs(floor - y))}" fill="${COLORS[k % COLORS.length]}"><title>${xmlEscape(`${s.name}, ${c}: ${formatTick(v)}`)}</title></rect>`);
    });
    wrap(c, Math.max(8, Math.floor(group / 7))).forEach((line, i) =>
      out.push(text(x0 + g * group + group / 2, y0 + h + 18 + i * 14, line, `text-anchor="middle"`)));
  });
  if (spec.reference) {
    const y = yOf(spec.reference.value);
    out.push(`<line x1="${x0}" y1="${f1(y)}" x2="${x0 + w}" y2="${f1(y)}" stroke="#222222" stroke-dasharray="5 4"/>`);
    out.push(text(x0 + w - 4, y - 5, spec.reference.label, `text-anchor="end"`));
  }
  const legend = spec.series.map((s, k) => {
    const lx = x0 + k * 150;
    return `<rect x="${lx}" y="${y0 - 24}" width="12" height="12" fill="${COLORS[k % COLORS.length]}"/>${text(lx + 18, y0 - 14, s.name)}`;
  });
  const notes = (spec.notes ?? []).flatMap((n) => wrap(n, Math.floor((width - M.left - 8) / 6.4)));
  const height = base + notes.length * 17;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${M.left}" y="24" font-size="15" font-weight="bold" ${FONT}>${xmlEscape(spec.title)}</text>`,
    `<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="none" stroke="#888888"/>`,
    text(18, y0 + h / 2, spec.yLabel, `text-anchor="middle" transform="rotate(-90 18 ${f1(y0 + h / 2)})"`),
    ...out,
    ...legend,
    ...notes.map((n, k) => text(M.left, base + 4 + k * 17, n, `fill="#444444"`)),
    "</svg>",
    "",
  ].join("\n");
}
