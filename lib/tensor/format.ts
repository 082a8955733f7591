/**
 * How values print: `String(x)`, `console.log(x)` and `util.inspect(x)` of a
 * Tensor, Dual or Var give one short line (`Tensor[2,3] [[1,2,3],[4,5,6]]`,
 * `Var(6, gradFn=mul)`) instead of the object's fields (a Var's fields reach
 * the whole tape). Large tensors show the first and last few elements of each
 * long axis around `...`; NaN and Infinity print as such (JSON would print
 * null).
 *
 * Node finds the custom printer under `Symbol.for("nodejs.util.inspect.custom")`,
 * a registry symbol, so nothing is imported from Node and the code stays
 * platform neutral. Class names are pinned to their public names because
 * bundlers rename a class that refers to itself (`class _Tensor`), and the
 * name shows in logs and in error messages (`describe`).
 */
import type { Tensor } from "./tensor.ts";

/** Tensors with more elements than this print summarised. */
const SUMMARY_THRESHOLD = 24;
/** Elements shown at each end of a long axis in a summary. */
const EDGE = 3;

/**
 * A number as it prints: JavaScript's shortest round-trip form, so `NaN`,
 * `Infinity` and `-Infinity` read as themselves and `-0` as `-0`.
 *
 * @example
 * ```ts
 * formatNumber(NaN); // "NaN"
 * formatNumber(-0);  // "-0"
 * ```
 */
export function formatNumber(x: number): string {
  return Object.is(x, -0) ? "-0" : String(x);
}

/**
 * The elements of a tensor as nested brackets, eliding the middle of every
 * axis longer than 2 x 3 when the tensor has more than 24 elements.
 *
 * @example
 * ```ts
 * formatElements(arange(100)); // "[0,1,2,...,97,98,99]"
 * ```
 */
export function formatElements(t: Tensor): string {
  if (t.shape.length === 0) return formatNumber(t.data[0]!);
  return axis(t, 0, 0, t.size > SUMMARY_THRESHOLD);
}

function axis(t: Tensor, k: number, offset: number, summarise: boolean): string {
  const n = t.shape[k]!;
  let stride = 1;
  for (let j = k + 1; j < t.shape.length; j++) stride *= t.shape[j]!;
  const item = (i: number) => (k === t.shape.length - 1 ? formatNumber(t.data[offset + i]!) : axis(t, k + 1, offset + i * stride, summarise));
  const parts: string[] = [];
  if (summarise && n > 2 * EDGE) {
    for (let i = 0; i < EDGE; i++) parts.push(item(i));
    parts.push("...");
    for (let i = n - EDGE; i < n; i++) parts.push(item(i));
  } else {
    for (let i = 0; i < n; i++) parts.push(item(i));
  }
  return `[${parts.join(",")}]`;
}

/**
 * A Tensor as it prints: its shape, then its (possibly summarised) elements.
 *
 * @example
 * ```ts
 * formatTensor(tensor([[1, 2], [3, 4]])); // "Tensor[2,2] [[1,2],[3,4]]"
 * ```
 */
export function formatTensor(t: Tensor): string {
  return `Tensor[${t.shape.join(",")}] ${formatElements(t)}`;
}

/**
 * Makes instances of `cls` print as their `toString()` in Node's
 * `util.inspect`/`console.log`, so logs show the public name (`Var(...)`)
 * even where a bundler renamed the class. `cls.name` itself is left alone:
 * redefining a class's `name` (as esbuild's keepNames also does) made every
 * op on its instances 7-9x slower in V8 (measured on a scalar gradient).
 *
 * @example
 * ```ts
 * printsAs(Tensor); // console.log(tensor([1, 2])) shows Tensor[2] [1,2]
 * ```
 */
export function printsAs(cls: abstract new (...args: never[]) => { toString(): string }): void {
  Object.defineProperty(cls.prototype, Symbol.for("nodejs.util.inspect.custom"), {
    value: function (this: { toString(): string }) {
      return this.toString();
    },
    writable: true,
    configurable: true,
  });
}
