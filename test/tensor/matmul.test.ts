import { test } from "uvu";
import * as assert from "uvu/assert";
import { tripleLoop, seeded } from "../support/matmul.ts";
import { matmulInto } from "../../lib/tensor/matmul.ts";
import { useWasmKernels, wasmKernelsInUse } from "../../lib/tensor/simd-matmul.ts";


/** The shapes: row counts that are and are not multiples of 4, odd and even widths, a matrix-vector product, and products large enough for the WebAssembly kernel. */
const SHAPES = [[1, 1, 1], [4, 3, 5], [7, 9, 2], [13, 17, 11], [8, 1, 8], [0, 3, 2], [9, 33, 31], [1, 40, 40], [40, 30, 1], [64, 64, 64]] as const;

/** npm test also runs these with DUALTAPE_NO_WASM=1, where the switch cannot turn WebAssembly on. */
const forcedOff = process.env["DUALTAPE_NO_WASM"] === "1";

for (const wasm of [true, false]) {
  const path = wasm ? "WebAssembly kernel where it pays" : "JS loops forced";
  test(`matmulInto equals the triple loop bit for bit (${path})`, () => {
    assert.is(useWasmKernels(wasm), wasm && !forcedOff, "the WebAssembly kernel loads in Node 20");
    try {
      for (const [n, k, m] of SHAPES) {
        const a = seeded(n * k, n + 1);
        const b = seeded(k * m, m + 7);
        const out = new Float64Array(n * m);
        matmulInto(a, 0, b, 0, out, 0, n, k, m);
        assert.equal(Array.from(out), Array.from(tripleLoop(a, b, n, k, m)), `${n}x${k} times ${k}x${m}`);
      }
    } finally {
      useWasmKernels(true);
    }
  });

  test(`matmulInto reads and writes at the given offsets and adds into out (${path})`, () => {
    useWasmKernels(wasm);
    try {
      const a = Float64Array.of(99, 1, 2, 3, 4); // A = [[1, 2], [3, 4]] at offset 1
      const b = Float64Array.of(99, 99, 5, 6, 7, 8); // B = [[5, 6], [7, 8]] at offset 2
      const out = Float64Array.of(-1, 1, 1, 1, 1);
      matmulInto(a, 1, b, 2, out, 1, 2, 2, 2);
      assert.equal(Array.from(out), [-1, 1 + 19, 1 + 22, 1 + 43, 1 + 50]);
      // An 8x8 identity at offset 3 times B (8 x 4) at offset 1, added into out at offset 2: 256 products, enough for WebAssembly.
      const eye = new Float64Array(3 + 64).fill(7);
      for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) eye[3 + i * 8 + j] = i === j ? 1 : 0;
      const bb = Float64Array.from({ length: 33 }, (_, i) => i * 10);
      const o2 = new Float64Array(2 + 32).fill(0.5);
      matmulInto(eye, 3, bb, 1, o2, 2, 8, 8, 4);
      assert.equal(Array.from(o2), [0.5, 0.5, ...Array.from({ length: 32 }, (_, i) => (i + 1) * 10 + 0.5)]);
    } finally {
      useWasmKernels(true);
    }
    assert.is(wasmKernelsInUse(), !forcedOff);
  });
}

test.run();
