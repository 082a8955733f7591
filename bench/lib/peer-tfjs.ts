/**
 * TensorFlow.js (tfjs-core with its pure-JS CPU backend, float32; both
 * devDependencies) as a peer of the tensor benchmark: the workloads in its
 * ops, gradients by `tf.grad`/`tf.grads`. It has no Jacobian transform, so
 * that row is left empty.
 */
import * as tf from "@tensorflow/tfjs-core";
// tfjs-core alone registers no gradients; this is what the full @tensorflow/tfjs package imports.
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import "@tensorflow/tfjs-backend-cpu";
import { joinFlat, type Peer, type PreparedGrad } from "./peer.ts";
import type { WorkInput } from "./tensor-workloads.ts";

const f32 = (d: Float64Array) => Float32Array.from(d);

/** The identity with a zero gradient (TF.js has no stop-gradient op). */
const stopGradient = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = inputs[0] as tf.Tensor;
  return { value: tf.clone(x), gradFunc: () => tf.zerosLike(x) };
}) as (x: tf.Tensor) => tf.Tensor;

function prepare(w: WorkInput): PreparedGrad | null {
  switch (w.kind) {
    case "lse": {
      const x = tf.tensor1d(f32(w.x));
      // The shift is a constant for the gradient, as in every peer (see tensor-workloads.ts).
      const written = (v: tf.Tensor) => {
        const a = stopGradient(tf.max(v));
        return tf.add(a, tf.log(tf.sum(tf.exp(tf.sub(v, a))))) as tf.Scalar;
      };
      const g = tf.grad(w.op ? (v: tf.Tensor) => tf.logSumExp(v) : written);
      return { run: () => tf.tidy(() => g(x).dataSync()), flat: (r) => r as Float32Array };
    }
    case "llsq": {
      const T = tf.tensor2d(f32(w.T), [w.n, w.m]);
      const s = tf.tensor2d(f32(w.s), [w.n, 1]);
      const x = tf.tensor2d(f32(w.x), [w.m, 1]);
      const g = tf.grad((v: tf.Tensor) => tf.mul(0.5, tf.sum(tf.square(tf.sub(s, tf.matMul(T, v as tf.Tensor2D))))) as tf.Scalar);
      return { run: () => tf.tidy(() => g(x).dataSync()), flat: (r) => r as Float32Array };
    }
    case "mlp": {
      const X = tf.tensor2d(f32(w.X), [w.batch, w.inp]);
      const Y = tf.tensor2d(f32(w.Y), [w.batch, w.out]);
      const args = [tf.tensor2d(f32(w.W1), [w.inp, w.hidden]), tf.tensor1d(f32(w.b1)), tf.tensor2d(f32(w.W2), [w.hidden, w.out])];
      const g = tf.grads((w1: tf.Tensor, c1: tf.Tensor, w2: tf.Tensor) =>
        tf.mean(tf.square(tf.sub(tf.matMul(tf.relu(tf.add(tf.matMul(X, w1 as tf.Tensor2D), c1)), w2 as tf.Tensor2D), Y))) as tf.Scalar);
      return { run: () => tf.tidy(() => g(args).map((t) => t.dataSync())), flat: (r) => joinFlat(r as Float32Array[]) };
    }
    case "jac":
      return null;
  }
}

/**
 * Selects the CPU backend and returns the peer.
 *
 * @example
 * ```ts
 * const peer = await tfjsPeer();
 * ```
 */
export async function tfjsPeer(): Promise<Peer> {
  await tf.setBackend("cpu");
  await tf.ready();
  return { name: "TF.js", describe: `@tensorflow/tfjs-core ${tf.version_core} (cpu backend, float32, tf.grad)`, prepare };
}
