/**
 * The recording context: the one place that says what is being recorded
 * right now. Two things change while a function runs:
 *
 * - `ceiling`: inside `noGrad`, tapes at levels up to the ceiling do not
 *   record (a transform started inside noGrad still does: its level is higher).
 * - `recording`: a compiled gradient recording f. It learns whether f did
 *   anything a replay cannot repeat (detach() and noGrad() turn values
 *   computed from the input into constants, and a hook may close over the
 *   recording's own values), and it sees each guarded comparison.
 *
 * Kept in one object so that nesting saves and restores one thing, and no
 * module keeps its own piece of the state.
 */
import type { Value } from "../registry/lifted.ts";

/**
 * A comparison kind, as the guarded comparisons report it.
 *
 * @example
 * ```ts
 * const kinds: Comparison[] = ["gt", "ge", "lt", "le", "eq"]; // the guarded comparisons
 * ```
 */
export type Comparison = "gt" | "ge" | "lt" | "le" | "eq";

/** A recording in progress (compileGrad). */
export interface Recording {
  /** False once f did something a replay cannot repeat. */
  replayable: boolean;
  /** Sees every guarded comparison that involves a Dual or Var. */
  observe: ((kind: Comparison, a: Value, b: Value, outcome: boolean) => void) | null;
  /**
   * Takes a stopGradient (or detach) of `x`: returns a value of the recording
   * that a replay recomputes from x and that passes no gradient back, or
   * null when the recording cannot (the call then marks it not replayable).
   */
  stop?: (x: Value) => Value | null;
}

/** The recording context. */
interface Context {
  ceiling: number;
  recording: Recording | null;
}

const context: Context = { ceiling: 0, recording: null };

/**
 * Runs `fn` as `recording` (restoring the enclosing one afterwards) and reports whether it stayed replayable.
 *
 * @example
 * ```ts
 * const { result, replayable } = recordingWith({ replayable: true, observe: null }, () => trace(...));
 * ```
 */
export function recordingWith<R>(recording: Recording, fn: () => R): { result: R; replayable: boolean } {
  const enclosing = context.recording;
  context.recording = recording;
  try {
    return { result: fn(), replayable: recording.replayable };
  } finally {
    context.recording = enclosing;
  }
}

/**
 * The recording in progress, if any.
 *
 * @example
 * ```ts
 * activeRecording()?.observe?.("gt", x, 0, true);
 * ```
 */
export function activeRecording(): Recording | null {
  return context.recording;
}

/**
 * The recording's own stop of `x` (see `Recording.stop`), or null when no
 * recording can take it: then the recording is marked not replayable and
 * the caller returns the plain value.
 *
 * @example
 * ```ts
 * const kept = stopInRecording(x); // a Var of the recording, or null
 * ```
 */
export function stopInRecording(x: Value): Value | null {
  const r = context.recording;
  const s = r?.stop?.(x) ?? null;
  if (s === null) notReplayable();
  return s;
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
  if (context.recording !== null) context.recording.replayable = false;
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
  return level > context.ceiling;
}

/**
 * Runs `fn` with recording off for every level up to `level`, restoring the ceiling afterwards.
 *
 * @example
 * ```ts
 * withCeiling(currentLevel(), () => f(x));
 * ```
 */
export function withCeiling<R>(level: number, fn: () => R): R {
  const before = context.ceiling;
  if (level > before) context.ceiling = level;
  try {
    return fn();
  } finally {
    context.ceiling = before;
  }
}

/**
 * Whether operations on Vars are being recorded (false inside `noGrad`).
 *
 * @example
 * ```ts
 * isGradEnabled(); // true outside noGrad
 * ```
 */
export function isGradEnabled(): boolean {
  return context.ceiling === 0;
}
