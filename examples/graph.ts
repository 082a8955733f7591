/**
 * Drawing a recorded computation (torchviz's `make_dot` for dualtape): the
 * loss of a 2-layer MLP,
 *
 *   loss = mean((relu(X W1 + b1) W2 - y)²) + 0.01 sum(W1²)
 *
 * for a batch X of 8 points with 3 features, 4 hidden units and one output.
 * The weights W1, b1, W2 are leaves that require gradients (blue in the
 * picture); X and y are data (constants, dashed); each op recorded on the
 * tape is one box with its name (what `gradFn` reports) and its shape, and
 * the arrows run from each argument to the op that read it. W1 is read
 * twice (by the first layer and by the weight penalty); the number 0.01 is
 * listed in the box of the op that read it.
 *
 * `toSvg` lays the graph out itself; `toDot` gives Graphviz text for
 * `dot -Tsvg`. Running this example writes docs/graph.svg (the picture in
 * the README) and prints the DOT text.
 *
 * Run: npx tsx examples/graph.ts
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { variable, randn, matmul, add, sub, mul, relu, square, mean, sum, toDot, toSvg, type Var } from "../lib/index.ts";

/** The example's outputs: the loss and its pictures. */
export interface GraphExample {
  loss: Var;
  dot: string;
  svg: string;
}

/**
 * Records the MLP loss and draws it.
 *
 * @example
 * ```ts
 * const { dot, svg } = mlpGraph();
 * ```
 */
export function mlpGraph(): GraphExample {
  const X = randn([8, 3], { seed: 1 });
  const y = randn([8, 1], { seed: 2 });
  const W1 = variable(randn([3, 4], { seed: 3 }));
  const b1 = variable(randn([4], { seed: 4 }));
  const W2 = variable(randn([4, 1], { seed: 5 }));
  const hidden = relu(add(matmul(X, W1), b1));
  const fit = mean(square(sub(matmul(hidden, W2), y)));
  const loss = add(fit, mul(0.01, sum(square(W1)))) as Var;
  const names = { X, y, W1, b1, W2, loss };
  return { loss, dot: toDot(loss, { names }), svg: toSvg(loss, { names }) };
}

/** Where the README's picture lives. */
export const GRAPH_SVG = fileURLToPath(new URL("../docs/graph.svg", import.meta.url));

function main(): void {
  const { dot, svg } = mlpGraph();
  writeFileSync(GRAPH_SVG, svg);
  console.log(dot);
  console.log(`wrote ${GRAPH_SVG}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
