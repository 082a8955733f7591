/**
 * The one code-generation helper: compiles a fixed template of this library
 * with named dependencies, or returns the caller's fallback when code
 * generation is unavailable.
 *
 * Why generate code at all: V8 keeps type feedback per call site of a
 * function's code, and closures made by one factory share that code. A call
 * inside such a closure (an op's `value` in an elementwise loop, its
 * `partials` in a scalar kernel, the kernels of a replay interpreter, the
 * dispatch of an op's entry point) sees every op's function, turns
 * megamorphic and stays a real call: no inlining, and arrays a rule returns
 * are allocated. Compiling the same template once per op (or once per op
 * table) gives each compiled copy a call site with a single target, which
 * V8 inlines. The rejected alternatives: one shared closure (the megamorphic
 * call above) and hand-written code per op (a second formula table).
 *
 * Safety: only templates written in this library are compiled; the values
 * they need (the op's own functions, constants) are passed in as
 * parameters, never spliced into the text, so no user string reaches
 * `new Function`.
 *
 * Without code generation (a strict Content Security Policy without
 * 'unsafe-eval', or Node's --disallow-code-generation-from-strings) every
 * generator runs its fallback: the same logic written as an ordinary
 * closure, slower but identical in behaviour. `DUALTAPE_NO_CODEGEN=1` in the
 * environment forces the fallbacks, so the test suite can run every
 * generated path a second time through them (scripts/test.mjs does).
 */

let available: boolean | null = null;

/** Whether the environment asks for the fallbacks (read where `process` exists, i.e. in Node). */
function disabledByEnvironment(): boolean {
  // Read through globalThis so the library's types need no Node declarations (it also runs in browsers).
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.["DUALTAPE_NO_CODEGEN"] === "1";
}

/**
 * Whether `generated` compiles templates here: false when code generation
 * from strings is refused or `DUALTAPE_NO_CODEGEN=1` is set (probed once).
 *
 * @example
 * ```ts
 * canGenerate(); // true in Node by default
 * ```
 */
export function canGenerate(): boolean {
  if (available === null) {
    if (disabledByEnvironment()) available = false;
    else {
      try {
        available = new Function("return 1")() === 1;
      } catch {
        available = false;
      }
    }
  }
  return available;
}

/**
 * Compiles `template` (a function body that returns the generated value)
 * with `deps` as its named parameters and returns what it returns; when
 * code generation is unavailable, returns `fallback()` instead. An error in
 * a template is thrown, not hidden behind the fallback.
 *
 * @example
 * ```ts
 * const twice = generated("return function twice(x) { return f(x) * 2; };", { f: Math.sin },
 *   () => (x: number) => Math.sin(x) * 2);
 * twice(1); // 2 sin 1
 * ```
 */
export function generated<T>(template: string, deps: Readonly<Record<string, unknown>>, fallback: () => T): T {
  if (!canGenerate()) return fallback();
  const names = Object.keys(deps);
  return new Function(...names, template)(...names.map((n) => deps[n])) as T;
}
