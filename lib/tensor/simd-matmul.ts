/**
 * A WebAssembly SIMD (f64x2) matmul kernel, `out += A B` over row-major
 * blocks, with the plain-JS kernel as its fallback. It is written here as
 * instructions (lib/tensor/wasm-emit.ts) and instantiated synchronously at
 * load; where WebAssembly or its SIMD is missing, or `DUALTAPE_NO_WASM=1` is
 * set, or `useWasmKernels(false)` was called, callers get null and run the
 * JS loops.
 *
 * Exactness: each output element is updated as `c = c + a * b` with one
 * IEEE multiply and one IEEE add per product (f64x2.mul then f64x2.add, no
 * fused multiply-add), over p = 0, 1, ..., k-1 in order, exactly like the JS
 * kernel, so both give bit-identical results. The operands are copied into
 * the module's memory and the result back, so it pays only when the O(nkm)
 * products outweigh the O(nk + km + nm) copies (see `worthWasm`). The
 * memory is kept for the next products; a product larger than it gets a
 * new memory (twice the size it needs, at least) and a new instance of the
 * compiled module, never a `grow`, which would detach the old buffer and
 * slow every typed-array access in the process (see wasm-emit.ts).
 */
import { wasmModule, op, I32, F64, V128, type WasmFunction } from "./wasm-emit.ts";

/** Params: pa, pb, pc (byte addresses), k, m. Processes `rows` consecutive rows of A and out. */
function rowsKernel(rows: number): WasmFunction {
  const [pa, pb, pc, k, m] = [0, 1, 2, 3, 4];
  const [kb, mb, pofs, brow, cj, bj, cend, eb, y] = [5, 6, 7, 8, 9, 10, 11, 12, 13];
  const x = (r: number) => 14 + r;
  const s = (r: number) => 14 + rows + r;
  const ro = (r: number) => 14 + 2 * rows + r;
  const ao = (r: number) => 14 + 3 * rows + r;
  const R = Array.from({ length: rows }, (_, r) => r);
  const addr = (r: number) => [...op.get(cj), ...op.get(ro(r)), ...op.i32Add];
  const simdRow = (r: number) => [...addr(r), ...addr(r), ...op.v128Load, ...op.get(x(r)), ...op.get(y), ...op.f64x2Mul, ...op.f64x2Add, ...op.v128Store];
  const scalarRow = (r: number) => [...addr(r), ...addr(r), ...op.f64Load, ...op.get(s(r)), ...op.get(bj), ...op.f64Load, ...op.f64Mul, ...op.f64Add, ...op.f64Store];
  const inner = op.until([...op.get(cj), ...op.get(cend), ...op.i32GeU], [
    ...op.get(bj), ...op.v128Load, ...op.set(y),
    ...R.flatMap(simdRow),
    ...op.get(cj), ...op.i32(16), ...op.i32Add, ...op.set(cj),
    ...op.get(bj), ...op.i32(16), ...op.i32Add, ...op.set(bj),
  ]);
  const perP = [
    ...R.flatMap((r) => [...op.get(pa), ...op.get(ao(r)), ...op.i32Add, ...op.get(pofs), ...op.i32Add, ...op.f64Load, ...op.tee(s(r)), ...op.f64x2Splat, ...op.set(x(r))]),
    ...op.get(pc), ...op.set(cj), ...op.get(brow), ...op.set(bj),
    ...op.get(pc), ...op.get(eb), ...op.i32Add, ...op.set(cend),
    ...inner,
    ...op.when([...op.get(m), ...op.i32(1), ...op.i32And], R.flatMap(scalarRow)),
    ...op.get(brow), ...op.get(mb), ...op.i32Add, ...op.set(brow),
    ...op.get(pofs), ...op.i32(8), ...op.i32Add, ...op.set(pofs),
  ];
  const body = [
    ...op.get(k), ...op.i32(8), ...op.i32Mul, ...op.set(kb),
    ...op.get(m), ...op.i32(8), ...op.i32Mul, ...op.set(mb),
    ...op.get(m), ...op.i32(-2), ...op.i32And, ...op.i32(8), ...op.i32Mul, ...op.set(eb),
    ...R.flatMap((r) => [...op.get(mb), ...op.i32(r), ...op.i32Mul, ...op.set(ro(r)), ...op.get(kb), ...op.i32(r), ...op.i32Mul, ...op.set(ao(r))]),
    ...op.get(pb), ...op.set(brow),
    ...op.until([...op.get(pofs), ...op.get(kb), ...op.i32GeU], perP),
  ];
  const locals = [...Array<number>(8).fill(I32), V128, ...Array<number>(rows).fill(V128), ...Array<number>(rows).fill(F64), ...Array<number>(2 * rows).fill(I32)];
  return { name: `rows${rows}`, params: [I32, I32, I32, I32, I32], results: [], locals, body };
}

/**
 * The kernel module's bytes (four rows of A per pass over B, and one).
 *
 * @example
 * ```ts
 * WebAssembly.validate(matmulModuleBytes()); // true where SIMD is supported
 * ```
 */
export function matmulModuleBytes(): Uint8Array {
  return wasmModule([rowsKernel(4), rowsKernel(1)]);
}

/** The part of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (limits: { initial: number }) => Memory;
}

interface Memory {
  buffer: ArrayBuffer;
}

interface Kernel {
  mem: Memory;
  rows4: (pa: number, pb: number, pc: number, k: number, m: number) => void;
  rows1: (pa: number, pb: number, pc: number, k: number, m: number) => void;
}

/** The compiled module and the API, or null where WebAssembly or its SIMD is missing. */
function compileModule(): { api: WasmApi; module: object } | null {
  try {
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (api === undefined) return null;
    const bytes = matmulModuleBytes();
    // Engines without SIMD reject the module here, and the JS loops stay.
    if (!api.validate(bytes)) return null;
    return { api, module: new api.Module(bytes) };
  } catch {
    return null;
  }
}

/** An instance of the module over a new memory of `pages` pages. */
function instantiate(m: { api: WasmApi; module: object }, pages: number): Kernel {
  const mem = new m.api.Memory({ initial: pages });
  const exports = new m.api.Instance(m.module, { env: { mem } }).exports as Omit<Kernel, "mem">;
  return { mem, rows4: exports.rows4, rows1: exports.rows1 };
}

// Node's process is read through globalThis: the library is platform neutral and its declarations build without Node's types.
const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
const disabledByEnvironment = env?.["DUALTAPE_NO_WASM"] === "1";
const compiled = disabledByEnvironment ? null : compileModule();
let kernel: Kernel | null = compiled === null ? null : instantiate(compiled, 1);
let enabled = kernel !== null;

/**
 * Turns the WebAssembly kernels on or off (tests use it to run both paths);
 * returns whether they are now in use (false where they could not load).
 *
 * @example
 * ```ts
 * useWasmKernels(false); // the JS loops from now on
 * ```
 */
export function useWasmKernels(on: boolean): boolean {
  enabled = on && kernel !== null;
  return enabled;
}

/**
 * Whether the WebAssembly kernels are in use.
 *
 * @example
 * ```ts
 * wasmKernelsInUse(); // true in Node 20 unless DUALTAPE_NO_WASM=1
 * ```
 */
export function wasmKernelsInUse(): boolean {
  return enabled;
}

/** Below this many multiply-adds the call and the copies cost more than SIMD saves (measured: 8x8x8 already gains 1.7x). */
const MIN_WORK = 256;

/**
 * Whether an n x k by k x m product should run in WebAssembly: it is
 * loaded and on, the product is large enough, and out's rows are wide
 * enough for pairs (a matrix-vector product stays in JS, whose dot-product
 * loop reads each element of A once and copying A would cost as much).
 *
 * @example
 * ```ts
 * worthWasm(256, 256, 256); // true when the kernels are in use
 * ```
 */
export function worthWasm(n: number, k: number, m: number): boolean {
  return enabled && m >= 2 && n * k * m >= MIN_WORK;
}

/** The kernel, over a memory of at least `bytes` (a new one, twice the pages needed, when the last is smaller). */
function kernelFor(bytes: number): Kernel {
  if (bytes > kernel!.mem.buffer.byteLength) kernel = instantiate(compiled!, 2 * Math.ceil(bytes / 65536));
  return kernel!;
}

/**
 * out[oc..] += A[oa..] (n x k) times B[ob..] (k x m) in WebAssembly (call
 * only when `worthWasm` said yes). Bit-identical to the JS kernel.
 *
 * @example
 * ```ts
 * if (worthWasm(n, k, m)) matmulWasm(a, 0, b, 0, out, 0, n, k, m);
 * ```
 */
export function matmulWasm(a: Float64Array, oa: number, b: Float64Array, ob: number, out: Float64Array, oc: number, n: number, k: number, m: number): void {
  const [na, nb, nc] = [n * k, k * m, n * m];
  const K = kernelFor(8 * (na + nb + nc));
  const heap = new Float64Array(K.mem.buffer);
  heap.set(a.subarray(oa, oa + na), 0);
  heap.set(b.subarray(ob, ob + nb), na);
  heap.set(out.subarray(oc, oc + nc), na + nb);
  const [pa, pb, pc] = [0, 8 * na, 8 * (na + nb)];
  let i = 0;
  for (; i + 4 <= n; i += 4) K.rows4(pa + 8 * i * k, pb, pc + 8 * i * m, k, m);
  for (; i < n; i++) K.rows1(pa + 8 * i * k, pb, pc + 8 * i * m, k, m);
  out.set(heap.subarray(na + nb, na + nb + nc), oc);
}
