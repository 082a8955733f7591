// The tape entry layout: what encodeUnary/encodeBinary write, decodeScalar
// reads back in argument order, and writePartials puts replayed partials
// where the sweep reads them (pa for node a, pb for node b).
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  FIRST_OP, FREED_BIT, EXT, UNARY, CONST_FIRST, CONST_SECOND, BYTES_PER_ENTRY,
  encodeUnary, encodeBinary, decodeScalar, writePartials, scalarEntry, scalarOpId, type EntryArrays,
} from "../../lib/reverse/entry-layout.ts";

function arrays(n: number): EntryArrays {
  return { code: new Uint16Array(n), a: new Int32Array(n), b: new Int32Array(n), pa: new Float64Array(n), pb: new Float64Array(n) };
}

test("an entry takes 26 bytes: two Int32 operands, two Float64 partials, one Uint16 code", () => {
  assert.is(BYTES_PER_ENTRY, 26);
});

test("scalarOpId(code) gives the op id of a scalar code (freed or not) and -1 for other entries", () => {
  assert.is(scalarOpId(FIRST_OP + 7), 7);
  assert.is(scalarOpId((FIRST_OP + 7) | FREED_BIT), 7);
  assert.is(scalarOpId(EXT), -1);
});

test("a unary entry decodes to arity 1 with its operand node and partial", () => {
  const t = arrays(4);
  encodeUnary(t, 2, 5, 1, 0.25);
  assert.is(t.b[2], UNARY);
  const e = decodeScalar(t, 2, scalarEntry());
  assert.equal([e.arity, e.node0, e.part0, scalarOpId(t.code[2]!)], [1, 1, 0.25, 5]);
});

test("binary entries decode in argument order for node-node, node-constant and constant-node", () => {
  const t = arrays(4);
  encodeBinary(t, 0, 3, 1, 2, 10, 20, 7, 8); // f(%1, %2)
  encodeBinary(t, 1, 3, 1, -1, 10, 20, 7, 8); // f(%1, 8)
  encodeBinary(t, 2, 3, -1, 2, 10, 20, 7, 8); // f(7, %2)
  assert.equal([t.b[1], t.b[2]], [CONST_SECOND, CONST_FIRST]);
  const e = scalarEntry();
  const view = (i: number) => {
    decodeScalar(t, i, e);
    return [e.arity, e.node0, e.const0, e.part0, e.node1, e.const1, e.part1];
  };
  assert.equal(view(0), [2, 1, 0, 10, 2, 0, 20]);
  assert.equal(view(1), [2, 1, 0, 10, -1, 8, 0]);
  assert.equal(view(2), [2, -1, 7, 0, 2, 0, 20]);
});

test("writePartials stores argument-order partials in the slots of the entry's nodes and keeps constants", () => {
  const t = arrays(3);
  encodeBinary(t, 0, 3, 1, 2, 0, 0, 7, 8);
  encodeBinary(t, 1, 3, 1, -1, 0, 0, 7, 8);
  encodeBinary(t, 2, 3, -1, 2, 0, 0, 7, 8);
  for (let i = 0; i < 3; i++) writePartials(t, i, 0.5, 1.5);
  assert.equal([t.pa[0], t.pb[0]], [0.5, 1.5]);
  assert.equal([t.pa[1], t.pb[1]], [0.5, 8]);
  assert.equal([t.pa[2], t.pb[2]], [1.5, 7]);
});

test.run();
