/**
 * Tape memory per recorded binary op, measured rather than computed: the
 * growth of the heap plus off-heap array buffers across the recording of a
 * long scalar program, after full garbage collections on both sides.
 */
import v8 from "node:v8";
import vm from "node:vm";
import { grad, add, mul, Var, type Lifted, type Value } from "../../lib/index.ts";

/** The outcome of a memory measurement. */
export interface TapeMemory {
  /** Entries the program recorded. */
  entries: number;
  /** Heap + array-buffer growth per entry (bytes). */
  measuredBytesPerEntry: number;
  /** Of which JS heap (objects that outlive the op, e.g. leaked handles). */
  heapBytesPerEntry: number;
  /** Typed-array capacity of the tape per entry (bytes); includes growth slack. */
  capacityBytesPerEntry: number;
}

function collector(): () => void {
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;
  return () => { gc(); gc(); };
}

function usage(): { heap: number; buffers: number } {
  const u = process.memoryUsage();
  return { heap: u.heapUsed, buffers: u.arrayBuffers };
}

/**
 * Records `pairs` iterations of s = s + x0 * x1 (two binary ops each) on one
 * tape and measures memory around the recording. Choose pairs = 2^k - 1 so
 * the entry count (2 leaves + 2 per pair) is a power of two and the doubling
 * tape has no slack.
 *
 * @example
 * ```ts
 * measureTapeMemory(2 ** 20 - 1).measuredBytesPerEntry; // ~26
 * ```
 */
export function measureTapeMemory(pairs: number): TapeMemory {
  const gc = collector();
  let result: TapeMemory | null = null;
  const program = (x: Lifted[]): Value => {
    const tape = (x[0] as Var).tape!;
    gc();
    const before = usage();
    const start = tape.length;
    let s: Value = x[0]!;
    for (let i = 0; i < pairs; i++) s = add(s, mul(x[0]!, x[1]!));
    gc();
    const after = usage();
    const entries = tape.length - start;
    const heap = after.heap - before.heap;
    const total = heap + after.buffers - before.buffers;
    const capacity = tape.a.length * (entryBytes(tape));
    result = { entries, measuredBytesPerEntry: total / entries, heapBytesPerEntry: heap / entries, capacityBytesPerEntry: capacity / tape.length };
    return s;
  };
  grad(program)([0.5, 0.25]);
  return result!;
}

function entryBytes(tape: { a: Int32Array; b: Int32Array; pa: Float64Array; pb: Float64Array; code: Uint16Array }): number {
  return tape.a.BYTES_PER_ELEMENT + tape.b.BYTES_PER_ELEMENT + tape.pa.BYTES_PER_ELEMENT + tape.pb.BYTES_PER_ELEMENT + tape.code.BYTES_PER_ELEMENT;
}
