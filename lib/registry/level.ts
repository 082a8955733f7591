/**
 * One counter for the levels of forward tags and reverse tapes. Every
 * transform call (and every tape) takes a fresh, larger level, so a later,
 * inner transform always ranks above the enclosing one.
 */
let counter = 0;

/**
 * A fresh level, larger than every level handed out before.
 *
 * @example
 * ```ts
 * nextLevel() < nextLevel(); // true
 * ```
 */
export function nextLevel(): number {
  return ++counter;
}

/**
 * The largest level handed out so far (0 before any).
 *
 * @example
 * ```ts
 * currentLevel() < nextLevel(); // true
 * ```
 */
export function currentLevel(): number {
  return counter;
}
