/**
 * Switching recording off (PyTorch's `no_grad`): inside, operations on Vars
 * compute values only and return Vars that require no grad. Like functorch,
 * a function transform started inside `noGrad` still differentiates: the
 * switch covers the tapes that existed when it was turned on (levels up to
 * a ceiling, kept in the recording context), not tapes of transforms that
 * begin inside it.
 */
import { currentLevel } from "../registry/level.ts";
import { notReplayable, withCeiling, isGradEnabled, isRecordingAt } from "./recording.ts";

export { isGradEnabled, isRecordingAt };

/**
 * Runs `fn` without recording and returns its result.
 *
 * @example
 * ```ts
 * const y = noGrad(() => f(x)); // y.requiresGrad === false
 * ```
 */
export function noGrad<R>(fn: () => R): R {
  notReplayable();
  return withCeiling(currentLevel(), fn);
}
