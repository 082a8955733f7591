/**
 * `toSvg(v)`: the recorded computation behind a Var drawn as a standalone
 * SVG document, laid out here (lib/graph/layout.ts), so that no Graphviz
 * binary is needed on the user's machine.
 */
import type { Var } from "../reverse/var.ts";
import { readGraph, type Graph, type GraphNode, type GraphOptions } from "./read.ts";
import { nodeLines, nodeStyle, legendEntries, type NodeStyle } from "./style.ts";
import { layoutGraph, type Placed, type Route } from "./layout.ts";
import { fail } from "../errors.ts";

const FONT = `font-family="DejaVu Sans, Helvetica, Arial, sans-serif"`;
const LINE = 15;
const PAD_X = 12;
const PAD_Y = 7;
/** Text widths are estimated (no font metrics without a renderer): generous per-character widths. */
const CHAR_TITLE = 7.4;
const CHAR_TEXT = 6.5;
const LEGEND_H = 34;
/** Beyond these a picture is unreadable and its layout slow (bends grow with depth squared). */
const MAX_NODES = 1000;
const MAX_BENDS = 20000;

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const f1 = (v: number): string => (Math.round(v * 10) / 10).toString();

function boxSize(lines: string[]): { width: number; height: number } {
  const w = Math.max(lines[0].length * CHAR_TITLE, ...lines.slice(1).map((l) => l.length * CHAR_TEXT));
  return { width: Math.ceil(w + 2 * PAD_X), height: lines.length * LINE + 2 * PAD_Y };
}

function box(x: number, y: number, w: number, h: number, s: NodeStyle, thick: boolean): string {
  const dash = s.dashed ? ` stroke-dasharray="4 3"` : "";
  return `<rect x="${f1(x)}" y="${f1(y)}" width="${f1(w)}" height="${f1(h)}" rx="6" fill="${s.fill}" stroke="${s.stroke}" stroke-width="${thick ? 2.2 : 1.2}"${dash}/>`;
}

function nodeMarkup(n: GraphNode, p: Placed, lines: string[]): string {
  const top = p.y - p.height / 2;
  const text = lines.map((l, i) => {
    const weight = i === 0 ? ` font-weight="bold" font-size="12"` : ` font-size="11" fill="#333333"`;
    return `<text x="${f1(p.x)}" y="${f1(top + PAD_Y + LINE * i + 11.5)}" text-anchor="middle"${weight} ${FONT}>${esc(l)}</text>`;
  });
  return [
    `<g class="node" data-id="${n.id}" data-kind="${n.kind}" data-requires-grad="${n.requiresGrad}"${n.output ? ` data-output="true"` : ""}>`,
    `<title>${esc(lines.join(", "))}</title>`,
    box(p.x - p.width / 2, top, p.width, p.height, nodeStyle(n), n.output),
    ...text,
    "</g>",
  ].join("");
}

/** A smooth path through the route's points, leaving and entering vertically. */
function edgeMarkup(r: Route): string {
  const pts = r.points;
  let d = `M${f1(pts[0][0])},${f1(pts[0][1])}`;
  for (let i = 1; i < pts.length; i++) {
    const [x0, y0] = pts[i - 1];
    const [x1, y1] = pts[i];
    const my = (y0 + y1) / 2;
    d += ` C${f1(x0)},${f1(my)} ${f1(x1)},${f1(my)} ${f1(x1)},${f1(y1)}`;
  }
  return `<path class="edge" data-from="${r.from}" data-to="${r.to}" d="${d}" fill="none" stroke="#555555" stroke-width="1.3" marker-end="url(#dualtape-arrow)"/>`;
}

function legend(y: number): { markup: string; width: number } {
  let x = 16;
  const parts = legendEntries().map((e) => {
    const m = box(x, y + 8, 22, 14, e.style, false)
      + `<text x="${x + 29}" y="${y + 19.5}" font-size="11" fill="#333333" ${FONT}>${esc(e.label)}</text>`;
    x += 29 + e.label.length * CHAR_TEXT + 18;
    return m;
  });
  return { markup: parts.join(""), width: x };
}

/**
 * Draws a graph as SVG: boxes placed by the layered layout, curved edges
 * with arrowheads from each argument to the op that read it, and a legend.
 *
 * @example
 * ```ts
 * graphToSvg(readGraph(loss)); // '<svg xmlns="http://www.w3.org/2000/svg" ...'
 * ```
 */
export function graphToSvg(g: Graph, api = "toSvg"): string {
  if (g.nodes.length > MAX_NODES) {
    fail(api, `the graph has ${g.nodes.length} nodes, more than ${MAX_NODES} (too large to draw readably)`,
      "draw a smaller part of the computation, or lay out toDot(v)'s text with Graphviz");
  }
  const lines = new Map(g.nodes.map((n) => [n.id, nodeLines(n)]));
  const layout = layoutGraph(g.nodes.map((n) => ({ id: n.id, ...boxSize(lines.get(n.id)!) })), g.edges, { maxBends: MAX_BENDS, api });
  const placed = new Map(layout.nodes.map((p) => [p.id, p]));
  const leg = legend(layout.height);
  const width = Math.ceil(Math.max(layout.width, leg.width));
  const height = Math.ceil(layout.height + LEGEND_H);
  const shift = (width - layout.width) / 2;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<defs><marker id="dualtape-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555555"/></marker></defs>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<g transform="translate(${f1(shift)},0)">`,
    ...layout.routes.map(edgeMarkup),
    ...g.nodes.map((n) => nodeMarkup(n, placed.get(n.id)!, lines.get(n.id)!)),
    "</g>",
    leg.markup,
    "</svg>",
    "",
  ].join("\n");
}

/**
 * The computation recorded behind `v` (or several outputs of one tape) as
 * a standalone SVG picture, laid out without Graphviz: a box per op (its
 * name, as `gradFn` reports it, and its shape), per input (blue when it
 * requires grad) and per constant Tensor argument (dashed, no grad), the
 * outputs in green, and an arrow from each argument to the op that read
 * it. `options.names` labels inputs, constants and outputs. Graphs of more
 * than 1000 nodes (or whose layout needs more than 20000 edge bends) are
 * refused as too large to read; `toDot` has no limit.
 *
 * @example
 * ```ts
 * const w = variable(tensor([[1, 2], [3, 4]]));
 * const x = tensor([1, -1]);
 * const loss = sum(square(matmul(w, x))) as Var;
 * writeFileSync("loss.svg", toSvg(loss, { names: { w, x, loss } }));
 * ```
 */
export function toSvg(v: Var | Var[], options: GraphOptions = {}): string {
  return graphToSvg(readGraph(v, options, "toSvg"), "toSvg");
}
