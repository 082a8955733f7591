/**
 * A layered layout for small DAGs, so that `toSvg` needs no Graphviz
 * binary. The steps are the classic Sugiyama ones, each kept simple:
 *
 * 1. Layers: a node's layer is its longest path to an output, counted from
 *    the bottom, so every edge points down and an input sits just above the
 *    first op that is followed by as few steps as the input itself needs (a
 *    bias added at the end sits beside the last op, not at the top).
 * 2. Edges longer than one layer pass through invisible dummy nodes, one
 *    per layer crossed, so they take part in ordering and never cut through
 *    a box.
 * 3. Order within a layer: barycentre sweeps (each node moves to the mean
 *    position of its neighbours in the layer above, then below), which
 *    removes most crossings on graphs of this kind.
 * 4. Coordinates: each node is pulled towards the mean x of its neighbours
 *    while keeping its order and the spacing; layers are stacked top down.
 *
 * The dummy nodes grow with the square of the graph's depth when one value
 * is read all along a long chain, so the caller sets a limit on them.
 */
import { fail } from "../errors.ts";

/** A node to place, with its box size. */
export interface LayoutNode {
  id: string;
  width: number;
  height: number;
}

/** A placed node: (x, y) is its centre. */
export interface Placed extends LayoutNode {
  x: number;
  y: number;
  layer: number;
}

/** An edge's route, from the bottom of `from` to the top of `to`. */
export interface Route {
  from: string;
  to: string;
  points: [number, number][];
}

/** The result: the drawing's size, the placed nodes and the edge routes. */
export interface Layout {
  width: number;
  height: number;
  nodes: Placed[];
  routes: Route[];
}

const RANK_GAP = 46;
const NODE_GAP = 22;
const DUMMY_GAP = 10;
const MARGIN = 16;
const SWEEPS = 8;

interface Work {
  ids: string[];
  width: Map<string, number>;
  height: Map<string, number>;
  preds: Map<string, string[]>;
  succs: Map<string, string[]>;
  layer: Map<string, number>;
  rows: string[][];
  x: Map<string, number>;
}

function link(w: Work, a: string, b: string): void {
  w.succs.get(a)!.push(b);
  w.preds.get(b)!.push(a);
}

/** Longest path to a sink, by a walk in reverse topological order; layer 0 is the top. */
function assignLayers(w: Work, edges: { from: string; to: string }[]): void {
  const out = new Map(w.ids.map((id) => [id, 0]));
  for (const e of edges) out.set(e.from, out.get(e.from)! + 1);
  const depth = new Map<string, number>();
  const ready = w.ids.filter((id) => out.get(id) === 0);
  while (ready.length > 0) {
    const id = ready.pop()!;
    const d = w.succs.get(id)!.reduce((m, s) => Math.max(m, depth.get(s)! + 1), 0);
    depth.set(id, d);
    for (const p of w.preds.get(id)!) {
      out.set(p, out.get(p)! - 1);
      if (out.get(p) === 0) ready.push(p);
    }
  }
  if (depth.size !== w.ids.length) throw new Error("layoutGraph: the graph has a cycle");
  const top = largest(depth.values());
  for (const id of w.ids) w.layer.set(id, top - depth.get(id)!);
}

/** Limits of a layout: at most `maxBends` dummy nodes, else `api` throws. */
export interface LayoutLimits {
  maxBends?: number;
  api?: string;
}

/** Replaces each edge that spans several layers by a chain through dummy nodes; returns each edge's chain. */
function addDummies(w: Work, edges: { from: string; to: string }[], limits: LayoutLimits): string[][] {
  const bends = edges.reduce((n, e) => n + Math.max(0, w.layer.get(e.to)! - w.layer.get(e.from)! - 1), 0);
  if (bends > (limits.maxBends ?? Infinity)) {
    fail(limits.api ?? "layoutGraph", `the graph's edges would need ${bends} bends across its ${largest(w.layer.values()) + 1} layers, more than ${limits.maxBends} (too large to draw readably)`,
      "draw a smaller part of the computation, or lay out toDot(v)'s text with Graphviz");
  }
  for (const id of w.ids) { w.succs.set(id, []); w.preds.set(id, []); }
  let k = 0;
  return edges.map((e) => {
    const chain = [e.from];
    for (let l = w.layer.get(e.from)! + 1; l < w.layer.get(e.to)!; l++) {
      const d = `\u0000dummy${k++}`;
      w.ids.push(d); w.width.set(d, 0); w.height.set(d, 0); w.layer.set(d, l);
      w.succs.set(d, []); w.preds.set(d, []);
      chain.push(d);
    }
    chain.push(e.to);
    for (let i = 1; i < chain.length; i++) link(w, chain[i - 1], chain[i]);
    return chain;
  });
}

/** The largest value, 0 for none (a loop: spreading a long list into Math.max overflows the stack). */
function largest(xs: Iterable<number>): number {
  let m = -Infinity;
  for (const x of xs) if (x > m) m = x;
  return m === -Infinity ? 0 : m;
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function orderRows(w: Work): void {
  const rows: string[][] = [];
  for (const id of w.ids) (rows[w.layer.get(id)!] ??= []).push(id);
  const pos = new Map<string, number>();
  const index = () => rows.forEach((r) => r.forEach((id, i) => pos.set(id, i)));
  index();
  for (let s = 0; s < SWEEPS; s++) {
    const down = s % 2 === 0;
    const layers = rows.map((_, i) => i);
    for (const l of down ? layers.slice(1) : layers.reverse().slice(1)) {
      const key = (id: string): number => {
        const nb = (down ? w.preds : w.succs).get(id)!;
        return nb.length === 0 ? pos.get(id)! : mean(nb.map((n) => pos.get(n)!));
      };
      const keys = new Map(rows[l].map((id) => [id, key(id)]));
      rows[l].sort((a, b) => keys.get(a)! - keys.get(b)!);
      rows[l].forEach((id, i) => pos.set(id, i));
    }
  }
  w.rows = rows;
}

function gap(w: Work, a: string, b: string): number {
  const dummy = w.width.get(a) === 0 || w.width.get(b) === 0;
  return (w.width.get(a)! + w.width.get(b)!) / 2 + (dummy ? DUMMY_GAP : NODE_GAP);
}

/** Puts the row's nodes as near their wished x as the order and spacing allow (mean of a left-packed and a right-packed placement). */
function placeRow(w: Work, row: string[], wish: (id: string) => number): void {
  const n = row.length;
  const left = new Array<number>(n);
  const right = new Array<number>(n);
  for (let i = 0; i < n; i++) left[i] = i === 0 ? wish(row[0]) : Math.max(wish(row[i]), left[i - 1] + gap(w, row[i - 1], row[i]));
  for (let i = n - 1; i >= 0; i--) right[i] = i === n - 1 ? wish(row[i]) : Math.min(wish(row[i]), right[i + 1] - gap(w, row[i], row[i + 1]));
  row.forEach((id, i) => w.x.set(id, (left[i] + right[i]) / 2));
}

function assignX(w: Work): void {
  for (const row of w.rows) {
    let x = 0;
    row.forEach((id, i) => { if (i > 0) x += gap(w, row[i - 1], id); w.x.set(id, x); });
  }
  for (let s = 0; s < SWEEPS; s++) {
    const down = s % 2 === 0;
    const rows = down ? w.rows.slice(1) : w.rows.slice(0, -1).reverse();
    for (const row of rows) {
      placeRow(w, row, (id) => {
        const nb = (down ? w.preds : w.succs).get(id)!;
        return nb.length === 0 ? w.x.get(id)! : mean(nb.map((n) => w.x.get(n)!));
      });
    }
  }
}

/**
 * Lays out a DAG given its nodes (with box sizes) and edges.
 *
 * @example
 * ```ts
 * const l = layoutGraph([{ id: "a", width: 40, height: 20 }, { id: "b", width: 40, height: 20 }], [{ from: "a", to: "b" }]);
 * l.nodes[0].y < l.nodes[1].y; // true: inputs above the ops that read them
 * ```
 */
export function layoutGraph(nodes: LayoutNode[], edges: { from: string; to: string }[], limits: LayoutLimits = {}): Layout {
  const w: Work = {
    ids: nodes.map((n) => n.id), width: new Map(nodes.map((n) => [n.id, n.width])), height: new Map(nodes.map((n) => [n.id, n.height])),
    preds: new Map(), succs: new Map(), layer: new Map(), rows: [], x: new Map(),
  };
  for (const id of w.ids) { w.succs.set(id, []); w.preds.set(id, []); }
  for (const e of edges) link(w, e.from, e.to);
  assignLayers(w, edges);
  const chains = addDummies(w, edges, limits);
  orderRows(w);
  assignX(w);
  return finish(w, nodes, edges, chains);
}

function finish(w: Work, nodes: LayoutNode[], edges: { from: string; to: string }[], chains: string[][]): Layout {
  const minX = -largest(w.ids.map((id) => w.width.get(id)! / 2 - w.x.get(id)!)); // the smallest left edge
  const maxX = largest(w.ids.map((id) => w.x.get(id)! + w.width.get(id)! / 2));
  const rowY: number[] = [];
  let y = MARGIN;
  for (const row of w.rows) {
    const h = largest(row.map((id) => w.height.get(id)!));
    rowY.push(y + h / 2);
    y += h + RANK_GAP;
  }
  const X = (id: string) => w.x.get(id)! - minX + MARGIN;
  const Y = (id: string) => rowY[w.layer.get(id)!];
  const placed: Placed[] = nodes.map((n) => ({ ...n, x: X(n.id), y: Y(n.id), layer: w.layer.get(n.id)! }));
  const routes = edges.map((e, k) => ({ from: e.from, to: e.to, points: chains[k].map((id): [number, number] => [X(id), Y(id)]) }));
  for (const n of placed) {
    spread(routes.filter((r) => r.to === n.id), n, false);
    spread(routes.filter((r) => r.from === n.id), n, true);
  }
  return { width: maxX - minX + 2 * MARGIN, height: y - RANK_GAP + MARGIN, nodes: placed, routes };
}

/**
 * Moves the ends of the routes that meet at node n onto its bottom (leaving)
 * or top (entering) edge, side by side in the order of where they come from,
 * so that two arguments of one op (even the same value twice) stay apart.
 */
function spread(routes: Route[], n: Placed, leaving: boolean): void {
  const end = (r: Route): number => (leaving ? 0 : r.points.length - 1);
  const other = (r: Route): number => r.points[leaving ? 1 : r.points.length - 2][0];
  const sorted = routes.map((r, i) => ({ r, i })).sort((a, b) => other(a.r) - other(b.r) || a.i - b.i).map((o) => o.r);
  const step = Math.min(16, (n.width - 12) / Math.max(1, sorted.length));
  sorted.forEach((r, i) => {
    r.points[end(r)] = [n.x + (i - (sorted.length - 1) / 2) * step, n.y + (leaving ? n.height / 2 : -n.height / 2)];
  });
}
