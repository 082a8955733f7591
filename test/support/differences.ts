/**
 * Central finite differences written out locally, so unit tests compare the
 * library's derivatives with a truth that does not go through its own
 * numeric module.
 */
import { tensor, type Tensor, type Value } from "../../lib/index.ts";
import { flat } from "./tensors.ts";

/**
 * (f(x + h) - f(x - h)) / 2h for a scalar function: error O(h²) from
 * truncation plus about eps |f| / h from rounding.
 *
 * @example
 * ```ts
 * central(Math.sin, 0.5, 1e-6); // ≈ Math.cos(0.5)
 * ```
 */
export function central(f: (x: number) => number, x: number, h: number): number {
  return (f(x + h) - f(x - h)) / (2 * h);
}

/**
 * The Jacobian of a Tensor function by central differences, one element of x
 * perturbed at a time: J[i][e] = d flat(f)_i / d x_e, with step `h`.
 *
 * @example
 * ```ts
 * differences((x) => mul(x, x), tensor([1, 2])); // ≈ [[2, 0], [0, 4]]
 * ```
 */
export function differences(f: (x: Tensor) => Value, x: Tensor, h = 1e-6): number[][] {
  const cols = Array.from(x.data, (_, e) => {
    const at = (s: number) => {
      const y = tensor(x);
      y.set_(e, x.data[e]! + s * h);
      return flat(f(y));
    };
    const [p, m] = [at(1), at(-1)];
    return p.map((v, i) => (v - m[i]!) / (2 * h));
  });
  return cols[0]!.map((_, i) => cols.map((c) => c[i]!));
}
