/**
 * Switching recording off (PyTorch's `no_grad`): inside, operations on Vars
 * compute values only and return Vars that require no grad. Like functorch,
 * a function transform started inside `noGrad` still differentiates: the
 * switch covers the tapes that existed when it was turned on (levels up to
 * a ceiling), not tapes of transforms that begin inside it.
 */
import { currentLevel } from "../registry/level.ts";
import { notReplayable } from "./recording.ts";

let ceiling = 0;

/**
 * Whether operations on Vars are being recorded (false inside `noGrad`).
 *
 * @example
 * ```ts
 * isGradEnabled(); // true outside noGrad
 * ```
 */
export function isGradEnabled(): boolean {
  return ceiling === 0;
}

/**
 * Whether a tape at `level` records now.
 *
 * @example
 * ```ts
 * isRecordingAt(tape.level);
 * ```
 */
export function isRecordingAt(level: number): boolean {
  return level > ceiling;
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
  notReplayable();
  const before = ceiling;
  const now = currentLevel();
  if (now > ceiling) ceiling = now;
  try {
    return fn();
  } finally {
    ceiling = before;
  }
}
