/**
 * Benchmark inputs made the way each eval's generator describes (uniform
 * [0, 1) draws, normal draws, last-k-points centroids, ...) from a seeded
 * generator. NumPy's exact streams are not reproduced: the values differ
 * from the eval's, the shapes and distributions do not.
 */

/**
 * A seeded uniform [0, 1) generator (mulberry32) with a Box–Muller normal.
 *
 * @example
 * ```ts
 * const rng = new Random(31337);
 * rng.uniform(); rng.normal();
 * ```
 */
export class Random {
  private state: number;
  private spare: number | null = null;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal. */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const u = 1 - this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** n uniform draws. */
  vector(n: number): number[] {
    return Array.from({ length: n }, () => this.uniform());
  }

  /** n normal draws. */
  normals(n: number): number[] {
    return Array.from({ length: n }, () => this.normal());
  }

  /** rows × cols uniform draws as nested rows. */
  matrix(rows: number, cols: number, draw: () => number = () => this.uniform()): number[][] {
    return Array.from({ length: rows }, () => Array.from({ length: cols }, draw));
  }
}

const RUNS = { min_runs: 1, min_seconds: 0 };

/** llsq: x = rand(m). @example `llsqInput(new Random(1), 16, 128)` */
export function llsqInput(rng: Random, n: number, m: number): object {
  return { x: rng.vector(m), n, ...RUNS };
}

/** lse: x = rand(n). @example `lseInput(new Random(1), 2500)` */
export function lseInput(rng: Random, n: number): object {
  return { x: rng.vector(n), ...RUNS };
}

/** det: A = rand(ℓ²). @example `detInput(new Random(1), 5)` */
export function detInput(rng: Random, ell: number): object {
  return { A: rng.vector(ell * ell), ell, ...RUNS };
}

/** kmeans: points = rand(n, d), centroids = the last k points. @example `kmeansInput(new Random(1), 10, 1000, 8)` */
export function kmeansInput(rng: Random, k: number, n: number, d: number): object {
  const points = rng.matrix(n, d);
  return { points, centroids: points.slice(n - k).map((p) => p.slice()), ...RUNS };
}

/** ode: x = rand(n). @example `odeInput(new Random(1), 1000, 10)` */
export function odeInput(rng: Random, n: number, s: number): object {
  return { x: rng.vector(n), s, ...RUNS };
}

/** gmm: x normal (N×D), α normal, μ uniform, q normal, l normal, in that order. @example `gmmInput(new Random(1), 2, 5, 1000)` */
export function gmmInput(rng: Random, d: number, k: number, n: number): object {
  const x = rng.matrix(n, d, () => rng.normal());
  const alpha = rng.normals(k);
  const mu = rng.matrix(k, d);
  const q = rng.matrix(k, d, () => rng.normal());
  const l = rng.matrix(k, (d * (d - 1)) / 2, () => rng.normal());
  return { d, k, n, x, m: 0, gamma: 1, alpha, mu, q, l, ...RUNS };
}

/** lstm: random state and parameters in [0, 1); `sequence` given (c rows of b bits). @example `lstmInput(new Random(1), 2, seq)` */
export function lstmInput(rng: Random, layers: number, sequence: number[][]): object {
  const b = sequence[0]!.length;
  return {
    main_params: rng.matrix(2 * layers, 4 * b),
    extra_params: rng.matrix(3, b),
    state: rng.matrix(2 * layers, b),
    sequence,
    ...RUNS,
  };
}

/** c random characters of b bits (0.0/1.0). @example `randomText(new Random(1), 4096, 14)` */
export function randomText(rng: Random, c: number, b: number): number[][] {
  return rng.matrix(c, b, () => (rng.uniform() < 0.5 ? 0 : 1));
}

/**
 * An ht input with `count` random correspondences on a given hand model
 * (triangles and barycentric us for the complicated variant, vertices
 * for the simple one), random points, and the given theta.
 *
 * @example
 * ```ts
 * htInput(new Random(1), golden.input, 1000, true)
 * ```
 */
export function htInput(rng: Random, base: { theta: number[]; data: { model: { base_positions: unknown[]; triangles: unknown[] } } }, count: number, complicated: boolean): object {
  const model = base.data.model;
  const bound = complicated ? model.triangles.length : model.base_positions.length;
  const correspondences = Array.from({ length: count }, () => Math.floor(rng.uniform() * bound));
  const us = complicated ? Array.from({ length: count }, () => { const u = rng.uniform(); return [u, (1 - u) * rng.uniform()]; }) : [];
  return { theta: base.theta, data: { model, correspondences, points: rng.matrix(count, 3) }, us, ...RUNS };
}
