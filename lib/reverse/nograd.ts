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
import { fail, describe, TypeMismatchError } from "../errors.ts";

export { isGradEnabled, isRecordingAt };

/**
 * Runs `fn` without recording and returns its result. `fn` must be
 * synchronous: the switch is turned back on when `fn` returns, so the part
 * of an async function after its first `await` would be recorded; an async
 * function, or one that returns a promise, is refused.
 *
 * @example
 * ```ts
 * const y = noGrad(() => f(x)); // y.requiresGrad === false
 * ```
 */
export function noGrad<R>(fn: () => R): R {
  if (typeof fn !== "function") fail("noGrad", `expected a function, got ${describe(fn)}`, "pass () => ... , e.g. noGrad(() => f(x))", TypeMismatchError);
  if (isAsync(fn)) asyncRefused("is an async function");
  notReplayable();
  const out = withCeiling(currentLevel(), fn);
  if (isThenable(out)) asyncRefused("returned a promise");
  return out;
}

function isAsync(fn: unknown): boolean {
  const name = (fn as { constructor?: { name?: string } }).constructor?.name;
  return name === "AsyncFunction" || name === "AsyncGeneratorFunction";
}

function isThenable(v: unknown): boolean {
  return (typeof v === "object" || typeof v === "function") && v !== null && typeof (v as { then?: unknown }).then === "function";
}

function asyncRefused(what: string): never {
  return fail("noGrad", `fn ${what}; recording is switched back on when fn returns, so everything after its first await would be recorded`,
    "call noGrad on the synchronous parts instead: const y = noGrad(() => f(x)); then await what you need", TypeMismatchError);
}
