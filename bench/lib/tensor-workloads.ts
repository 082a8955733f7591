/**
 * The workloads of the side-by-side tensor benchmark (the README's tensor table):
 * their inputs, a plain-JS primal over Float64Arrays (the yardstick every
 * gradient time is divided by) and a hand-written float64 gradient (the
 * truth every peer's gradient is compared with). The peers (bench/lib/peer-*.ts)
 * read the same inputs.
 */

/**
 * lse: log Σ exp(x), max-shifted: a + log Σ exp(x - a) with a = max(x), the
 * shift a a constant for the gradient (every peer writes stopGradient(max(x)),
 * as JAX's logsumexp does): the value does not depend on a, and the
 * hand-written gradient (softmax) treats it as a constant. Differentiating
 * through max instead adds 1 - Σ softmax, a rounding error of about n ulps,
 * to the argmax entry. `op` asks peers for their built-in logsumexp instead
 * of the written-out form.
 */
export interface LseWork { kind: "lse"; x: Float64Array; op: boolean }
/** llsq in vector form: ½ ‖s - T x‖² with T[i, j] = t_i^j, s = sign(t), t evenly spaced in [-1, 1]. */
export interface LlsqWork { kind: "llsq"; n: number; m: number; T: Float64Array; s: Float64Array; x: Float64Array }
/** MSE of relu(X W1 + b1) W2 against Y; the gradient is for W1, b1 and W2. */
export interface MlpWork { kind: "mlp"; batch: number; inp: number; hidden: number; out: number; X: Float64Array; Y: Float64Array; W1: Float64Array; b1: Float64Array; W2: Float64Array }
/** The m x n Jacobian of tanh(W x). */
export interface JacWork { kind: "jac"; n: number; m: number; W: Float64Array; x: Float64Array }

/** One workload's inputs. */
export type WorkInput = LseWork | LlsqWork | MlpWork | JacWork;

/** A row of the table. */
export interface Workload {
  name: string;
  input: WorkInput;
  /** Plain-JS primal (Float64Array loops). */
  primal: () => number;
  /** Hand-written gradient (or Jacobian, row-major m x n), flattened; MLP: dW1, db1, dW2 in that order. */
  hand: () => Float64Array;
}

/** A small seeded generator (mulberry32) so every run and every peer sees the same inputs. */
function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomVector(n: number, seed: number, scale = 1): Float64Array {
  const next = mulberry(seed);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = (next() * 2 - 1) * scale;
  return v;
}

function lse(n: number, op: boolean): Workload {
  const x = randomVector(n, 11, 3);
  const shift = () => {
    let a = -Infinity;
    for (let i = 0; i < n; i++) if (x[i]! > a) a = x[i]!;
    return a;
  };
  const primal = () => {
    const a = shift();
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.exp(x[i]! - a);
    return a + Math.log(s);
  };
  const hand = () => {
    const a = shift();
    const g = new Float64Array(n);
    let s = 0;
    for (let i = 0; i < n; i++) s += g[i] = Math.exp(x[i]! - a);
    for (let i = 0; i < n; i++) g[i]! /= s;
    return g;
  };
  const label = n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`;
  return { name: `lse n=${label}${op ? " (logsumexp op)" : ""}`, input: { kind: "lse", x, op }, primal, hand };
}

/** T x - s, the residual's negative, into r. */
function residual(w: LlsqWork, r: Float64Array): void {
  const { n, m, T, s, x } = w;
  for (let i = 0; i < n; i++) {
    let fit = 0;
    const row = i * m;
    for (let j = 0; j < m; j++) fit += T[row + j]! * x[j]!;
    r[i] = fit - s[i]!;
  }
}

function llsq(n: number, m: number): Workload {
  const T = new Float64Array(n * m);
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = -1 + (2 * i) / (n - 1);
    s[i] = Math.sign(t);
    let p = 1;
    for (let j = 0; j < m; j++, p *= t) T[i * m + j] = p;
  }
  const w: LlsqWork = { kind: "llsq", n, m, T, s, x: randomVector(m, 13) };
  const primal = () => {
    const r = new Float64Array(n);
    residual(w, r);
    let acc = 0;
    for (let i = 0; i < n; i++) acc += r[i]! * r[i]!;
    return 0.5 * acc;
  };
  const hand = () => {
    const r = new Float64Array(n);
    residual(w, r);
    const g = new Float64Array(m);
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) g[j]! += T[i * m + j]! * r[i]!;
    return g;
  };
  return { name: `llsq, vector form, ${n}x${m}`, input: w, primal, hand };
}

/**
 * C (n x m) = A (n x k) B (k x m) over Float64Arrays, written as a
 * competent plain-JS programmer would: i-k-j order (the inner loop runs
 * along contiguous rows of B and C) over four rows of A at a time, so each
 * element of B read feeds four products (measured 2.2x faster than one row
 * at a time for these sizes); every C element sums over k in order, as
 * the one-row loop does, so the result is the same to the bit.
 */
function mm(a: Float64Array, b: Float64Array, n: number, k: number, m: number): Float64Array {
  const c = new Float64Array(n * m);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const c0 = i * m, c1 = c0 + m, c2 = c1 + m, c3 = c2 + m;
    const a0 = i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
    for (let p = 0; p < k; p++) {
      const x0 = a[a0 + p]!, x1 = a[a1 + p]!, x2 = a[a2 + p]!, x3 = a[a3 + p]!;
      const bp = p * m;
      for (let j = 0; j < m; j++) {
        const bv = b[bp + j]!;
        c[c0 + j] += x0 * bv;
        c[c1 + j] += x1 * bv;
        c[c2 + j] += x2 * bv;
        c[c3 + j] += x3 * bv;
      }
    }
  }
  for (; i < n; i++) {
    const ci = i * m, ai = i * k;
    for (let p = 0; p < k; p++) {
      const av = a[ai + p]!;
      const bp = p * m;
      for (let j = 0; j < m; j++) c[ci + j] += av * b[bp + j]!;
    }
  }
  return c;
}

function mlpForward(w: MlpWork): { h: Float64Array; o: Float64Array } {
  const { batch, hidden, b1 } = w;
  const h = mm(w.X, w.W1, batch, w.inp, hidden);
  for (let r = 0; r < batch; r++) {
    const row = r * hidden;
    for (let j = 0; j < hidden; j++) {
      const v = h[row + j]! + b1[j]!;
      h[row + j] = v > 0 ? v : 0;
    }
  }
  return { h, o: mm(h, w.W2, batch, hidden, w.out) };
}

function mlp(): Workload {
  const [batch, inp, hidden, out] = [256, 128, 256, 10];
  const w: MlpWork = {
    kind: "mlp", batch, inp, hidden, out,
    X: randomVector(batch * inp, 21), Y: randomVector(batch * out, 22),
    W1: randomVector(inp * hidden, 23, 0.1), b1: randomVector(hidden, 24, 0.1), W2: randomVector(hidden * out, 25, 0.1),
  };
  const primal = () => {
    const { o } = mlpForward(w);
    let s = 0;
    for (let i = 0; i < o.length; i++) s += (o[i]! - w.Y[i]!) ** 2;
    return s / o.length;
  };
  const hand = () => {
    const { h, o } = mlpForward(w);
    const go = new Float64Array(o.length);
    for (let i = 0; i < o.length; i++) go[i] = (2 * (o[i]! - w.Y[i]!)) / o.length;
    const dW2 = new Float64Array(hidden * out);
    const gh = new Float64Array(batch * hidden);
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < hidden; j++) {
        let acc = 0;
        for (let c = 0; c < out; c++) {
          dW2[j * out + c]! += h[b * hidden + j]! * go[b * out + c]!;
          acc += go[b * out + c]! * w.W2[j * out + c]!;
        }
        gh[b * hidden + j] = h[b * hidden + j]! > 0 ? acc : 0;
      }
    }
    const dW1 = new Float64Array(inp * hidden);
    const db1 = new Float64Array(hidden);
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < hidden; j++) db1[j]! += gh[b * hidden + j]!;
      for (let p = 0; p < inp; p++) {
        const xv = w.X[b * inp + p]!;
        for (let j = 0; j < hidden; j++) dW1[p * hidden + j]! += xv * gh[b * hidden + j]!;
      }
    }
    const all = new Float64Array(dW1.length + db1.length + dW2.length);
    all.set(dW1, 0);
    all.set(db1, dW1.length);
    all.set(dW2, dW1.length + db1.length);
    return all;
  };
  return { name: `MLP ${batch}x${inp} -> ${hidden} relu -> ${out}, MSE`, input: w, primal, hand };
}

function jac(n: number, m: number): Workload {
  const w: JacWork = { kind: "jac", n, m, W: randomVector(m * n, 31, 0.5), x: randomVector(n, 32) };
  const pre = (): Float64Array => {
    const y = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let acc = 0;
      for (let j = 0; j < n; j++) acc += w.W[i * n + j]! * w.x[j]!;
      y[i] = acc;
    }
    return y;
  };
  const primal = () => {
    const y = pre();
    for (let i = 0; i < m; i++) y[i] = Math.tanh(y[i]!);
    return y[0]!;
  };
  const hand = () => {
    const y = pre();
    const J = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      const t = Math.tanh(y[i]!);
      for (let j = 0; j < n; j++) J[i * n + j] = (1 - t * t) * w.W[i * n + j]!;
    }
    return J;
  };
  return { name: `Jacobian, n=${n} -> m=${m}, tanh(W x)`, input: w, primal, hand };
}

/**
 * The table's workloads, in order.
 *
 * @example
 * ```ts
 * workloads().map((w) => w.name);
 * ```
 */
export function workloads(): Workload[] {
  return [lse(200_000, false), lse(1_280_000, false), lse(1_280_000, true), llsq(4096, 64), llsq(16392, 128), mlp(), jac(10, 1000)];
}

/**
 * max |g - h| / max |h|: the relative error of a gradient against the hand-written one.
 *
 * @example
 * ```ts
 * relativeError(new Float64Array([1, 2]), new Float64Array([1, 2])); // 0
 * ```
 */
export function relativeError(g: ArrayLike<number>, h: Float64Array): number {
  if (g.length !== h.length) return NaN;
  let err = 0;
  let scale = 0;
  for (let i = 0; i < h.length; i++) {
    err = Math.max(err, Math.abs(g[i]! - h[i]!));
    scale = Math.max(scale, Math.abs(h[i]!));
  }
  return err / scale;
}
