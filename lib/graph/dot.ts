/**
 * `toDot(v)`: the recorded computation behind a Var as Graphviz DOT text,
 * for `dot -Tsvg` or any DOT viewer (torchviz's `make_dot` for dualtape).
 */
import type { Var } from "../reverse/var.ts";
import { readGraph, type Graph, type GraphOptions } from "./read.ts";
import { nodeLines, nodeStyle } from "./style.ts";

function quote(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

/**
 * Writes a graph in the DOT language: one box per node, inputs above the
 * ops that read them, an edge per argument.
 *
 * @example
 * ```ts
 * graphToDot(readGraph(loss)); // 'digraph dualtape {\n ...'
 * ```
 */
export function graphToDot(g: Graph): string {
  const lines = [
    "digraph dualtape {",
    "  graph [rankdir=TB];",
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];',
    "  edge [arrowsize=0.7];",
  ];
  for (const n of g.nodes) {
    const s = nodeStyle(n);
    const style = s.dashed ? ', style="rounded,filled,dashed"' : "";
    const width = n.output ? ", penwidth=2" : "";
    lines.push(`  ${n.id} [label=${quote(nodeLines(n).join("\n"))}, fillcolor=${quote(s.fill)}, color=${quote(s.stroke)}${style}${width}];`);
  }
  for (const e of g.edges) lines.push(`  ${e.from} -> ${e.to};`);
  lines.push("}", "");
  return lines.join("\n");
}

/**
 * The computation recorded behind `v` (or several outputs of one tape) as
 * Graphviz DOT: a box per op (its name, as `gradFn` reports it, and its
 * shape), per input (blue when it requires grad) and per constant Tensor
 * argument (dashed, no grad); an edge from each argument to the op that
 * read it; the outputs in green. Number arguments are listed in their op's
 * box. `options.names` labels inputs, constants and outputs.
 *
 * @example
 * ```ts
 * const w = variable(tensor([[1, 2], [3, 4]]));
 * const x = tensor([1, -1]);
 * const loss = sum(square(matmul(w, x))) as Var;
 * const dot = toDot(loss, { names: { w, x, loss } });
 * // digraph dualtape { ... n0 [label="w\n[2, 2]\nrequires grad", ...]; ... n0 -> n1; ... }
 * writeFileSync("loss.dot", dot);  // then: dot -Tpng loss.dot -o loss.png
 * ```
 */
export function toDot(v: Var | Var[], options: GraphOptions = {}): string {
  return graphToDot(readGraph(v, options, "toDot"));
}
