/**
 * dualtape's compiled path as a peer of the tensor benchmark, beside the
 * plain `grad` peer: lse, llsq and the MLP through `jitValueAndGrad` (the
 * first call records f once for the input shapes and plans it, later calls
 * run the fused tensor plan), the Jacobian through `jacfwd` directly (lanes
 * batched through each structural op; the library has no compiled Jacobian
 * of tensor code). Each workload is called once in `prepare`, so the timed
 * calls run the plan, as jax-js's timed calls run its `jit` cache.
 */
import { Tensor, jitValueAndGrad, jacfwd, tanh, matmul, type Lifted } from "../../lib/index.ts";
import { joinFlat, type Peer, type PreparedGrad } from "./peer.ts";
import { lseWritten, llsqLoss, mlpLoss } from "./peer-dualtape.ts";
import type { WorkInput } from "./tensor-workloads.ts";

const flatTensor = (r: unknown): ArrayLike<number> => (r as Tensor).data;

function prepare(w: WorkInput): PreparedGrad {
  switch (w.kind) {
    case "lse": {
      const vg = jitValueAndGrad(lseWritten(w.op));
      const x = new Tensor(w.x, [w.x.length]);
      vg(x);
      return { run: () => vg(x).grad, flat: flatTensor };
    }
    case "llsq": {
      const vg = jitValueAndGrad(llsqLoss(w));
      const x = new Tensor(w.x, [w.m]);
      vg(x);
      return { run: () => vg(x).grad, flat: flatTensor };
    }
    case "mlp": {
      const loss = mlpLoss(w);
      const vg = jitValueAndGrad((p: Lifted[]) => loss(p[0]!, p[1]!, p[2]!));
      const params = [new Tensor(w.W1, [w.inp, w.hidden]), new Tensor(w.b1, [w.hidden]), new Tensor(w.W2, [w.hidden, w.out])];
      vg(params);
      return { run: () => vg(params).grad, flat: (r) => joinFlat((r as Tensor[]).map((t) => t.data)) };
    }
    case "jac": {
      const W = new Tensor(w.W, [w.m, w.n]);
      const x = new Tensor(w.x, [w.n]);
      const J = jacfwd((v: Lifted) => tanh(matmul(W, v)));
      return { run: () => J(x), flat: flatTensor };
    }
  }
}

/**
 * The compiled dualtape peer.
 *
 * @example
 * ```ts
 * dualtapeJitPeer.prepare(workloads()[0].input)!.run();
 * ```
 */
export const dualtapeJitPeer: Peer = {
  name: "dualtape jit",
  describe: "dualtape compiled (this tree, float64, jitValueAndGrad: recorded once per shapes, fused tensor plan / jacfwd)",
  prepare,
};
