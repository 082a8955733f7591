/**
 * The TensorFlow.js peer for llsq and lse (tfjs-core with its pure-JS CPU
 * backend, float32), written the way a TF.js user would: vector ops and
 * `tf.grad`. Used only by the benchmark runner, on the same inputs.
 */
import * as tf from "@tensorflow/tfjs-core";
// tfjs-core alone registers no gradients; this is what the full @tensorflow/tfjs package imports.
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import "@tensorflow/tfjs-backend-cpu";

/**
 * Selects the CPU backend (call once before timing).
 *
 * @example
 * ```ts
 * await initTfjs();
 * ```
 */
export async function initTfjs(): Promise<string> {
  await tf.setBackend("cpu");
  await tf.ready();
  return `@tensorflow/tfjs-core ${tf.version_core} (cpu backend, float32)`;
}

function llsqLoss(x: tf.Tensor1D, n: number): tf.Scalar {
  const m = x.shape[0];
  const t = tf.sub(tf.mul(tf.range(0, n), 2 / (n - 1)), 1);
  const powers = tf.pow(tf.expandDims(t, 1), tf.expandDims(tf.range(0, m), 0));
  const fit = tf.squeeze(tf.matMul(powers, tf.expandDims(x, 1)), [1]);
  return tf.mul(0.5, tf.sum(tf.square(tf.sub(tf.sign(t), fit)))) as tf.Scalar;
}

function lseLoss(x: tf.Tensor1D): tf.Scalar {
  const a = tf.max(x);
  return tf.add(a, tf.log(tf.sum(tf.exp(tf.sub(x, a))))) as tf.Scalar;
}

/**
 * llsq primal and gradient as functions returning plain numbers.
 *
 * @example
 * ```ts
 * tfLlsq([1, 2], 16).gradient();
 * ```
 */
export function tfLlsq(x: number[], n: number): { primal: () => number; gradient: () => Float32Array } {
  const grad = tf.grad((v: tf.Tensor) => llsqLoss(v as tf.Tensor1D, n));
  return {
    primal: () => tf.tidy(() => llsqLoss(tf.tensor1d(x), n).dataSync()[0]!),
    gradient: () => tf.tidy(() => grad(tf.tensor1d(x)).dataSync() as Float32Array),
  };
}

/**
 * lse primal and gradient as functions returning plain numbers.
 *
 * @example
 * ```ts
 * tfLse([1, 2]).gradient();
 * ```
 */
export function tfLse(x: number[]): { primal: () => number; gradient: () => Float32Array } {
  const grad = tf.grad((v: tf.Tensor) => lseLoss(v as tf.Tensor1D));
  return {
    primal: () => tf.tidy(() => lseLoss(tf.tensor1d(x)).dataSync()[0]!),
    gradient: () => tf.tidy(() => grad(tf.tensor1d(x)).dataSync() as Float32Array),
  };
}
