/**
 * What a compiled gradient needs to know while it records f: whether f did
 * anything a replay cannot repeat. detach() and noGrad() turn values
 * computed from the input into constants, and a hook may close over the
 * recording's own values; a replay would keep those from the first call.
 */

/** The recording in progress, if any. */
interface Recording {
  replayable: boolean;
}

let active: Recording | null = null;

/**
 * Runs `fn` as a recording and reports whether it stayed replayable.
 *
 * @example
 * ```ts
 * const { result, replayable } = recordingWith(() => trace(...));
 * ```
 */
export function recordingWith<R>(fn: () => R): { result: R; replayable: boolean } {
  const enclosing = active;
  const mine: Recording = { replayable: true };
  active = mine;
  try {
    return { result: fn(), replayable: mine.replayable };
  } finally {
    active = enclosing;
  }
}

/**
 * Marks the recording in progress (if any) as one a replay cannot repeat.
 *
 * @example
 * ```ts
 * notReplayable(); // called by detach(), noGrad() and registerHook()
 * ```
 */
export function notReplayable(): void {
  if (active !== null) active.replayable = false;
}
