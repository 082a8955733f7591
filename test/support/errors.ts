/**
 * Error assertions for unit tests: every misuse must raise the right
 * DualtapeError subclass, name the public API on `.api`, and read
 * "<api>: <what is wrong>; <how to fix>" (the shape `fail` in
 * lib/errors.ts builds), so one call checks all of that.
 */
import * as assert from "uvu/assert";
import type { DualtapeError } from "../../lib/index.ts";

/** A DualtapeError subclass, e.g. `ShapeError`. */
type ErrorKind = new (...args: never[]) => DualtapeError;

/**
 * "<api>: <problem>; <fix>" with no ';' before the fix, so problem and fix
 * are both present and split unambiguously; `.` stops at a line break, so
 * the fix is a single line.
 */
const MESSAGE_SHAPE = /^[^;]+: [^;]+; .+$/;

/**
 * Asserts that `fn` throws an instance of `Kind` whose `.api` is `api` and
 * whose message starts with "<api>: ", reads "<api>: <problem>; <fix>" and
 * matches `pattern`.
 *
 * @example
 * ```ts
 * throwsKind(() => add(zeros([2, 3]), zeros([4])), ShapeError, "add", /\[2, 3\] and \[4\] do not broadcast/);
 * ```
 */
export function throwsKind(fn: () => unknown, Kind: ErrorKind, api: string, pattern: RegExp): void {
  try {
    fn();
  } catch (e) {
    assert.instance(e, Kind);
    const msg = (e as Error).message;
    assert.ok(msg.startsWith(`${api}: `) && MESSAGE_SHAPE.test(msg), `message shape: ${msg}`);
    assert.is((e as DualtapeError).api, api, "error.api");
    assert.match(msg, pattern);
    return;
  }
  assert.unreachable(`expected ${Kind.name} from ${api}`);
}
