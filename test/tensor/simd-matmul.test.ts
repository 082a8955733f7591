import { test } from "uvu";
import * as assert from "uvu/assert";
import { tripleLoop, seeded } from "../support/matmul.ts";
import { matmulWasm, worthWasm, useWasmKernels, wasmKernelsInUse, matmulModuleBytes } from "../../lib/tensor/simd-matmul.ts";


/** Whether this run forces the JS loops from the environment (npm test runs these tests both ways). */
const forcedOff = process.env["DUALTAPE_NO_WASM"] === "1";

test("the kernel module is valid WebAssembly and is in use in Node 20 unless DUALTAPE_NO_WASM=1", () => {
  assert.ok((globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly.validate(matmulModuleBytes()));
  assert.is(wasmKernelsInUse(), !forcedOff);
  assert.is(useWasmKernels(true), !forcedOff, "the environment's choice holds against the switch");
});

/** The kernel itself is only there when loaded: with DUALTAPE_NO_WASM=1 these tests check that nothing routes to it. */
function direct(name: string, body: () => void): void {
  test(name, () => (forcedOff ? assert.is(worthWasm(64, 64, 64), false) : body()));
}

direct("matmulWasm equals the ordered triple loop bit for bit, adding into out (odd widths, row counts not multiples of 4, k = 0)", () => {
  for (const [n, k, m] of [[4, 8, 8], [5, 7, 3], [9, 1, 2], [3, 0, 5], [17, 33, 65], [130, 70, 129]] as const) {
    const a = seeded(n * k, n + 2, true);
    const b = seeded(k * m, k + 3, true);
    const init = seeded(n * m, m + 5, true);
    const out = init.slice();
    matmulWasm(a, 0, b, 0, out, 0, n, k, m);
    const want = tripleLoop(a, b, n, k, m, init);
    for (let i = 0; i < want.length; i++) {
      if (!Object.is(out[i], want[i])) assert.unreachable(`${n}x${k}x${m}: element ${i} is ${out[i]}, the loop gives ${want[i]}`);
    }
  }
});

direct("matmulWasm reads and writes at offsets and leaves the rest of out alone; memory grows for large operands", () => {
  const [n, k, m] = [300, 200, 150]; // about 1.3 MB of operands: more than the initial 64 KiB page
  const a = seeded(1 + n * k, 1, true);
  const b = seeded(2 + k * m, 2, true);
  const out = new Float64Array(3 + n * m + 1).fill(-7);
  matmulWasm(a, 1, b, 2, out, 3, n, k, m);
  const want = tripleLoop(a.subarray(1), b.subarray(2), n, k, m, new Float64Array(n * m).fill(-7));
  assert.equal(Array.from(out.subarray(0, 3)), [-7, -7, -7]);
  assert.is(out[3 + n * m], -7);
  assert.ok(want.every((v, i) => Object.is(v, out[3 + i])));
});

direct("NaN and Infinity propagate as in the JS loop (IEEE products and sums)", () => {
  const [n, k, m] = [4, 4, 16];
  const a = seeded(n * k, 4, true);
  const b = seeded(k * m, 5, true);
  a[1] = NaN;
  b[3] = Infinity;
  b[m + 5] = -Infinity;
  const out = new Float64Array(n * m);
  matmulWasm(a, 0, b, 0, out, 0, n, k, m);
  const want = tripleLoop(a, b, n, k, m, new Float64Array(n * m));
  assert.ok(want.every((v, i) => Object.is(v, out[i])));
});

test("useWasmKernels(false) forces the JS loops until switched back; small or matrix-vector products never use WebAssembly", () => {
  try {
    assert.is(useWasmKernels(false), false);
    assert.is(wasmKernelsInUse(), false);
    assert.is(worthWasm(64, 64, 64), false);
  } finally {
    assert.is(useWasmKernels(true), !forcedOff);
  }
  assert.is(worthWasm(64, 64, 64), !forcedOff);
  assert.is(worthWasm(2, 2, 2), false);
  assert.is(worthWasm(1000, 1000, 1), false);
});

test.run();
