/**
 * The storage of a tape: the five entry arrays (layout in entry-layout.ts)
 * and their length, growing by doubling. Growth allocates all five new
 * arrays before replacing any, so a failed allocation (out of memory)
 * leaves the storage exactly as it was.
 */
import { BYTES_PER_ENTRY, FREED_BIT, type EntryArrays } from "./entry-layout.ts";

/**
 * Growable entry arrays; Tape extends it with the entries' meaning.
 *
 * @example
 * ```ts
 * const s = new TapeArrays(4);
 * s.reserve(10); s.capacity; // 16
 * ```
 */
export class TapeArrays implements EntryArrays {
  len = 0;
  a: Int32Array;
  b: Int32Array;
  pa: Float64Array;
  pb: Float64Array;
  code: Uint16Array;

  constructor(capacity: number) {
    this.a = new Int32Array(capacity);
    this.b = new Int32Array(capacity);
    this.pa = new Float64Array(capacity);
    this.pb = new Float64Array(capacity);
    this.code = new Uint16Array(capacity);
  }

  /** Entries the arrays can hold before they grow. */
  get capacity(): number {
    return this.a.length;
  }

  /** Number of entries (nodes) recorded in this generation. */
  get length(): number {
    return this.len;
  }

  /** Bytes held by the entry arrays per recorded entry (26). */
  static get bytesPerEntry(): number {
    return BYTES_PER_ENTRY;
  }

  /** Makes room for `extra` more entries (doubling); a failed allocation changes nothing. */
  reserve(extra: number): void {
    const need = this.len + extra;
    if (need <= this.a.length) return;
    let cap = this.a.length < 8 ? 16 : this.a.length * 2;
    while (cap < need) cap *= 2;
    this.resize(cap);
  }

  /** Replaces the arrays by ones of `cap` entries, keeping the first entries that fit. */
  protected resize(cap: number): void {
    const n = this.len < cap ? this.len : cap;
    const a = new Int32Array(cap);
    const b = new Int32Array(cap);
    const pa = new Float64Array(cap);
    const pb = new Float64Array(cap);
    const code = new Uint16Array(cap);
    a.set(this.a.subarray(0, n)); b.set(this.b.subarray(0, n));
    pa.set(this.pa.subarray(0, n)); pb.set(this.pb.subarray(0, n)); code.set(this.code.subarray(0, n));
    this.a = a; this.b = b; this.pa = pa; this.pb = pb; this.code = code;
  }

  /** Gives the arrays back (a merged-away or retired tape); the caller keeps its generation so handles still resolve. */
  clearArrays(): void {
    this.len = 0;
    this.resize(0);
  }

  /** The entry code of node i without the freed mark. */
  codeAt(i: number): number {
    return this.code[i] & ~FREED_BIT;
  }

  /** True when a backward without retainGraph has passed through node i. */
  isFreed(i: number): boolean {
    return this.code[i] >= FREED_BIT;
  }
}
