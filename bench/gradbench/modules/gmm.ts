/**
 * gmm: the log posterior of a Gaussian mixture with Wishart prior in the
 * flat parameters [α (K), μ (K·D), q (K·D), l (K·D(D-1)/2)]. The `jacobian`
 * is the source compiler's reverse code for the plain-number loops
 * `gmmSource` (`compile`, once per process; the same loops are the plain-JS
 * primal). The objective written with tensor ops on one flat parameter
 * Tensor stays as `jacobian_tape` (one reverse pass, `grad`), for
 * comparison, and is the module's `objective`. Either flat gradient is split
 * back into the four named parts.
 *
 * Q_k = diag(exp q_k) + L_k with L_k strictly lower triangular, filled
 * column by column from l_k; column c's entries are contiguous in l_k, so
 * L is assembled with concat/stack. Q_k(x_i - μ_k) for all i, k is one
 * batched matmul.
 */
import {
  add, sub, mul, exp, square, sum, logsumexp, matmul, transpose, reshape, slice, concat, stack, zeros, eye, grad, tensor, compile,
  type Value, type Tensor,
} from "../../../lib/index.ts";
import { evalFunction, type Module } from "../runs.ts";
import { scalar, rows, list } from "../output.ts";
import { parseGmm, gmmConstant, type GmmInput } from "./gmm-input.ts";
import { gmmSource } from "./gmm-source.ts";

/** The lower triangle L [K, D, D] from l [K, T] (strictly lower, column by column). */
function lowerTriangle(l: Value, k: number, d: number): Value {
  const columns: Value[] = [];
  let start = 0;
  for (let c = 0; c < d; c++) {
    const len = d - 1 - c;
    if (len === 0) columns.push(zeros([k, d]));
    else columns.push(concat([zeros([k, c + 1]), slice(l, start, start + len, 1)], 1));
    start += len;
  }
  return stack(columns, 2);
}

/**
 * The log posterior for the flat parameter Tensor `theta`.
 *
 * @example
 * ```ts
 * gmmObjective(tensor(input.params), input);
 * ```
 */
export function gmmObjective(theta: Value, inp: GmmInput): Value {
  const { k, d, n, m, gamma } = inp;
  const t = (d * (d - 1)) / 2;
  const alpha = slice(theta, 0, k);
  const mu = reshape(slice(theta, k, k + k * d), [k, d]);
  const q = reshape(slice(theta, k + k * d, k + 2 * k * d), [k, d]);
  const l = reshape(slice(theta, k + 2 * k * d, k + 2 * k * d + k * t), [k, t]);
  const diagonal = mul(reshape(exp(q), [k, d, 1]), eye(d));
  const qk = add(diagonal, lowerTriangle(l, k, d));
  const diff = sub(reshape(inp.x, [1, n, d]), reshape(mu, [k, 1, d]));
  const scaled = matmul(diff, transpose(qk, [0, 2, 1]));
  const beta = sub(reshape(add(alpha, sum(q, 1)), [k, 1]), mul(0.5, sum(square(scaled), 2)));
  const likelihood = sub(sum(logsumexp(beta, 0)), mul(n, logsumexp(alpha)));
  const prior = add(
    mul(-0.5 * gamma * gamma, add(sum(square(exp(q))), sum(square(l)))),
    mul(m, sum(q)),
  );
  return add(add(likelihood, prior), gmmConstant(inp));
}

/** The flat gradient as the eval's four named parts. */
function split(g: ArrayLike<number>, { k, d }: GmmInput): object {
  const flat = g instanceof Float64Array ? g : Float64Array.from(g);
  const part = (from: number, len: number) => flat.subarray(from, from + len);
  const t = (d * (d - 1)) / 2;
  return {
    alpha: list(part(0, k)),
    mu: rows(part(k, k * d), d),
    q: rows(part(k + k * d, k * d), d),
    l: t === 0 ? Array.from({ length: k }, () => []) : rows(part(k + 2 * k * d, k * t), t),
  };
}

function jacobianTape(inp: GmmInput): object {
  return split((grad((th: Value) => gmmObjective(th, inp))(tensor(inp.params)) as Tensor).data, inp);
}

/** Compiled once, on first use (compiling reads the source; nothing depends on the input). */
let compiled: ReturnType<typeof compile> | null = null;
const gmmCompiled = () => (compiled ??= compile(gmmSource, { wrt: [0] }));

function jacobianCompiled(inp: GmmInput & { g: ReturnType<typeof compile>; out: Float64Array }): object {
  const { params, x, d, k, n, m, gamma, out } = inp;
  // The gradient goes into a buffer made once, in prepare, as a tool in any language reuses its output.
  return split(inp.g.valueAndGradInto(out, params, x.data, d, k, n, m, gamma).grad as Float64Array, inp);
}

/** The gmm module. @example `gmm.jacobian.run(gmm.jacobian.prepare(input))` */
export const gmm: Module = {
  objective: evalFunction(parseGmm, (inp) => scalar(gmmObjective(tensor(inp.params), inp))),
  jacobian: evalFunction((input) => {
    const p = parseGmm(input);
    return { ...p, g: gmmCompiled(), out: new Float64Array(p.params.length) };
  }, jacobianCompiled),
  jacobian_tape: evalFunction(parseGmm, jacobianTape),
};
