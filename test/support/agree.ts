/**
 * Agreement of the three ways to get a Jacobian: forward mode, reverse mode
 * and local central differences. An op test that passes this has its
 * declared jvp and vjp consistent with each other and with its values.
 */
import { jacfwd, jacrev, type Lifted, type Tensor, type Value } from "../../lib/index.ts";
import { near } from "./close.ts";
import { differences } from "./differences.ts";
import { flat } from "./tensors.ts";

/** Forward vs reverse mode, relative (the bar DESIGN.md sets). */
const MODES_REL = 1e-12;
/** AD vs central differences with h = 1e-6: truncation O(h²) plus rounding O(eps / h). */
const DIFFERENCES_REL = 1e-6;

/**
 * Asserts jacfwd(f)(x) == jacrev(f)(x) to 1e-12 and == central differences
 * of f at x to 1e-6 (all read in row-major order).
 *
 * @example
 * ```ts
 * modesAgree((x) => sum(mul(x, x), 0), tensor([[1, 2], [3, 4]]));
 * ```
 */
export function modesAgree(f: (x: Lifted) => Value, x: Tensor): void {
  const fwd = flat(jacfwd(f as never)(x));
  near(fwd, flat(jacrev(f as never)(x)), MODES_REL);
  near(fwd, differences(f as never, x).flat(), DIFFERENCES_REL);
}
