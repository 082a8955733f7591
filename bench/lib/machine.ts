/**
 * A description of the machine a benchmark ran on, stored beside its figures.
 */
import os from "node:os";

/** What the figures depend on. */
export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  v8: string;
  os: string;
  memoryGB: number;
  /** 1-minute load average when the run started and ended (0 on Windows). */
  loadStart: number;
  loadEnd?: number;
  date: string;
}

/**
 * Reads the machine description now.
 *
 * @example
 * ```ts
 * machineInfo().cores; // e.g. 8
 * ```
 */
export function machineInfo(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    node: process.version,
    v8: process.versions.v8,
    os: `${os.platform()} ${os.release()} ${os.arch()}`,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    loadStart: os.loadavg()[0]!,
    date: new Date().toISOString(),
  };
}

/**
 * One line for reports: "Intel(R) Xeon(R) ..., 2 cores, node v20.20.2, linux ... (load 1.9 -> 2.1)".
 *
 * @example
 * ```ts
 * describeMachine(machineInfo());
 * ```
 */
export function describeMachine(m: Machine): string {
  const load = m.loadEnd === undefined ? m.loadStart.toFixed(2) : `${m.loadStart.toFixed(2)} -> ${m.loadEnd.toFixed(2)}`;
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB, node ${m.node}, ${m.os}; 1-min load average ${load}; ${m.date}`;
}

/**
 * Records the load average at the end of the run.
 *
 * @example
 * ```ts
 * finishMachine(m);
 * ```
 */
export function finishMachine(m: Machine): void {
  m.loadEnd = os.loadavg()[0]!;
}
