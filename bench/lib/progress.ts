/**
 * Progress of a long benchmark run on stderr: a bar redrawn in place with
 * the step count, the elapsed time and what is being measured. Only when
 * stderr is a terminal: redirected or piped runs (CI logs, `2> file`) stay
 * quiet, so their output holds results only.
 */

/** Reports the steps of a run. */
export interface Progress {
  /** Starts the next step (call it before the step's work). */
  step(label: string): void;
  /** Clears the bar. */
  done(): void;
}

/** Where a bar is drawn: a writable stream that may be a terminal. */
export interface BarStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

const WIDTH = 24;

/**
 * The text of the bar after `done` of `total` steps.
 *
 * @example
 * ```ts
 * barLine(3, 12, 4.2, "timing f n=100"); // "[######------------------]  3/12   4s  timing f n=100"
 * ```
 */
export function barLine(done: number, total: number, seconds: number, label: string): string {
  const filled = total > 0 ? Math.round((WIDTH * Math.min(done, total)) / total) : 0;
  const count = `${String(done).padStart(String(total).length)}/${total}`;
  return `[${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${count} ${`${Math.round(seconds)}s`.padStart(4)}  ${label}`;
}

/**
 * A progress reporter for `total` steps; silent unless `stream` is a terminal.
 *
 * @example
 * ```ts
 * const p = progress(problems.length);
 * for (const q of problems) { p.step(q.label); run(q); }
 * p.done();
 * ```
 */
export function progress(total: number, stream: BarStream = process.stderr): Progress {
  if (stream.isTTY !== true) return { step: () => {}, done: () => {} };
  const t0 = performance.now();
  let k = 0;
  // A terminal of unknown width (columns 0 or missing) is taken as 100 wide.
  const cols = (): number => Math.max(20, (stream.columns || 100) - 1);
  const draw = (label: string): void => {
    const line = barLine(k, total, (performance.now() - t0) / 1000, label);
    stream.write(`\r${line.slice(0, cols()).padEnd(cols())}`);
  };
  return {
    step: (label) => { draw(label); k++; },
    done: () => { stream.write(`\r${" ".repeat(cols())}\r`); },
  };
}

/**
 * Writes one progress line (for runs whose step count is not known ahead),
 * only when the stream is a terminal.
 *
 * @example
 * ```ts
 * progressLine(`lse n=1000: 0.12 ms`);
 * ```
 */
export function progressLine(line: string, stream: BarStream = process.stderr): void {
  if (stream.isTTY === true) stream.write(`${line}\n`);
}
