/**
 * Markdown tables and number formatting for benchmark reports.
 */

/** A table: a header row and body rows of already formatted cells. */
export interface Table {
  title: string;
  header: string[];
  rows: string[][];
  /** A sentence printed under the table. */
  note?: string;
}

/**
 * Renders a table as GitHub markdown with padded columns (readable as plain text too).
 *
 * @example
 * ```ts
 * markdown({ title: "t", header: ["n", "x"], rows: [["1", "2.0"]] });
 * ```
 */
export function markdown(t: Table): string {
  const widths = t.header.map((h, c) => Math.max(h.length, ...t.rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((x, c) => x.padEnd(widths[c]!)).join(" | ")} |`;
  const rule = `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`;
  const body = [line(t.header), rule, ...t.rows.map(line)].join("\n");
  return `### ${t.title}\n\n${body}\n${t.note ? `\n${t.note}\n` : ""}`;
}

/**
 * A ratio with sensible precision: 1234 -> "1234", 12.34 -> "12.3", 1.234 -> "1.23".
 *
 * @example
 * ```ts
 * ratio(12.34); // "12.3"
 * ```
 */
export function ratio(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return "—";
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/**
 * A duration in ms with a unit that keeps it short: "83 ns", "12.5 µs", "3.2 ms", "1.40 s".
 *
 * @example
 * ```ts
 * duration(0.0125); // "12.5 µs"
 * ```
 */
export function duration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "—";
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 1) return `${ms.toPrecision(3)} ms`;
  if (ms >= 1e-3) return `${(ms * 1e3).toPrecision(3)} µs`;
  return `${(ms * 1e6).toPrecision(3)} ns`;
}

/**
 * Writes 10^k sizes compactly: 10000 -> "10^4", smaller ones as digits.
 *
 * @example
 * ```ts
 * size(10000); // "10^4"
 * ```
 */
export function size(n: number): string {
  return n >= 10000 && Number.isInteger(Math.log10(n)) ? `10^${Math.log10(n)}` : String(n);
}
