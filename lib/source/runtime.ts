/**
 * Turning generated source into functions, and what the generated code
 * needs at run time: the stacks of the reverse sweep, kept between calls
 * and grown by doubling (so one large call leaves one grown buffer, not a
 * heap of garbage per call).
 */
import { fail } from "./registry.ts";

/** The reverse sweep's stacks and the bytes the last forward sweep saved. */
export interface Stacks {
  f: Float64Array;
  i: Int32Array;
  /** Stack pointers where the forward sweep left them. */
  fp: number;
  ip: number;
  used: number;
  /** 1 when the last forward sweep saved an integer local outside the 32-bit range of the int stack. */
  wide: number;
  /** The kept sweep (see kept-sweep.ts) whose state the stacks hold, or null. */
  owner: object | null;
  /** Where a fused pass that hands its adjoint on (fused-sweep.ts) left the stack pointers. */
  fe: number;
  ie: number;
}

/**
 * Fresh stacks for one compiled function.
 *
 * @example
 * ```ts
 * newStacks().f.length; // 1024
 * ```
 */
export function newStacks(): Stacks {
  return { f: new Float64Array(1024), i: new Int32Array(256), fp: 0, ip: 0, used: 0, wide: 0, owner: null, fe: 0, ie: 0 };
}

/**
 * Whether the last forward sweep ran past the end of a stack; if so, the
 * stacks are replaced by ones doubled until they fit (the sweep's pushes
 * past the end were dropped, so it must run again).
 *
 * @example
 * ```ts
 * if (overflowed(stacks)) value = sweep(...freshArgs());
 * ```
 */
export function overflowed(s: Stacks): boolean {
  if (s.fp <= s.f.length && s.ip <= s.i.length) return false;
  let nf = s.f.length;
  while (nf < s.fp) nf *= 2;
  let ni = s.i.length;
  while (ni < s.ip) ni *= 2;
  // Only one grown buffer stays referenced: the old ones are dropped here.
  if (nf !== s.f.length) s.f = new Float64Array(nf);
  if (ni !== s.i.length) s.i = new Int32Array(ni);
  return true;
}

/**
 * Builds the function whose source is `source` (a function expression),
 * closing over `constants` by name. The source comes from the compiler's
 * emitters only: names are checked identifiers, numbers are re-rendered,
 * and everything else is fixed text or a registry function passed in.
 *
 * @example
 * ```ts
 * const f = instantiate("function (x) { return $k * x; }", new Map([["$k", 2]]));
 * f(3); // 6
 * ```
 */
export function instantiate<F>(source: string, constants: ReadonlyMap<string, unknown>): F {
  const names = [...constants.keys()];
  let make: (...values: unknown[]) => F;
  try {
    make = new Function(...names, `"use strict";\nreturn ${source};`) as (...values: unknown[]) => F;
  } catch (e) {
    // A Content Security Policy without 'unsafe-eval' forbids new Function.
    fail("compile", `the generated code cannot be loaded (${(e as Error).name}: ${(e as Error).message})`,
      "allow 'unsafe-eval' for this page, or use grad/jvp/compileGrad, which need no code generation");
  }
  return make(...names.map((n) => constants.get(n)));
}

let instances = 0;

/**
 * Like `instantiate`, but never sharing V8's feedback with an earlier
 * function of the same source: V8 caches code by source text, and
 * functions made from one text share their type feedback (an instance
 * made again after a stack overflow would inherit the stores' "may fall
 * outside the array" feedback it is made to shed). A numbered comment
 * makes each text unique.
 *
 * @example
 * ```ts
 * const sweep = freshInstance<Sweep>(source, constants); // its own feedback
 * ```
 */
export function freshInstance<F>(source: string, constants: ReadonlyMap<string, unknown>): F {
  return instantiate<F>(`/* instance ${++instances} */ ${source}`, constants);
}
