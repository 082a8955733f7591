/**
 * lstm: the GradBench LSTM character model (diagonal weights, the input
 * gate and candidate read the layer's own previous hidden state), over a
 * flat parameter list [main_params rows..., extra_params rows...]. The
 * Jacobian asked for is the gradient of the scalar loss: the source
 * compiler's reverse code for the plain-number loops `lstmSource`
 * (lstm-source.ts, also the plain-JS primal; `compile`, once per process).
 * The same loss written with ops on traced values (`lstmLoss`) is the
 * objective and, through `grad` (recording every run), `jacobian_tape`, for
 * comparison.
 */
import { add, sub, mul, div, exp, log, sigmoid, tanh, grad, compile, type Value } from "../../../lib/index.ts";
import { lstmSource } from "./lstm-source.ts";
import { asObject, asMatrix, InputError } from "../input.ts";
import { evalFunction, type Module } from "../runs.ts";
import { numbers, scalar, list } from "../output.ts";

/** Shapes and constant data of one lstm problem. */
export interface LstmInput {
  layers: number;
  bits: number;
  /** main_params rows then extra_params rows, flattened row-major. */
  params: number[];
  state: number[][];
  sequence: number[][];
  /** The flat arrays `lstmSource` takes: params, state rows and sequence rows. */
  flat: { params: Float64Array; state: Float64Array; sequence: Float64Array };
}

/** One time step through all layers; updates `h`, `c` in place and returns the last hidden state. */
function step(p: readonly Value[], inp: LstmInput, h: Value[][], c: Value[][], char: readonly number[]): Value[] {
  const b = inp.bits;
  const extra = 8 * inp.layers * b;
  let v: Value[] = char.map((bit, j) => mul(bit, p[extra + j]!));
  for (let l = 0; l < inp.layers; l++) {
    const w = 8 * l * b;
    const bias = w + 4 * b;
    const hl = h[l]!;
    const cl = c[l]!;
    for (let j = 0; j < b; j++) {
      const forget = sigmoid(add(mul(v[j]!, p[w + j]!), p[bias + j]!));
      const ingate = sigmoid(add(mul(hl[j]!, p[w + b + j]!), p[bias + b + j]!));
      const outgate = sigmoid(add(mul(v[j]!, p[w + 2 * b + j]!), p[bias + 2 * b + j]!));
      const change = tanh(add(mul(hl[j]!, p[w + 3 * b + j]!), p[bias + 3 * b + j]!));
      cl[j] = add(mul(cl[j]!, forget), mul(ingate, change));
      hl[j] = mul(outgate, tanh(cl[j]!));
    }
    v = hl;
  }
  return v;
}

/** Σ_j target_j (ŷ_j - log(Σ_k exp ŷ_k + 2)) for the prediction made from `v`. */
function logLikelihood(p: readonly Value[], inp: LstmInput, v: readonly Value[], target: readonly number[]): Value {
  const b = inp.bits;
  const extra = 8 * inp.layers * b;
  const yhat = v.map((vj, j) => add(mul(vj, p[extra + b + j]!), p[extra + 2 * b + j]!));
  let total: Value = 0;
  for (const y of yhat) total = add(total, exp(y));
  const lse = log(add(total, 2));
  let ll: Value = 0;
  for (let j = 0; j < b; j++) ll = add(ll, mul(target[j]!, sub(yhat[j]!, lse)));
  return ll;
}

/**
 * The loss for the flat parameter list `p` (state and sequence are constants).
 *
 * @example
 * ```ts
 * lstmLoss(input.params, input);
 * ```
 */
export function lstmLoss(p: readonly Value[], inp: LstmInput): Value {
  const h: Value[][] = inp.state.filter((_, r) => r % 2 === 0).map((row) => row.slice());
  const c: Value[][] = inp.state.filter((_, r) => r % 2 === 1).map((row) => row.slice());
  const seq = inp.sequence;
  let total: Value = 0;
  for (let t = 0; t + 1 < seq.length; t++) {
    const v = step(p, inp, h, c, seq[t]!);
    total = add(total, logLikelihood(p, inp, v, seq[t + 1]!));
  }
  return div(total, -(seq.length - 1) * inp.bits);
}

/**
 * Checks an lstm input and flattens the parameters.
 *
 * @example
 * ```ts
 * parseLstm(input).params.length; // 8 L b + 3 b
 * ```
 */
export function parseLstm(input: unknown): LstmInput {
  const o = asObject(input, "input");
  const main = asMatrix(o.main_params, "input.main_params");
  const layers = main.length / 2;
  if (!Number.isInteger(layers) || layers < 1) throw new InputError("input.main_params must have an even, positive number of rows (2 per layer)");
  const bits = (main[0]?.length ?? 0) / 4;
  if (!Number.isInteger(bits) || bits < 1) throw new InputError("input.main_params rows must have 4b entries");
  const extra = asMatrix(o.extra_params, "input.extra_params", 3, bits);
  const state = asMatrix(o.state, "input.state", 2 * layers, bits);
  const sequence = asMatrix(o.sequence, "input.sequence", undefined, bits);
  if (sequence.length < 2) throw new InputError("input.sequence must have at least 2 characters");
  const params = [...main.flat(), ...extra.flat()];
  const flat = { params: Float64Array.from(params), state: Float64Array.from(state.flat()), sequence: Float64Array.from(sequence.flat()) };
  return { layers, bits, params, state, sequence, flat };
}

/** Compiled once, on first use (compiling reads the source; nothing depends on the input). */
let compiled: ReturnType<typeof compile> | null = null;
const lstmCompiled = () => (compiled ??= compile(lstmSource, { wrt: [0] }));

/**
 * The gradient of the loss from the compiled reverse code, written into
 * `out` (fresh unless given) and returned as numbers.
 *
 * @example
 * ```ts
 * lstmGradient(parseLstm(input)); // 8 L b + 3 b numbers
 * ```
 */
export function lstmGradient(inp: LstmInput, out = new Float64Array(inp.flat.params.length)): number[] {
  const { params, state, sequence } = inp.flat;
  return list(lstmCompiled().valueAndGradInto(out, params, state, sequence, inp.layers, inp.bits, inp.sequence.length).grad as Float64Array);
}

/** The lstm module. @example `lstm.jacobian.run(parseLstm(input))` */
export const lstm: Module = {
  objective: evalFunction(parseLstm, (inp) => scalar(lstmLoss(inp.params, inp))),
  jacobian: evalFunction((input) => {
    lstmCompiled();
    const inp = parseLstm(input);
    // The gradient goes into a buffer made once, in prepare, as a tool in any language reuses its output.
    return { inp, out: new Float64Array(inp.flat.params.length) };
  }, ({ inp, out }) => lstmGradient(inp, out)),
  jacobian_tape: evalFunction(parseLstm, (inp) => numbers(grad<number[]>((p) => lstmLoss(p, inp))(inp.params))),
};
