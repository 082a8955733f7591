/**
 * A small SVG line-plot writer for the benchmark reports: log or linear
 * axes with ticks, grid and labels, any number of series drawn as polylines
 * with markers (open markers for points that were estimated rather than
 * measured), a set of marked points (a ring around each), a legend and
 * notes under the plot. The output is a standalone SVG string with no
 * scripts, styles or external references, so it renders on GitHub and in
 * any viewer. A dependency would have been larger than this file.
 */
import { fitAxis, formatTick, type Axis, type Scale } from "./axis.ts";

/** One data point; `open` draws its marker hollow (e.g. an extrapolated value). */
export interface PlotPoint {
  x: number;
  y: number;
  open?: boolean;
}

/** A named line. Colours and marker shapes are assigned by position in `series`. */
export interface PlotSeries {
  name: string;
  points: PlotPoint[];
}

/** What a plot shows. */
export interface PlotSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  xScale?: Scale;
  yScale?: Scale;
  series: PlotSeries[];
  /** Points to ring (e.g. the mode an automatic choice picked), with their legend entry. */
  marks?: { name: string; points: { x: number; y: number }[] };
  /** Sentences printed under the plot. */
  notes?: string[];
  /** Extra values each axis must include (e.g. 0 on a linear axis). */
  include?: { x?: number[]; y?: number[] };
  xFormat?: (v: number) => string;
  yFormat?: (v: number) => string;
  width?: number;
  height?: number;
}

/** Okabe-Ito colours: distinguishable with the common colour-vision deficiencies. */
const COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"];
const MARKERS = ["circle", "square", "triangle", "diamond"] as const;
const FONT = `font-family="DejaVu Sans, Helvetica, Arial, sans-serif"`;
const M = { left: 78, right: 24, top: 46, bottom: 58 };

/**
 * Escapes text for an XML text node or attribute value.
 *
 * @example
 * ```ts
 * xmlEscape("a < b & c"); // "a &lt; b &amp; c"
 * ```
 */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const f1 = (v: number): string => (Math.round(v * 10) / 10).toString();

function marker(kind: number, x: number, y: number, color: string, open: boolean): string {
  const fill = open ? "#ffffff" : color;
  const style = `fill="${fill}" stroke="${color}" stroke-width="1.6"`;
  const shape = MARKERS[kind % MARKERS.length];
  if (shape === "circle") return `<circle cx="${f1(x)}" cy="${f1(y)}" r="4" ${style}/>`;
  if (shape === "square") return `<rect x="${f1(x - 3.6)}" y="${f1(y - 3.6)}" width="7.2" height="7.2" ${style}/>`;
  const pts = shape === "triangle"
    ? [[x, y - 5], [x + 4.6, y + 3.4], [x - 4.6, y + 3.4]]
    : [[x, y - 5.2], [x + 4.4, y], [x, y + 5.2], [x - 4.4, y]];
  return `<polygon points="${pts.map(([a, b]) => `${f1(a!)},${f1(b!)}`).join(" ")}" ${style}/>`;
}

/** Width of a note character, generous (no font metrics here), so wrapped lines fit. */
const NOTE_CHAR = 6.6;

/**
 * Splits text into lines of at most `max` characters at spaces.
 *
 * @example
 * ```ts
 * wrap("one two three", 8); // ["one two", "three"]
 * ```
 */
export function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > max) { lines.push(line); line = word; }
    else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}

const ring = (x: number, y: number): string =>
  `<circle cx="${f1(x)}" cy="${f1(y)}" r="9" fill="none" stroke="#222222" stroke-width="1.4"/>`;

interface Frame {
  x: Axis;
  y: Axis;
  w: number;
  h: number;
  px(v: number): number;
  py(v: number): number;
}

function frame(spec: PlotSpec, w: number, h: number): Frame {
  const pts = spec.series.flatMap((s) => s.points).concat(spec.marks?.points ?? []);
  const x = fitAxis([...pts.map((p) => p.x), ...(spec.include?.x ?? [])], spec.xScale ?? "log", spec.xFormat ?? formatTick);
  const y = fitAxis([...pts.map((p) => p.y), ...(spec.include?.y ?? [])], spec.yScale ?? "log", spec.yFormat ?? formatTick);
  return { x, y, w, h, px: (v) => M.left + x.unit(v) * w, py: (v) => M.top + (1 - y.unit(v)) * h };
}

function axes(fr: Frame, spec: PlotSpec): string[] {
  const out: string[] = [];
  const bottom = M.top + fr.h;
  for (const t of fr.x.ticks) {
    const x = fr.px(t.value);
    if (t.major) out.push(`<line x1="${f1(x)}" y1="${M.top}" x2="${f1(x)}" y2="${bottom}" stroke="#e4e4e4"/>`);
    out.push(`<line x1="${f1(x)}" y1="${bottom}" x2="${f1(x)}" y2="${bottom + (t.major ? 6 : 3)}" stroke="#333333"/>`);
    if (t.label) out.push(`<text x="${f1(x)}" y="${bottom + 20}" text-anchor="middle" font-size="12" ${FONT}>${xmlEscape(t.label)}</text>`);
  }
  for (const t of fr.y.ticks) {
    const y = fr.py(t.value);
    if (t.major) out.push(`<line x1="${M.left}" y1="${f1(y)}" x2="${M.left + fr.w}" y2="${f1(y)}" stroke="#e4e4e4"/>`);
    out.push(`<line x1="${M.left - (t.major ? 6 : 3)}" y1="${f1(y)}" x2="${M.left}" y2="${f1(y)}" stroke="#333333"/>`);
    if (t.label) out.push(`<text x="${M.left - 9}" y="${f1(y + 4)}" text-anchor="end" font-size="12" ${FONT}>${xmlEscape(t.label)}</text>`);
  }
  out.push(`<rect x="${M.left}" y="${M.top}" width="${fr.w}" height="${fr.h}" fill="none" stroke="#333333"/>`);
  out.push(`<text x="${M.left + fr.w / 2}" y="${bottom + 42}" text-anchor="middle" font-size="13" ${FONT}>${xmlEscape(spec.xLabel)}</text>`);
  const cy = M.top + fr.h / 2;
  out.push(`<text x="18" y="${cy}" text-anchor="middle" font-size="13" transform="rotate(-90 18 ${cy})" ${FONT}>${xmlEscape(spec.yLabel)}</text>`);
  return out;
}

function seriesMarkup(fr: Frame, spec: PlotSpec): string[] {
  const out: string[] = [];
  spec.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const pts = s.points.map((p) => `${f1(fr.px(p.x))},${f1(fr.py(p.y))}`).join(" ");
    out.push(`<polyline points="${pts}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const p of s.points) out.push(marker(i, fr.px(p.x), fr.py(p.y), color, p.open === true));
  });
  for (const p of spec.marks?.points ?? []) out.push(ring(fr.px(p.x), fr.py(p.y)));
  return out;
}

function legend(spec: PlotSpec): string[] {
  const entries: { name: string; draw: (x: number, y: number) => string }[] = spec.series.map((s, i) => {
    const c = COLORS[i % COLORS.length]!;
    return { name: s.name, draw: (x, y) => `<line x1="${x - 12}" y1="${y}" x2="${x + 12}" y2="${y}" stroke="${c}" stroke-width="2"/>${marker(i, x, y, c, false)}` };
  });
  if (spec.marks && spec.marks.points.length > 0) entries.push({ name: spec.marks.name, draw: (x, y) => ring(x, y) });
  if (spec.series.some((s) => s.points.some((p) => p.open))) {
    entries.push({ name: "open marker: extrapolated, not run", draw: (x, y) => marker(0, x, y, "#555555", true) });
  }
  const longest = Math.max(...entries.map((e) => e.name.length));
  const boxW = 48 + longest * 6.8;
  const x0 = M.left + 10;
  const y0 = M.top + 10;
  const out = [`<rect x="${x0}" y="${y0}" width="${f1(boxW)}" height="${entries.length * 20 + 8}" fill="#ffffff" fill-opacity="0.92" stroke="#bbbbbb"/>`];
  entries.forEach((e, k) => {
    const y = y0 + 14 + k * 20;
    out.push(e.draw(x0 + 22, y));
    out.push(`<text x="${x0 + 42}" y="${y + 4}" font-size="12" ${FONT}>${xmlEscape(e.name)}</text>`);
  });
  return out;
}

/**
 * Draws a line plot as a standalone SVG document.
 *
 * @example
 * ```ts
 * const svg = svgPlot({
 *   title: "Jacobian time", xLabel: "n", yLabel: "ms",
 *   series: [{ name: "forward", points: [{ x: 10, y: 0.1 }, { x: 100, y: 5 }] }],
 *   marks: { name: "auto's pick", points: [{ x: 10, y: 0.1 }] },
 * });
 * writeFileSync("plot.svg", svg);
 * ```
 */
export function svgPlot(spec: PlotSpec): string {
  const width = spec.width ?? 680;
  const base = spec.height ?? 440;
  const notes = (spec.notes ?? []).flatMap((n) => wrap(n, Math.floor((width - M.left - 8) / NOTE_CHAR)));
  const height = base + notes.length * 17;
  const fr = frame(spec, width - M.left - M.right, base - M.top - M.bottom);
  const noteLines = notes.map((n, k) =>
    `<text x="${M.left}" y="${base + 4 + k * 17}" font-size="11.5" fill="#444444" ${FONT}>${xmlEscape(n)}</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${M.left}" y="28" font-size="15" font-weight="bold" ${FONT}>${xmlEscape(spec.title)}</text>`,
    ...axes(fr, spec),
    ...seriesMarkup(fr, spec),
    ...legend(spec),
    ...noteLines,
    "</svg>",
    "",
  ].join("\n");
}
