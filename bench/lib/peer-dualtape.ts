/**
 * dualtape as a peer of the tensor benchmark: the workloads written with the
 * library's tensor ops, differentiated by `grad` (reverse mode) and the
 * Jacobian by `jacobian` (mode picked by its cost model).
 */
import {
  Tensor, add, sub, mul, exp, log, max, sum, mean, square, relu, tanh, matmul, logsumexp, grad, jacobian, type Lifted, type Value,
} from "../../lib/index.ts";
import { joinFlat, type Peer, type PreparedGrad } from "./peer.ts";
import type { WorkInput } from "./tensor-workloads.ts";

const flatTensor = (r: unknown): ArrayLike<number> => (r as Tensor).data;

function prepare(w: WorkInput): PreparedGrad {
  switch (w.kind) {
    case "lse": {
      const x = new Tensor(w.x, [w.x.length]);
      const written = (v: Lifted) => {
        const a = max(v);
        return add(a, log(sum(exp(sub(v, a)))));
      };
      const f = w.op ? (v: Lifted) => logsumexp(v) : written;
      return { run: () => grad(f)(x), flat: flatTensor };
    }
    case "llsq": {
      const T = new Tensor(w.T, [w.n, w.m]);
      const s = new Tensor(w.s, [w.n]);
      const x = new Tensor(w.x, [w.m]);
      const f = (v: Lifted) => mul(0.5, sum(square(sub(s, matmul(T, v)))));
      return { run: () => grad(f)(x), flat: flatTensor };
    }
    case "mlp": {
      const X = new Tensor(w.X, [w.batch, w.inp]);
      const Y = new Tensor(w.Y, [w.batch, w.out]);
      const args = [new Tensor(w.W1, [w.inp, w.hidden]), new Tensor(w.b1, [w.hidden]), new Tensor(w.W2, [w.hidden, w.out])];
      const loss = (w1: Value, c1: Value, w2: Value) => mean(square(sub(matmul(relu(add(matmul(X, w1), c1)), w2), Y)));
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
