/**
 * Plot axes: the map from data to pixels and the tick marks, for log and
 * linear scales. A log axis spans whole decades (so every labelled tick is a
 * power of ten and slopes read directly as exponents); a linear axis spans
 * "nice" round bounds (steps of 1, 2 or 5 times a power of ten).
 */

/** How an axis maps values. */
export type Scale = "log" | "linear";

/** One tick: its value, its label ("" for an unlabelled minor tick) and whether it is major. */
export interface Tick {
  value: number;
  label: string;
  major: boolean;
}

/** An axis fitted to data: its bounds in data units, its ticks, and the map onto [0, 1]. */
export interface Axis {
  scale: Scale;
  min: number;
  max: number;
  ticks: Tick[];
  /** Position of v along the axis, 0 at `min` and 1 at `max`. */
  unit(v: number): number;
}

const SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹";

/**
 * A readable label for a number: plain digits from 0.001 to 9999, powers of
 * ten as 10⁴, other large or small values in exponent form.
 *
 * @example
 * ```ts
 * formatTick(100);   // "100"
 * formatTick(1e6);   // "10⁶"
 * formatTick(0.25);  // "0.25"
 * ```
 */
export function formatTick(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e4) return String(Number(v.toPrecision(6)));
  const e = Math.round(Math.log10(a));
  if (Math.abs(a / 10 ** e - 1) < 1e-9) {
    const digits = String(Math.abs(e)).split("").map((d) => SUPERSCRIPT[Number(d)]).join("");
    return `${v < 0 ? "-" : ""}10${e < 0 ? "⁻" : ""}${digits}`;
  }
  return v.toExponential(1);
}

/**
 * A count with a k or M suffix (200k, 1.5M).
 *
 * @example
 * ```ts
 * formatCount(250000); // "250k"
 * ```
 */
export function formatCount(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${Number((v / 1e6).toPrecision(4))}M`;
  if (a >= 1e3) return `${Number((v / 1e3).toPrecision(4))}k`;
  return String(Number(v.toPrecision(4)));
}

function logAxis(lo: number, hi: number, format: (v: number) => string): Axis {
  if (!(lo > 0)) throw new Error(`log axis: values must be positive, got ${lo}`);
  const a = Math.floor(Math.log10(lo) + 1e-9);
  let b = Math.ceil(Math.log10(hi) - 1e-9);
  if (b === a) b += 1;
  const ticks: Tick[] = [];
  const few = b - a <= 2;
  for (let e = a; e <= b; e++) {
    ticks.push({ value: 10 ** e, label: format(10 ** e), major: true });
    if (e === b) break;
    for (let k = 2; k <= 9; k++) {
      const label = few && (k === 2 || k === 5) ? format(k * 10 ** e) : "";
      ticks.push({ value: k * 10 ** e, label, major: false });
    }
  }
  const la = a;
  const span = b - a;
  return { scale: "log", min: 10 ** a, max: 10 ** b, ticks, unit: (v) => (Math.log10(v) - la) / span };
}

function niceStep(range: number, target: number): number {
  const raw = range / target;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

function linearAxis(lo: number, hi: number, format: (v: number) => string): Axis {
  if (hi === lo) { lo -= 1; hi += 1; }
  const step = niceStep(hi - lo, 6);
  const min = Math.floor(lo / step + 1e-9) * step;
  const max = Math.ceil(hi / step - 1e-9) * step;
  const ticks: Tick[] = [];
  for (let v = min; v <= max + step / 2; v += step) {
    const value = Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12));
    ticks.push({ value, label: format(value), major: true });
  }
  return { scale: "linear", min, max, ticks, unit: (v) => (v - min) / (max - min) };
}

/**
 * Fits an axis to the values it must show.
 *
 * @example
 * ```ts
 * const ax = fitAxis([3, 4000], "log");   // 1 ... 10⁴
 * ax.unit(100);                             // 0.5
 * fitAxis([0, 37], "linear").max;           // 40
 * ```
 */
export function fitAxis(values: number[], scale: Scale, format: (v: number) => string = formatTick): Axis {
  const finite = values.filter((v) => Number.isFinite(v) && (scale === "linear" || v > 0));
  if (finite.length === 0) throw new Error("fitAxis: no value to show");
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return scale === "log" ? logAxis(lo, hi, format) : linearAxis(lo, hi, format);
}
