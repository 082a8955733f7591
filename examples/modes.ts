/**
 * One gradient three ways, side by side, for
 *
 *   f(x) = Σ_i sin(x_i) · x_{i+1}   (indices mod n),
 *   ∂f/∂x_j = cos(x_j) · x_{j+1} + sin(x_{j−1}).
 *
 * - forward mode (`jvp`): one pass per input direction, so n passes for a
 *   gradient; each pass carries one tangent per value, O(1) extra memory.
 * - reverse mode (`grad`): one recorded pass and one backward sweep,
 *   whatever n is; memory grows with the number of recorded operations.
 * - finite differences (`numericGradient`): 2n evaluations of f on plain
 *   numbers, and only ~1e-10 relative accuracy.
 *
 * The printed timings come from one run on whatever machine this is: read
 * the trend as n grows, not the digits.
 *
 * Run: npx tsx examples/modes.ts
 */
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import { jvp, grad, numericGradient, variable, add, mul, sin, Tape, type Value, type Lifted, type Var } from "../lib/index.ts";

/**
 * f(x) = Σ sin(x_i) x_{i+1} on numbers, Duals or Vars.
 *
 * @example
 * ```ts
 * f([0, 1]); // sin(0)·1 + sin(1)·0 = 0
 * ```
 */
export function f(x: readonly Value[]): Value {
  const n = x.length;
  let s: Value = 0;
  for (let i = 0; i < n; i++) s = add(s, mul(sin(x[i]!), x[(i + 1) % n]!));
  return s;
}

/**
 * The gradient by hand: cos(x_j) x_{j+1} + sin(x_{j-1}).
 *
 * @example
 * ```ts
 * handGradient([0, 1]); // [cos 0 · 1 + sin 1, cos 1 · 0 + sin 0] = [1 + sin 1, 0]
 * ```
 */
export function handGradient(x: readonly number[]): number[] {
  const n = x.length;
  return x.map((xj, j) => Math.cos(xj) * x[(j + 1) % n]! + Math.sin(x[(j - 1 + n) % n]!));
}

/**
 * The gradient by forward mode: one jvp per basis direction e_j.
 *
 * @example
 * ```ts
 * forwardGradient(point(3)); // equals handGradient(point(3))
 * ```
 */
export function forwardGradient(x: readonly number[]): number[] {
  return x.map((_, j) => {
    const e = x.map((_, k) => (k === j ? 1 : 0));
    return jvp((v: Lifted[]) => f(v), x as number[], e).tangent as number;
  });
}

/**
 * The gradient by reverse mode: one recording, one sweep.
 *
 * @example
 * ```ts
 * reverseGradient(point(3)); // equals handGradient(point(3))
 * ```
 */
export function reverseGradient(x: readonly number[]): number[] {
  return grad<number[]>((v) => f(v))(x as number[]);
}

/**
 * The gradient by central finite differences (about 1e-10 relative accuracy).
 *
 * @example
 * ```ts
 * numericalGradient(point(3)); // ≈ handGradient(point(3))
 * ```
 */
export function numericalGradient(x: readonly number[]): number[] {
  return numericGradient((v: number[]) => f(v) as number, x as number[]);
}

/**
 * A reproducible test point (no randomness needed).
 *
 * @example
 * ```ts
 * point(2); // [2 sin 0.3, 2 sin 1.0]
 * ```
 */
export function point(n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.sin(0.7 * i + 0.3) * 2);
}

/**
 * Tape entries recorded for f at n inputs (leaves included), read from the tape itself.
 *
 * @example
 * ```ts
 * tapeEntries(10); // 10 leaves + 3 entries per term = 40
 * ```
 */
export function tapeEntries(n: number): number {
  const xs: Var[] = point(n).map((v) => variable(v));
  const y = f(xs) as Var;
  // Entries recorded from the first leaf to the output (the imperative tape may hold other graphs too).
  const entries = y.id - xs[0]!.id + 1;
  y.backward(); // frees the tape again
  return entries;
}

function millis(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function main(): void {
  const x = point(5);
  console.log("f(x) = sum_i sin(x_i) * x_{i+1}, gradient at a point with n = 5:");
  const rows: [string, number[]][] = [
    ["by hand", handGradient(x)], ["forward (5 jvp passes)", forwardGradient(x)],
    ["reverse (1 pass)", reverseGradient(x)], ["finite differences", numericalGradient(x)],
  ];
  for (const [label, g] of rows) console.log(`  ${label.padEnd(24)} [${g.map((v) => v.toFixed(12)).join(", ")}]`);

  console.log("\ncost as n grows (ms, one run; timings are noisy, the trend is the point):");
  console.log("       n   forward (n passes)   reverse (1 pass)   finite diff (2n f)   reverse tape");
  for (const n of [10, 30, 100, 300]) {
    const p = point(n);
    const tf = millis(() => forwardGradient(p));
    const tr = millis(() => reverseGradient(p));
    const tn = millis(() => numericalGradient(p));
    const entries = tapeEntries(n);
    console.log(`  ${String(n).padStart(6)}   ${tf.toFixed(2).padStart(18)}   ${tr.toFixed(2).padStart(16)}   ${tn.toFixed(2).padStart(18)}   ${entries} entries, ~${((entries * Tape.bytesPerEntry) / 1024).toFixed(1)} KiB`);
  }
  console.log("forward: O(n) passes of O(n) work, O(1) extra memory per value; reverse: one pass, memory O(ops).");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
