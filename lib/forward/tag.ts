/**
 * A Tag identifies one forward-mode transform call (its perturbation). Duals
 * carry their tag; two Duals combine lane-for-lane only when they share it.
 * When a transform returns, its tag is closed, so a Dual that escaped its
 * transform is caught the next time it is used instead of silently mixing
 * into another derivative.
 */
import { nextLevel } from "../registry/level.ts";

/**
 * The perturbation of one transform call.
 *
 * @example
 * ```ts
 * const tag = new Tag("jvp");
 * tag.level > 0; // true
 * ```
 */
export class Tag {
  readonly level: number;
  readonly api: string;
  active = true;
  constructor(api: string) {
    this.level = nextLevel();
    this.api = api;
  }
}

/**
 * Runs `fn` with a fresh tag and closes the tag afterwards, even on error.
 *
 * @example
 * ```ts
 * withTag("derivative", (tag) => new Dual(2, 1, tag));
 * ```
 */
export function withTag<R>(api: string, fn: (tag: Tag) => R): R {
  const tag = new Tag(api);
  try {
    return fn(tag);
  } finally {
    tag.active = false;
  }
}
