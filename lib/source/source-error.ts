/**
 * The error the source compiler raises for code outside its language: the
 * message (built by the library's one helper) names the line and column in
 * `f.toString()`, the construct, and what to write instead.
 */
import { DualtapeError, fail } from "./registry.ts";

/**
 * A compile error of `compile(f)`: the construct at `line`/`column` (1-based
 * line, 1-based column, in the text `f.toString()` returns) is not in the
 * accepted language.
 *
 * @example
 * ```ts
 * try { compile((x: number) => { try { return x; } catch { return 0; } }, { wrt: [0] }); }
 * catch (e) { if (e instanceof SourceError) console.log(e.line, e.column, e.construct); }
 * ```
 */
export class SourceError extends DualtapeError {
  line = 0;
  column = 0;
  construct = "";
}

/** Where a construct sits: acorn's 1-based line and 0-based column. */
export interface Where {
  loc?: { start: { line: number; column: number } } | null;
}

/**
 * Throws a SourceError for `construct` at node `at`.
 *
 * @example
 * ```ts
 * refuse(node, "a for...of loop", "is not in the accepted language", "loop with an index: for (let i = 0; i < a.length; i++)");
 * ```
 */
export function refuse(at: Where | null, construct: string, problem: string, fix: string): never {
  const line = at?.loc?.start.line ?? 0;
  const column = (at?.loc?.start.column ?? -1) + 1;
  const place = line > 0 ? `line ${line}, column ${column}: ` : "";
  try {
    fail("compile", `${place}${construct} ${problem}`, fix, SourceError);
  } catch (e) {
    Object.assign(e as SourceError, { line, column, construct });
    throw e;
  }
}
