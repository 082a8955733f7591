/**
 * Adam (Kingma and Ba, 2015) with bias correction and optional L2 weight
 * decay added to the gradient, as in PyTorch's `torch.optim.Adam`:
 *
 *   g = grad + weightDecay * p
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g^2
 *   p = p - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 *
 * where t counts the steps that updated this parameter.
 */
import { fail, DomainError } from "../errors.ts";
import type { Var } from "../reverse/var.ts";
import { Optimizer, numberOption, checkOptionKeys } from "./optimizer.ts";

/**
 * Options of {@link Adam}.
 *
 * @example
 * ```ts
 * const w = variable(tensor([1, -2]));
 * const opt = new Adam([w], { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8 });
 * ```
 */
export interface AdamOptions {
  /** Learning rate (step size), > 0. */
  lr: number;
  /** Decay rates of the first and second moment estimates, each in [0, 1) (default [0.9, 0.999]). */
  betas?: readonly [number, number];
  /** Added to the denominator for stability, >= 0 (default 1e-8). */
  eps?: number;
  /** L2 penalty added to the gradient, >= 0 (default 0). */
  weightDecay?: number;
}

interface Moments {
  m: Float64Array;
  v: Float64Array;
  t: number;
}

/**
 * Adam on leaf Vars, updated in place by `step()`.
 *
 * @example
 * ```ts
 * const w = variable(tensor([1, -2]));
 * const opt = new Adam([w], { lr: 0.05 });
 * for (let k = 0; k < 200; k++) {
 *   opt.zeroGrad();
 *   sum(w.square()).backward();
 *   opt.step();
 * }
 * w.value; // close to [0, 0]
 * ```
 */
export class Adam extends Optimizer {
  readonly lr: number;
  readonly betas: readonly [number, number];
  readonly eps: number;
  readonly weightDecay: number;
  private readonly state: (Moments | null)[];

  constructor(params: readonly Var[], options: AdamOptions) {
    super("Adam", params);
    checkOptionKeys("Adam", options, ["lr", "betas", "eps", "weightDecay"]);
    this.lr = numberOption("Adam", "lr", options.lr, { above: 0 });
    const betas = options.betas ?? [0.9, 0.999];
    if (!Array.isArray(betas) || betas.length !== 2) {
      fail("Adam", `betas is ${String(betas)}`, "pass two numbers, e.g. [0.9, 0.999]", DomainError);
    }
    this.betas = [
      numberOption("Adam", "betas[0]", betas[0], { atLeast: 0, below: 1 }),
      numberOption("Adam", "betas[1]", betas[1], { atLeast: 0, below: 1 }),
    ];
    // eps > 0: with eps = 0 a parameter whose gradient is exactly zero gets 0 / 0 = NaN.
    this.eps = numberOption("Adam", "eps", options.eps ?? 1e-8, { above: 0 });
    this.weightDecay = numberOption("Adam", "weightDecay", options.weightDecay ?? 0, { atLeast: 0 });
    this.state = this.params.map(() => null);
  }

  protected update(k: number, value: Float64Array, grad: Float64Array): void {
    const n = value.length;
    const s = (this.state[k] ??= { m: new Float64Array(n), v: new Float64Array(n), t: 0 });
    const [b1, b2] = this.betas;
    const { lr, eps, weightDecay: wd } = this;
    s.t += 1;
    const c1 = 1 - b1 ** s.t;
    const c2 = 1 - b2 ** s.t;
    for (let i = 0; i < n; i++) {
      const g = grad[i] + wd * value[i];
      const m = (s.m[i] = b1 * s.m[i] + (1 - b1) * g);
      const v = (s.v[i] = b2 * s.v[i] + (1 - b2) * g * g);
      value[i] = value[i] - (lr * (m / c1)) / (Math.sqrt(v / c2) + eps);
    }
  }
}
