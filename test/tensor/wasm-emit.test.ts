import { test } from "uvu";
import * as assert from "uvu/assert";
import { uleb, sleb, wasmModule, op, I32, F64 } from "../../lib/tensor/wasm-emit.ts";

interface Api {
  validate(b: Uint8Array): boolean;
  Module: new (b: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, (...a: number[]) => number> };
  Memory: new (limits: { initial: number }) => { buffer: ArrayBuffer };
}
const W = (globalThis as unknown as { WebAssembly: Api }).WebAssembly;

test("LEB128 encodings match the format's worked examples", () => {
  assert.equal(uleb(0), [0]);
  assert.equal(uleb(127), [0x7f]);
  assert.equal(uleb(128), [0x80, 0x01]);
  assert.equal(uleb(624485), [0xe5, 0x8e, 0x26]);
  assert.equal(sleb(-1), [0x7f]);
  assert.equal(sleb(63), [0x3f]);
  assert.equal(sleb(64), [0xc0, 0x00]);
  assert.equal(sleb(-123456), [0xc0, 0xbb, 0x78]);
});

test("an emitted module validates and its functions compute: i32 add, a loop, f64 memory", () => {
  const bytes = wasmModule([
    { name: "add", params: [I32, I32], results: [I32], locals: [], body: [...op.get(0), ...op.get(1), ...op.i32Add] },
    // sum of 0..n-1 with `until`
    {
      name: "tri", params: [I32], results: [I32], locals: [I32, I32],
      body: [...op.until([...op.get(1), ...op.get(0), ...op.i32GeU], [
        ...op.get(2), ...op.get(1), ...op.i32Add, ...op.set(2),
        ...op.get(1), ...op.i32(1), ...op.i32Add, ...op.set(1),
      ]), ...op.get(2)],
    },
    // mem[0] = x * y (as f64), returned; `when` skips the store for odd flags
    {
      name: "mulStore", params: [F64, F64, I32], results: [F64], locals: [],
      body: [...op.when([...op.get(2), ...op.i32(1), ...op.i32And, ...op.i32(0), 0x46], [...op.i32(0), ...op.get(0), ...op.get(1), ...op.f64Mul, ...op.f64Store]),
        ...op.i32(0), ...op.f64Load],
    },
  ]);
  assert.ok(W.validate(bytes));
  const mem = new W.Memory({ initial: 1 });
  const e = new W.Instance(new W.Module(bytes), { env: { mem } }).exports;
  assert.is(e.add!(2, 3), 5);
  assert.is(e.tri!(10), 45);
  assert.is(e.mulStore!(1.5, 4, 0), 6);
  assert.is(e.mulStore!(2, 2, 1), 6, "odd flag: no store, the old value stays");
});

test("the module imports its memory: one made by the caller, whose buffer the functions write", () => {
  const bytes = wasmModule([{ name: "put", params: [F64], results: [], locals: [], body: [...op.i32(8), ...op.get(0), ...op.f64Store] }]);
  const mem = new W.Memory({ initial: 1 });
  const e = new W.Instance(new W.Module(bytes), { env: { mem } }).exports;
  e.put!(2.5);
  assert.is(new Float64Array(mem.buffer)[1], 2.5);
  assert.throws(() => new W.Instance(new W.Module(bytes), {}));
});

test.run();
