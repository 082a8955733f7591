/**
 * How a graph node is labelled and coloured, shared by the DOT and SVG
 * writers so both pictures say the same thing. The colours follow
 * torchviz's convention: blue for inputs that require gradients, green for
 * the outputs, grey for ops; constants (no gradient) are white and dashed.
 */
import type { GraphNode } from "./read.ts";

/** Fill and outline of a node. */
export interface NodeStyle {
  fill: string;
  stroke: string;
  dashed: boolean;
}

const INPUT: NodeStyle = { fill: "#cfe2ff", stroke: "#2f6db5", dashed: false };
const OP: NodeStyle = { fill: "#eeeeee", stroke: "#808080", dashed: false };
const OUTPUT: NodeStyle = { fill: "#c8efc4", stroke: "#2e8a36", dashed: false };
const CONSTANT: NodeStyle = { fill: "#ffffff", stroke: "#8c8c8c", dashed: true };
const FREED: NodeStyle = { fill: "#fff1dc", stroke: "#c77700", dashed: true };

/**
 * The colours of a node.
 *
 * @example
 * ```ts
 * nodeStyle(node).fill; // "#cfe2ff" for an input that requires grad
 * ```
 */
export function nodeStyle(n: GraphNode): NodeStyle {
  if (n.output) return n.requiresGrad ? OUTPUT : CONSTANT;
  if (n.kind === "freed" || n.freed) return FREED;
  if (n.kind === "input") return INPUT;
  if (n.kind === "constant") return CONSTANT;
  return OP;
}

/**
 * The text lines of a node: what it is (the op's name, or the given name),
 * its shape, and its gradient status or number arguments.
 *
 * @example
 * ```ts
 * nodeLines(node); // ["mul", "[2, 3]", "with 0.5"]
 * ```
 */
export function nodeLines(n: GraphNode): string[] {
  const lines: string[] = [];
  if (n.kind === "op") {
    lines.push(n.name === null ? n.op! : `${n.name} = ${n.op}`, n.shape);
    if (n.constants.length > 0) lines.push(`with ${n.constants.join(", ")}`);
    if (n.freed) lines.push("freed by backward()");
    return lines;
  }
  if (n.kind === "freed") return [n.name ?? "freed value", n.shape, "graph freed"];
  lines.push(n.name ?? (n.kind === "input" ? "input" : "constant"), n.shape, n.requiresGrad ? "requires grad" : "no grad");
  return lines;
}

/**
 * The legend: one sample style per kind of node, with its meaning.
 *
 * @example
 * ```ts
 * legendEntries().map((e) => e.label);
 * ```
 */
export function legendEntries(): { label: string; style: NodeStyle }[] {
  return [
    { label: "input, requires grad", style: INPUT },
    { label: "op (gradFn)", style: OP },
    { label: "output", style: OUTPUT },
    { label: "constant, no grad", style: CONSTANT },
  ];
}
