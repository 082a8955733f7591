/**
 * jax-js (@jax-js/jax, a devDependency) as a peer of the tensor benchmark:
 * the workloads in its NumPy API on float64 arrays, WebAssembly backend,
 * gradients by `jit(grad(f))` and the Jacobian by `jit(jacfwd(f))`. jax-js
 * counts references: every call consumes its array arguments, so each timed
 * call passes `.ref`s of the inputs, and `dataSync` forces its lazy result.
 */
import type { Peer, PreparedGrad } from "./peer.ts";
import type { WorkInput } from "./tensor-workloads.ts";

type Jax = typeof import("@jax-js/jax");
type JArray = import("@jax-js/jax").Array;

/** The result of a timed call, read to memory. */
const flatData = (r: unknown): ArrayLike<number> => r as Float64Array;

function lse(jax: Jax, w: Extract<WorkInput, { kind: "lse" }>): PreparedGrad {
  const { numpy: np, nn, lax, jit, grad } = jax;
  const x = np.array(w.x, { dtype: np.float64 });
  // The shift is a constant for the gradient, as in every peer (see tensor-workloads.ts).
  const written = (v: JArray) => {
    const a = lax.stopGradient(np.max(v.ref));
    return np.log(np.sum(np.exp(v.sub(a.ref)))).add(a);
  };
  const g = jit(grad(w.op ? (v: JArray) => nn.logsumexp(v) : written));
  return { run: () => g(x.ref).dataSync(), flat: flatData };
}

function llsq(jax: Jax, w: Extract<WorkInput, { kind: "llsq" }>): PreparedGrad {
  const { numpy: np, jit, grad } = jax;
  const T = np.array(w.T, { dtype: np.float64, shape: [w.n, w.m] });
  const s = np.array(w.s, { dtype: np.float64 });
  const x = np.array(w.x, { dtype: np.float64 });
  const loss = (v: JArray, t: JArray, target: JArray) => np.sum(np.square(target.sub(np.matmul(t, v)))).mul(0.5);
  const g = jit(grad(loss));
  return { run: () => g(x.ref, T.ref, s.ref).dataSync(), flat: flatData };
}

function mlp(jax: Jax, w: Extract<WorkInput, { kind: "mlp" }>): PreparedGrad {
  const { numpy: np, nn, jit, grad } = jax;
  const a = (d: Float64Array, shape: number[]) => np.array(d, { dtype: np.float64, shape });
  const X = a(w.X, [w.batch, w.inp]);
  const Y = a(w.Y, [w.batch, w.out]);
  const [W1, b1, W2] = [a(w.W1, [w.inp, w.hidden]), a(w.b1, [w.hidden]), a(w.W2, [w.hidden, w.out])];
  const loss = (w1: JArray, c1: JArray, w2: JArray, x: JArray, y: JArray) =>
    np.mean(np.square(np.matmul(nn.relu(np.matmul(x, w1).add(c1)), w2).sub(y)));
  const g = jit(grad(loss, { argnums: [0, 1, 2] }));
  return {
    run: () => (g(W1.ref, b1.ref, W2.ref, X.ref, Y.ref) as JArray[]).map((t) => t.dataSync()),
    flat: (r) => {
      const parts = r as Float64Array[];
      const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
      parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
      return out;
    },
  };
}

function jac(jax: Jax, w: Extract<WorkInput, { kind: "jac" }>): PreparedGrad {
  const { numpy: np, jit, jacfwd } = jax;
  const W = np.array(w.W, { dtype: np.float64, shape: [w.m, w.n] });
  const x = np.array(w.x, { dtype: np.float64 });
  const J = jit(jacfwd((v: JArray) => np.tanh(np.matmul(W.ref, v))));
  let shape: number[] = [];
  return {
    run: () => {
      const out = J(x.ref);
      shape = out.shape;
      return out.dataSync();
    },
    // jax-js 0.1.25's jacfwd returns the n x m transpose of JAX's m x n layout; read it either way.
    flat: (r) => {
      const d = r as Float64Array;
      if (shape[0] === w.m) return d;
      const out = new Float64Array(d.length);
      for (let i = 0; i < w.m; i++) for (let j = 0; j < w.n; j++) out[i * w.n + j] = d[j * w.m + i]!;
      return out;
    },
  };
}

/**
 * Loads jax-js on its WebAssembly backend and returns the peer. Node 20 has
 * no Float16Array, which jax-js tests arrays against with instanceof; an
 * empty class stands in for it (no value is ever one).
 *
 * @example
 * ```ts
 * const peer = await jaxjsPeer();
 * ```
 */
export async function jaxjsPeer(): Promise<Peer> {
  const g = globalThis as { Float16Array?: unknown };
  g.Float16Array ??= class Float16Array {};
  const jax: Jax = await import("@jax-js/jax");
  await jax.init("wasm");
  jax.defaultDevice("wasm");
  const prepare = (w: WorkInput): PreparedGrad => {
    switch (w.kind) {
      case "lse": return lse(jax, w);
      case "llsq": return llsq(jax, w);
      case "mlp": return mlp(jax, w);
      case "jac": return jac(jax, w);
    }
  };
  return { name: "jax-js", describe: "@jax-js/jax 0.1.25 (wasm backend, float64, jit(grad) / jit(jacfwd))", prepare };
}
