/**
 * Arrays passed twice. The generated code writes into a copy of an array
 * argument that f writes (the caller's array stays as it was), so when the
 * same array also arrives as another argument (or a matrix row, or an
 * object field), JavaScript would see the writes through the other name
 * and the compiled code would not. Such a call is refused, not answered
 * with a different value.
 */
import type { Fn } from "./ir.ts";
import { fail } from "./registry.ts";

/** How a parameter reads in messages: `p.w` for an object's field. */
function label(fn: Fn, k: number): string {
  const p = fn.params[k]!;
  return p.field === undefined ? p.name : `${fn.params[p.field.of]!.name}.${p.field.key}`;
}

/** Whether two values are one array, or typed arrays over overlapping memory. */
function sameMemory(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!(ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) || a.buffer !== b.buffer) return false;
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/** The arrays an argument holds: itself, and a matrix's rows. */
function arraysOf(fn: Fn, k: number, a: unknown): unknown[] {
  return fn.params[k]!.matrix !== undefined && Array.isArray(a) ? [a, ...a] : [a];
}

/**
 * Refuses arguments where an array that f writes is also passed as another
 * array argument (the same array, overlapping typed-array memory, or a row
 * of a matrix); `args` are the caller's with objects' fields appended.
 *
 * @example
 * ```ts
 * checkAliasing(fn, [x, x], "compile(f).grad"); // throws when f writes its first argument
 * ```
 */
export function checkAliasing(fn: Fn, args: readonly unknown[], api: string): void {
  if (fn.writtenParams.length === 0) return;
  const arrays = fn.params.flatMap((p, k) => (p.array && p.object === undefined && k < args.length ? [k] : []));
  for (const k of arrays) {
    if (!fn.writtenParams.includes(fn.params[k]!.name)) continue;
    const written = arraysOf(fn, k, args[k]);
    for (const j of arrays) {
      if (j === k) continue;
      if (!arraysOf(fn, j, args[j]).some((b) => written.some((a) => sameMemory(a, b)))) continue;
      fail(api, `'${label(fn, j)}' and '${label(fn, k)}' are the same array (or share memory), and f writes '${label(fn, k)}'`,
        `pass a copy (${label(fn, j)}.slice()): the compiled code writes into its own copy, where JavaScript would see the writes through both`);
    }
  }
}
