/**
 * Reading a gmm input into a data Tensor and one flat parameter list, and
 * the parameter-free part of the log posterior (constants on numbers).
 */
import { tensor, type Tensor } from "../../../lib/index.ts";
import { asObject, asInt, asNumber, asMatrix, asVector, InputError } from "../input.ts";

/** A parsed gmm input. */
export interface GmmInput {
  d: number;
  k: number;
  n: number;
  m: number;
  gamma: number;
  /** The points, [N, D]. */
  x: Tensor;
  /** [α, μ rows, q rows, l rows] flattened. */
  params: number[];
}

/**
 * Checks a gmm input.
 *
 * @example
 * ```ts
 * parseGmm(input).params.length; // K + 2KD + K D(D-1)/2
 * ```
 */
export function parseGmm(input: unknown): GmmInput {
  const o = asObject(input, "input");
  const d = asInt(o.d, "input.d", 1);
  const k = asInt(o.k, "input.k", 1);
  const n = asInt(o.n, "input.n", 1);
  const m = asInt(o.m, "input.m", 0);
  const gamma = asNumber(o.gamma, "input.gamma");
  if (gamma <= 0) throw new InputError(`input.gamma must be > 0, got ${gamma}`);
  const x = asMatrix(o.x, "input.x", n, d);
  const alpha = asVector(o.alpha, "input.alpha", k);
  const mu = asMatrix(o.mu, "input.mu", k, d);
  const q = asMatrix(o.q, "input.q", k, d);
  const l = asMatrix(o.l, "input.l", k, (d * (d - 1)) / 2);
  return { d, k, n, m, gamma, x: tensor(x), params: [...alpha, ...mu.flat(), ...q.flat(), ...l.flat()] };
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * log Γ(z) for z > 0 (Lanczos approximation, g = 7): a constant of the prior.
 *
 * @example
 * ```ts
 * logGamma(5); // ln 24
 * ```
 */
export function logGamma(z: number): number {
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
  const w = z - 1;
  let a = LANCZOS[0]!;
  const t = w + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (w + i);
  return 0.5 * Math.log(2 * Math.PI) + (w + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * The terms that do not depend on α, μ, q, l: -N (D/2) log 2π and
 * K [ν D (log γ - ½ log 2) - log Γ_D(ν/2)] with ν = D + m + 1.
 *
 * @example
 * ```ts
 * gmmConstant(parseGmm(input));
 * ```
 */
export function gmmConstant({ d, k, n, m, gamma }: GmmInput): number {
  const nu = d + m + 1;
  let multiGamma = 0.25 * d * (d - 1) * Math.log(Math.PI);
  for (let j = 1; j <= d; j++) multiGamma += logGamma(nu / 2 + (1 - j) / 2);
  return -n * (d / 2) * Math.log(2 * Math.PI) + k * (nu * d * (Math.log(gamma) - 0.5 * Math.log(2)) - multiGamma);
}
