/**
 * A seeded pseudo-random generator, reproducible across runs and machines:
 * xoshiro128** (Blackman and Vigna) in 32-bit integer arithmetic
 * (`Math.imul`, shifts), its state filled from the seed by splitmix32.
 * Uniform doubles take 53 random bits from two outputs; normals come from
 * the Box-Muller transform. Only integer operations decide the bits; the
 * normals also use Math.log/sqrt/cos/sin, which V8 computes with its own
 * portable routines, so they match on every machine running the same engine.
 *
 * Why not Math.random: it cannot be seeded.
 */
import { fail, describe, DomainError } from "../errors.ts";

const TWO_POW_32 = 4294967296;

/** splitmix32: a well-mixed 32-bit stream from any 32-bit start, used to seed the state. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * A seeded generator of uniform and normal doubles.
 *
 * @example
 * ```ts
 * const r = new Random(42);
 * r.uniform(); // in [0, 1), the same on every run
 * r.normal();  // standard normal
 * ```
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** The second normal of the last Box-Muller pair, or NaN when none is waiting. */
  private spare = NaN;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) {
      fail("random", `the seed ${describe(seed)} is not a safe integer`, "pass an integer seed, e.g. { seed: 42 }", DomainError);
    }
    const lo = seed % TWO_POW_32;
    const hi = (seed - lo) / TWO_POW_32;
    const st = { s: (lo ^ Math.imul(hi | 0, 0x6c078965)) | 0 };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st);
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1; // the all-zero state never leaves zero
  }

  /** The next 32 random bits as an unsigned integer. @example `new Random(1).nextUint32()` */
  nextUint32(): number {
    const out = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return out;
  }

  /** A uniform double in [0, 1) with 53 random bits. @example `new Random(1).uniform()` */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A standard normal double (Box-Muller; pairs are used in turn). @example `new Random(1).normal()` */
  normal(): number {
    if (this.spare === this.spare) {
      const z = this.spare;
      this.spare = NaN;
      return z;
    }
    const u = 1 - this.uniform(); // in (0, 1]: log(u) is finite
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * v;
    this.spare = r * Math.sin(angle);
    return r * Math.cos(angle);
  }
}
