/**
 * Assertions for properties: they throw with both values, the difference
 * and the tolerance, so a fast-check report says exactly what disagreed.
 */
import { closeTo, RELATIVE_AD } from "./tolerance.ts";

/**
 * Throws unless a and b agree to `rel` relative (plus `abs`).
 *
 * @example
 * ```ts
 * expectClose("grad vs jacrev [0]", 1, 1, 1e-12);
 * ```
 */
export function expectClose(label: string, a: number, b: number, rel: number, abs = 0): void {
  if (!closeTo(a, b, rel, abs)) {
    throw new Error(`${label}: ${a} vs ${b} (|diff| ${Math.abs(a - b)}, allowed ${abs} + ${rel} relative)`);
  }
}

/**
 * Throws unless |a - b| <= tol (NaN fails).
 *
 * @example
 * ```ts
 * expectWithin("AD vs numeric", 0.5, 0.5000000001, 1e-9);
 * ```
 */
export function expectWithin(label: string, a: number, b: number, tol: number): void {
  if (!(Math.abs(a - b) <= tol) && a !== b) {
    throw new Error(`${label}: ${a} vs ${b} (|diff| ${Math.abs(a - b)} > tolerance ${tol})`);
  }
}

/**
 * Throws unless a === b exactly (Object.is aside from the sign of zero).
 *
 * @example
 * ```ts
 * expectExact("nested derivative", 1, 1);
 * ```
 */
export function expectExact(label: string, got: unknown, want: number): void {
  if (got !== want) throw new Error(`${label}: got ${String(got)}, want exactly ${want}`);
}

/**
 * Throws unless two AD computations of one derivative agree to RELATIVE_AD
 * of the magnitude of the terms they sum (`scale`, computed only when
 * needed: that magnitude is at least |a| and |b|, so agreement relative to
 * those already suffices), plus the absolute `floor` (a number, or a
 * function computed only when needed).
 *
 * @example
 * ```ts
 * expectModesAgree("jacfwd vs jacrev", 0.5, 0.5, () => 1, 0);
 * ```
 */
export function expectModesAgree(label: string, a: number, b: number, scale: () => number, floor: number | (() => number)): void {
  const gap = Math.abs(a - b);
  if (a === b || gap <= RELATIVE_AD * Math.max(Math.abs(a), Math.abs(b))) return;
  expectWithin(label, a, b, RELATIVE_AD * scale() + (typeof floor === "number" ? floor : floor()));
}
