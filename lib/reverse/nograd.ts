/**
 * Switching recording off (PyTorch's `no_grad`): inside, operations on Vars
 * compute values only and return Vars that require no grad.
 */
let enabled = true;

/**
 * Whether operations on Vars are being recorded.
 *
 * @example
 * ```ts
 * isGradEnabled(); // true outside noGrad
 * ```
 */
export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Runs `fn` without recording and returns its result.
 *
 * @example
 * ```ts
 * const y = noGrad(() => f(x)); // y.requiresGrad === false
 * ```
 */
export function noGrad<R>(fn: () => R): R {
  const before = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = before;
  }
}
