/**
 * Tapes for transform calls, reused so that repeated gradients (an
 * optimisation loop) do not reallocate their typed arrays. Each acquisition
 * takes a fresh level, so a reused tape never shares a level with an
 * earlier use.
 */
import { nextLevel } from "../registry/level.ts";
import { Tape } from "./tape.ts";

const pool: Tape[] = [];
const MAX_POOLED = 8;
/**
 * A tape that grew past this many entries (26 MB) is left to the garbage
 * collector instead of being kept: one large gradient should not pin its
 * memory for the rest of the program.
 */
const MAX_POOLED_ENTRIES = 1 << 20;

/**
 * A cleared tape at a fresh level.
 *
 * @example
 * ```ts
 * const tape = acquireTape(); try { ... } finally { releaseTape(tape); }
 * ```
 */
export function acquireTape(): Tape {
  const tape = pool.pop() ?? new Tape(1024);
  tape.level = nextLevel();
  tape.transform = true;
  return tape;
}

/**
 * Clears the tape (its handles become stale) and keeps it for reuse.
 *
 * @example
 * ```ts
 * releaseTape(tape);
 * ```
 */
export function releaseTape(tape: Tape): void {
  tape.clear();
  if (pool.length < MAX_POOLED && tape.capacity <= MAX_POOLED_ENTRIES) pool.push(tape);
}

/**
 * Runs `fn` with a pooled tape, releasing it afterwards even on error.
 *
 * @example
 * ```ts
 * withTape((tape) => tape.length);
 * ```
 */
export function withTape<R>(fn: (tape: Tape) => R): R {
  const tape = acquireTape();
  try {
    return fn(tape);
  } finally {
    releaseTape(tape);
  }
}
