/**
 * A tiny WebAssembly binary emitter: just enough of the format (types,
 * functions, one exported memory, exports, code) for the library's own
 * hand-written kernels. The kernels are written as instruction lists here
 * in the source, not downloaded or built from text, so the library ships
 * no binary and needs no toolchain; `WebAssembly.validate` checks the bytes.
 */

/** Value types. */
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** Unsigned LEB128. @example `uleb(300) // [0xac, 0x02]` */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (for i32.const). @example `sleb(-1) // [0x7f]` */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** A length-prefixed vector of byte groups. */
function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function name(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
}

/** One function: parameter and result types, extra locals, and its body (without the final `end`). */
export interface WasmFunction {
  name: string;
  params: number[];
  results: number[];
  locals: number[];
  body: number[];
}

/**
 * A module of `functions`, all exported by name, and one memory imported as
 * "env"."mem" (at least one page). The caller makes the memory: a memory
 * that grows detaches its old buffer, and once any buffer in the process
 * has been detached V8 compiles every typed-array access to check for it
 * (after one `grow`, ba's compiled Jacobian measured 22% slower and its
 * plain primal 7%); a larger memory is a new one, with a new instance.
 *
 * @example
 * ```ts
 * const bytes = wasmModule([{ name: "one", params: [], results: [I32], locals: [], body: [0x41, 1] }]);
 * WebAssembly.validate(bytes); // true
 * new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { mem: new WebAssembly.Memory({ initial: 1 }) } });
 * ```
 */
export function wasmModule(functions: readonly WasmFunction[]): Uint8Array {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  const bodies = functions.map((f) => {
    const locals = vec(f.locals.map((t) => [1, t]));
    const code = [...locals, ...f.body, 0x0b];
    return [...uleb(code.length), ...code];
  });
  const exports = functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]);
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    // The memory, imported: "env" "mem", kind memory, limits with a minimum of 1 page.
    ...section(2, vec([[...name("env"), ...name("mem"), 0x02, 0x00, 1]])),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(exports)),
    ...section(10, vec(bodies)),
  ]);
}

/** Instructions, as small builders so kernels read like code. */
export const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  i32Add: [0x6a],
  i32Mul: [0x6c],
  i32And: [0x71],
  i32GeU: [0x4f],
  f64Load: [0x2b, 3, 0],
  f64Store: [0x39, 3, 0],
  f64Add: [0xa0],
  f64Mul: [0xa2],
  v128Load: [0xfd, 0x00, 3, 0],
  v128Store: [0xfd, 0x0b, 3, 0],
  f64x2Splat: [0xfd, 0x14],
  f64x2Add: [0xfd, 0xf0, 0x01],
  f64x2Mul: [0xfd, 0xf2, 0x01],
  /** `while (!cond) { body }`: block/loop that leaves when `exit` (code leaving an i32) is true. */
  until: (exit: number[], body: number[]) => [0x02, 0x40, 0x03, 0x40, ...exit, 0x0d, 1, ...body, 0x0c, 0, 0x0b, 0x0b],
  /** `if (cond) { body }` */
  when: (cond: number[], body: number[]) => [...cond, 0x04, 0x40, ...body, 0x0b],
};
