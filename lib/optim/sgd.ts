/**
 * Stochastic gradient descent with optional momentum (heavy ball or
 * Nesterov) and L2 weight decay, following the update PyTorch's
 * `torch.optim.SGD` documents (dampening 0):
 *
 *   g = grad + weightDecay * p
 *   b = g on the first step, else momentum * b + g
 *   p = p - lr * (nesterov ? g + momentum * b : b)     (b = g when momentum is 0)
 */
import { fail, DomainError } from "../errors.ts";
import type { Var } from "../reverse/var.ts";
import { Optimizer, numberOption, checkOptionKeys } from "./optimizer.ts";

/**
 * Options of {@link SGD}.
 *
 * @example
 * ```ts
 * const w = variable(tensor([1, -2]));
 * const opt = new SGD([w], { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-4 });
 * ```
 */
export interface SGDOptions {
  /** Learning rate, > 0. */
  lr: number;
  /** Momentum factor, >= 0 (default 0: plain gradient descent). */
  momentum?: number;
  /** L2 penalty added to the gradient, >= 0 (default 0). */
  weightDecay?: number;
  /** Use Nesterov momentum (needs momentum > 0; default false). */
  nesterov?: boolean;
}

/**
 * Gradient descent on leaf Vars, updated in place by `step()`.
 *
 * @example
 * ```ts
 * const x = variable(0);
 * const opt = new SGD([x], { lr: 0.1, momentum: 0.9 });
 * for (let k = 0; k < 100; k++) {
 *   opt.zeroGrad();
 *   x.sub(1).square().backward(); // minimise (x - 1)^2
 *   opt.step();
 * }
 * x.value; // close to 1
 * ```
 */
export class SGD extends Optimizer {
  readonly lr: number;
  readonly momentum: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  private readonly buffers: (Float64Array | null)[];

  constructor(params: readonly Var[], options: SGDOptions) {
    super("SGD", params);
    checkOptionKeys("SGD", options, ["lr", "momentum", "weightDecay", "nesterov"]);
    this.lr = numberOption("SGD", "lr", options.lr, { above: 0 });
    this.momentum = numberOption("SGD", "momentum", options.momentum ?? 0, { atLeast: 0 });
    this.weightDecay = numberOption("SGD", "weightDecay", options.weightDecay ?? 0, { atLeast: 0 });
    this.nesterov = options.nesterov ?? false;
    if (typeof this.nesterov !== "boolean") {
      fail("SGD", `nesterov is ${String(this.nesterov)}`, "pass true or false", DomainError);
    }
    if (this.nesterov && this.momentum === 0) {
      fail("SGD", "nesterov is set but momentum is 0", "give a momentum > 0, or drop nesterov", DomainError);
    }
    this.buffers = this.params.map(() => null);
  }

  protected update(k: number, value: Float64Array, grad: Float64Array): void {
    const { lr, momentum: mu, weightDecay: wd, nesterov } = this;
    let buf = this.buffers[k]!;
    const first = buf === null;
    if (first && mu !== 0) buf = this.buffers[k] = new Float64Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const g = grad[i] + wd * value[i];
      if (mu === 0) {
        value[i] = value[i] - lr * g;
        continue;
      }
      const b = first ? g : mu * buf[i] + g;
      buf[i] = b;
      value[i] = value[i] - lr * (nesterov ? g + mu * b : b);
    }
  }
}
