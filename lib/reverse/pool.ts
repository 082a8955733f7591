/**
 * Tapes for transform calls, reused so that repeated gradients (an
 * optimisation loop) do not reallocate their typed arrays. Each acquisition
 * takes a fresh level, so a reused tape never shares a level with an
 * earlier use. A released tape is closed: a Var of the finished call that
 * is used later is refused as escaped (tape.ts `firstGen`), also after the
 * tape was handed to a later call.
 */
import { nextLevel } from "../registry/level.ts";
import { Tape } from "./tape.ts";

const pool: Tape[] = [];
const MAX_POOLED = 8;

/**
 * A cleared tape at a fresh level.
 *
 * @example
 * ```ts
 * const tape = acquireTape("grad"); try { ... } finally { releaseTape(tape); }
 * ```
 */
export function acquireTape(api = "grad"): Tape {
  const tape = pool.pop() ?? new Tape(1024);
  tape.level = nextLevel();
  tape.transform = true;
  tape.api = api;
  tape.open = true;
  tape.firstGen = tape.gen;
  return tape;
}

/**
 * Clears and closes the tape (its handles become stale) and keeps it for
 * reuse; clearing gives back the arrays of a tape that grew past
 * RELEASE_ENTRIES, so a pooled tape never pins a large gradient's memory.
 *
 * @example
 * ```ts
 * releaseTape(tape);
 * ```
 */
export function releaseTape(tape: Tape): void {
  tape.clear();
  tape.open = false;
  if (pool.length < MAX_POOLED) pool.push(tape);
}

/**
 * Runs `fn` with a pooled tape, releasing it afterwards even on error.
 *
 * @example
 * ```ts
 * withTape("grad", (tape) => tape.length);
 * ```
 */
export function withTape<R>(api: string, fn: (tape: Tape) => R): R {
  const tape = acquireTape(api);
  try {
    return fn(tape);
  } finally {
    releaseTape(tape);
  }
}
