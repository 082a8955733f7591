/**
 * dualtape as a peer of the tensor benchmark: the workloads written with the
 * library's tensor ops, differentiated by `grad` (reverse mode) and the
 * Jacobian by `jacobian` (mode picked by its cost model).
 */
import {
  Tensor, add, sub, mul, exp, log, max, sum, mean, square, relu, tanh, matmul, logsumexp, stopGradient, grad, jacobian, type Lifted, type Value,
} from "../../lib/index.ts";
import { joinFlat, type Peer, type PreparedGrad } from "./peer.ts";
import type { WorkInput, LlsqWork, MlpWork } from "./tensor-workloads.ts";

/**
 * lse as the workload writes it, or the library's logsumexp op. The shift
 * a = max(x) is a constant for the gradient (stopGradient), as in JAX's
 * logsumexp: the value does not depend on a, and differentiating through
 * max would add 1 - Σ softmax (rounding, not zero) to the argmax entry.
 *
 * @example
 * ```ts
 * grad(lseWritten(false))(tensor([1, 2, 3])); // softmax([1, 2, 3])
 * ```
 */
export function lseWritten(op: boolean): (v: Lifted) => Value {
  if (op) return (v) => logsumexp(v);
  return (v) => {
    const a = stopGradient(max(v));
    return add(a, log(sum(exp(sub(v, a)))));
  };
}

/**
 * ½ ‖s - T x‖² with the workload's T and s as constants.
 *
 * @example
 * ```ts
 * grad(llsqLoss(work))(new Tensor(work.x, [work.m]));
 * ```
 */
export function llsqLoss(w: LlsqWork): (v: Lifted) => Value {
  const T = new Tensor(w.T, [w.n, w.m]);
  const s = new Tensor(w.s, [w.n]);
  return (v) => mul(0.5, sum(square(sub(s, matmul(T, v)))));
}

/**
 * The MLP's MSE as a function of W1, b1 and W2 (X and Y constants).
 *
 * @example
 * ```ts
 * grad(mlpLoss(work), { argnums: [0, 1, 2] })(W1, b1, W2);
 * ```
 */
export function mlpLoss(w: MlpWork): (w1: Value, c1: Value, w2: Value) => Value {
  const X = new Tensor(w.X, [w.batch, w.inp]);
  const Y = new Tensor(w.Y, [w.batch, w.out]);
  return (w1, c1, w2) => mean(square(sub(matmul(relu(add(matmul(X, w1), c1)), w2), Y)));
}

const flatTensor = (r: unknown): ArrayLike<number> => (r as Tensor).data;

function prepare(w: WorkInput): PreparedGrad {
  switch (w.kind) {
    case "lse": {
      const x = new Tensor(w.x, [w.x.length]);
      const f = lseWritten(w.op);
      return { run: () => grad(f)(x), flat: flatTensor };
    }
    case "llsq": {
      const x = new Tensor(w.x, [w.m]);
      const f = llsqLoss(w);
      return { run: () => grad(f)(x), flat: flatTensor };
    }
    case "mlp": {
      const args = [new Tensor(w.W1, [w.inp, w.hidden]), new Tensor(w.b1, [w.hidden]), new Tensor(w.W2, [w.hidden, w.out])];
      const loss = mlpLoss(w);
      const g = grad(loss as (...a: never[]) => Value, { argnums: [0, 1, 2] });
      return { run: () => g(...args), flat: (r) => joinFlat((r as Tensor[]).map((t) => t.data)) };
    }
    case "jac": {
      const W = new Tensor(w.W, [w.m, w.n]);
      const x = new Tensor(w.x, [w.n]);
      const J = jacobian((v: Lifted) => tanh(matmul(W, v)));
      return { run: () => J(x), flat: flatTensor };
    }
  }
}

/**
 * The dualtape peer.
 *
 * @example
 * ```ts
 * dualtapePeer.prepare(workloads()[0].input)!.run();
 * ```
 */
export const dualtapePeer: Peer = { name: "dualtape", describe: "dualtape (this tree, float64, grad / jacobian)", prepare };
