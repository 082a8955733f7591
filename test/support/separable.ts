/**
 * A separable scalar function of a Tensor[3] with a hand-derived Hessian,
 * for nesting tests: f(t) = sum_i sin(t_i) exp(c_i t_i), c = [1, 2, 3], so
 * H = diag(h_i) with h_i = e^{ct}((c^2 - 1) sin t + 2c cos t), and
 * d/dt_i trace(H) = h_i' = e^{ct}((c^3 - 3c) sin t + (3c^2 - 1) cos t).
 */
import { sum, mul, sin, exp, tensor, type Lifted, type Value } from "../../lib/index.ts";

export const C = [1, 2, 3];
export const t0 = [0.1, 0.2, 0.3];
export const separable = (t: Lifted): Value => sum(mul(sin(t), exp(mul(t, tensor(C)))));
export const hDiag = (t: number, c: number) => Math.exp(c * t) * ((c * c - 1) * Math.sin(t) + 2 * c * Math.cos(t));
export const hDiagPrime = (t: number, c: number) => Math.exp(c * t) * ((c ** 3 - 3 * c) * Math.sin(t) + (3 * c * c - 1) * Math.cos(t));
