/**
 * dualtape in a web page: computes a gradient in both modes and writes it
 * into index.html. scripts/browser.mjs bundles this file with esbuild and
 * checks the page in headless Chromium.
 *
 * f(x) = sin(x0) x1 + exp(x1), so ∇f = [cos(x0) x1, sin(x0) + exp(x1)];
 * g(w) = |A w|², so ∇g = 2 AᵀA w.
 */
import { valueAndGrad, jacfwd, grad, add, mul, sin, exp, sum, matmul, tensor, type Lifted, type Tensor } from "dualtape";

/** The few DOM members used here (the project compiles without the DOM library). */
declare const document: { getElementById(id: string): { textContent: string | null; dataset: Record<string, string> } | null };

const f = (x: Lifted[]) => add(mul(sin(x[0]!), x[1]!), exp(x[1]!));
const A = tensor([[1, 2], [3, 4]]);
const g = (w: Lifted) => {
  const y = matmul(A, w);
  return sum(mul(y, y));
};

function show(id: string, v: unknown): void {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`index.html has no #${id}`);
  el.textContent = JSON.stringify(v);
}

const status = document.getElementById("status")!;
try {
  const { value, grad: gradient } = valueAndGrad(f)([1, 2]);
  show("value", value);
  show("gradient", gradient);
  show("forward", jacfwd(f)([1, 2]));
  show("tensor-gradient", (grad(g)(tensor([1, -1])) as Tensor).toArray());
  status.textContent = "done";
  status.dataset.state = "done";
} catch (e) {
  status.textContent = `failed: ${e instanceof Error ? e.message : String(e)}`;
  status.dataset.state = "failed";
}
