/**
 * Peak live memory against the length of a computation, for both modes: the
 * two complexity claims of the classic autograd texts (forward mode needs
 * memory independent of the program's length, reverse mode memory linear in
 * it, because the tape keeps every step for the backward sweep).
 *
 * The program is a chain of k scalar ops (alternately sin(s) and s * x).
 * "Live memory" is the growth of JS heap + array buffers over the start of
 * the differentiated function, after forced garbage collections, read at
 * the deepest points of the computation: the end of the chain for both
 * modes, and for reverse mode also inside a gradient hook on the input,
 * which the sweep calls last, while the tape and the adjoints are both held.
 *
 * Each measurement runs in a fresh Node process: the library keeps grown
 * tapes in a pool for reuse, so in one process an earlier, longer chain
 * would already have paid for a later one's memory. Before measuring, the
 * probe runs many short chains (shorter than the tape's initial capacity)
 * so that V8 has compiled and optimised the code: compiled code lives on the
 * heap too and would otherwise be counted as the computation's memory.
 */
import { spawnSync } from "node:child_process";
import { grad, jvp, sin, mul, type Lifted, type Value, type Var } from "../../lib/index.ts";

/** The flag that makes the benchmark process run one probe and print its result. */
export const PROBE_FLAG = "--chain-memory-probe";

/** Peak live memory for one chain length. */
export interface ChainMemory {
  /** Ops in the chain. */
  ops: number;
  /** Forward mode (jvp, one direction): bytes. */
  forward: number;
  /** Reverse mode (grad: record, then sweep): bytes. */
  reverse: number;
}

type Mode = "forward" | "reverse";

function live(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("chain memory probe: run node with --expose-gc");
  gc(); gc();
  const u = process.memoryUsage();
  return u.heapUsed + u.arrayBuffers;
}

function chain(x: Lifted, ops: number): Value {
  let s: Value = x;
  for (let i = 0; i < ops; i++) s = i % 2 === 0 ? sin(s) : mul(s, x);
  return s;
}

/**
 * Runs one chain of `ops` ops in `mode` in this process and returns its peak
 * live memory in bytes (needs `--expose-gc`).
 *
 * @example
 * ```ts
 * probeChainMemory("reverse", 2 ** 16 - 1); // ~35 bytes per op
 * ```
 */
export function probeChainMemory(mode: Mode, ops: number): number {
  const run = (f: (x: Lifted) => Value): void => void (mode === "reverse" ? grad(f)(0.5) : jvp(f, 0.5, 1));
  for (let i = 0; i < WARMUP_RUNS; i++) run((x) => chain(x, WARMUP_OPS));
  let base = 0;
  let peak = 0; // the start itself is one of the points the peak is taken over
  run((x) => {
    base = live();
    if (mode === "reverse") (x as Var).registerHook(() => void (peak = Math.max(peak, live() - base)));
    const y = chain(x, ops);
    peak = Math.max(peak, live() - base);
    return y;
  });
  return peak;
}

/** Warm-up: enough short chains for V8 to optimise every path, each within the tape's initial 1024 entries. */
const WARMUP_RUNS = 300;
const WARMUP_OPS = 600;

function spawnProbe(script: string, mode: Mode, ops: number): number {
  // execArgv carries a TypeScript loader when this runs unbundled (e.g. under tsx in tests).
  const args = [...process.execArgv, "--expose-gc", script, PROBE_FLAG, mode, String(ops)];
  const r = spawnSync(process.execPath, args, { encoding: "utf8" });
  const bytes = Number(r.stdout.trim());
  if (r.status !== 0 || !Number.isFinite(bytes)) throw new Error(`chain memory probe (${mode}, ${ops}) failed: ${r.stderr}`);
  return bytes;
}

/**
 * Measures both modes for each chain length, each in a fresh process
 * running `script` (the benchmark's own entry, which hands `PROBE_FLAG`
 * arguments to {@link runProbe}).
 *
 * @example
 * ```ts
 * chainMemory(process.argv[1]!, [2 ** 14 - 1, 2 ** 16 - 1]);
 * ```
 */
export function chainMemory(script: string, lengths: number[], onStep: (label: string) => void = () => {}): ChainMemory[] {
  return lengths.map((ops) => {
    onStep(`memory, chain of ${ops} ops`);
    return { ops, forward: spawnProbe(script, "forward", ops), reverse: spawnProbe(script, "reverse", ops) };
  });
}

/**
 * If this process was started as a probe, runs it, prints the bytes and returns true.
 *
 * @example
 * ```ts
 * if (!runProbe(process.argv)) main();
 * ```
 */
export function runProbe(argv: string[]): boolean {
  const at = argv.indexOf(PROBE_FLAG);
  if (at < 0) return false;
  const mode = argv[at + 1] === "forward" ? "forward" : "reverse";
  console.log(String(probeChainMemory(mode, Number(argv[at + 2]))));
  return true;
}
