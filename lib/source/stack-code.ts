/**
 * The text of the generated pushes and pops. Floats go on `$fs`, integers
 * (branch decisions, trip counts, integer locals) on `$is`: an integer
 * local restored from a Float64Array becomes a double in V8, and every
 * index it then feeds converts back, which measured at almost 3x the cost
 * of llsq's adjoint loop.
 */

// No capacity check per push: a typed-array store past the end is dropped, the pointer still
// counts, and the caller grows the stacks and runs the sweep again when it overflowed (once:
// the pointer says how much was needed). A check that could replace the array inside the loop
// measured at about 2x the primal on llsq; this costs one compare per call.

/**
 * Pushes a float value.
 *
 * @example
 * ```ts
 * pushFloat("power"); // "$fs[$fp++] = power;"
 * ```
 */
export const pushFloat = (v: string): string => `$fs[$fp++] = ${v};`;

/**
 * Pushes an integer the generated code itself makes (a branch decision or trip count).
 *
 * @example
 * ```ts
 * pushInt("$n0"); // "$is[$ip++] = $n0;"
 * ```
 */
export const pushInt = (v: string): string => `$is[$ip++] = ${v};`;

/**
 * Saves a scalar before it is overwritten: integer locals on the int stack,
 * with a check that they fit in 32 bits (`$w` is reported after the sweep,
 * so a value the int stack cannot hold is an error, never a wrong answer).
 *
 * @example
 * ```ts
 * pushName("j", ints); // "if ((j | 0) !== j) $w = 1; $is[$ip++] = j;"
 * ```
 */
export function pushName(name: string, ints: ReadonlySet<string>): string {
  return ints.has(name) ? `if ((${name} | 0) !== ${name}) $w = 1; ${pushInt(name)}` : pushFloat(name);
}

/**
 * Restores a scalar saved by `pushName`.
 *
 * @example
 * ```ts
 * popName("j", ints); // "j = $is[--$ip];"
 * ```
 */
export function popName(name: string, ints: ReadonlySet<string>): string {
  return `${name} = ${popOf(name, ints)};`;
}

/**
 * The pop that gives back a scalar saved by `pushName` (from the int stack for integer locals).
 *
 * @example
 * ```ts
 * popOf("power", ints); // "$fs[--$fp]"
 * ```
 */
export function popOf(name: string, ints: ReadonlySet<string>): string {
  return ints.has(name) ? "$is[--$ip]" : "$fs[--$fp]";
}
