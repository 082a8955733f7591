/**
 * The greedy colorings: hand cases (diagonal, a full row past 32 colors,
 * empty columns) and random patterns, where no row may hold two columns of
 * one color and a column takes the lowest color free of its rows; and the
 * same for rows, which may share a color only when they share no column.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { colorColumns, colorRows } from "../../lib/source/coloring.ts";

test("colorColumns: diagonal needs one color, a full row n, and columns without rows take color 0", () => {
  assert.equal(colorColumns(Int32Array.of(0, 1, 2, 3), Int32Array.of(0, 1, 2), 3, 3), { colors: Int32Array.of(0, 0, 0), colorCount: 1 });
  const n = 40;
  const full = colorColumns(Int32Array.of(0, n), Int32Array.from({ length: n }, (_, j) => j), 1, n);
  assert.equal([...full.colors], Array.from({ length: n }, (_, j) => j), "past 32 colors, a second word of color bits");
  assert.is(full.colorCount, n);
  assert.equal(colorColumns(Int32Array.of(0, 1), Int32Array.of(1), 1, 3), { colors: Int32Array.of(0, 0, 0), colorCount: 1 });
});

test("random patterns: a proper coloring, each column at the lowest color its rows leave free", () => {
  const pattern = fc.integer({ min: 1, max: 70 }).chain((n) => fc.array(fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: Math.min(n, 40) }), { maxLength: 30 }).map((rows) => ({ n, rows: rows.map((r) => r.sort((a, b) => a - b)) })));
  fc.assert(fc.property(pattern, ({ n, rows }) => {
    const rowPtr = Int32Array.from([0, ...rows.map((_, r) => rows.slice(0, r + 1).reduce((s, x) => s + x.length, 0))]);
    const { colors, colorCount } = colorColumns(rowPtr, Int32Array.from(rows.flat()), rows.length, n);
    rows.forEach((cols, r) => assert.is(new Set(cols.map((j) => colors[j])).size, cols.length, `row ${r} repeats a color`));
    for (let j = 0; j < n; j++) {
      // Colors taken by earlier columns sharing a row with j: j's color is the lowest one not among them.
      const taken = new Set(rows.filter((cols) => cols.includes(j)).flatMap((cols) => cols.filter((q) => q < j).map((q) => colors[q])));
      let lowest = 0;
      while (taken.has(lowest)) lowest++;
      assert.is(colors[j], lowest, `column ${j}`);
    }
    assert.is(colorCount, Math.max(0, ...colors) + 1);
  }), { numRuns: 200, seed: 7 });
});

test("colorRows: rows that share no column share a color; a column in every row gives each row its own", () => {
  // Blocks of two rows over their own three columns (ba's shape): two colors however many blocks.
  const blocks = 5;
  const rowPtr = Int32Array.from({ length: 2 * blocks + 1 }, (_, r) => 3 * r);
  const colIndex = Int32Array.from({ length: 6 * blocks }, (_, k) => 3 * Math.floor(k / 6) + (k % 3));
  const { colors, colorCount } = colorRows(rowPtr, colIndex, 2 * blocks, 3 * blocks);
  assert.is(colorCount, 2);
  assert.equal([...colors], Array.from({ length: 2 * blocks }, (_, r) => r % 2));
  const shared = colorRows(Int32Array.of(0, 1, 2, 3), Int32Array.of(0, 0, 0), 3, 1);
  assert.equal([...shared.colors], [0, 1, 2]);
});

test("random patterns: a proper row coloring, each row at the lowest color its columns leave free", () => {
  const pattern = fc.integer({ min: 1, max: 70 }).chain((n) => fc.array(fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: Math.min(n, 40) }), { maxLength: 30 }).map((rows) => ({ n, rows: rows.map((r) => r.sort((a, b) => a - b)) })));
  fc.assert(fc.property(pattern, ({ n, rows }) => {
    const rowPtr = Int32Array.from([0, ...rows.map((_, r) => rows.slice(0, r + 1).reduce((s, x) => s + x.length, 0))]);
    const { colors, colorCount } = colorRows(rowPtr, Int32Array.from(rows.flat()), rows.length, n);
    for (let j = 0; j < n; j++) {
      const holding = rows.flatMap((cols, r) => (cols.includes(j) ? [r] : []));
      assert.is(new Set(holding.map((r) => colors[r])).size, holding.length, `column ${j} has two rows of one color`);
    }
    rows.forEach((cols, r) => {
      // Colors taken by earlier rows sharing a column with r: r's color is the lowest one not among them.
      const taken = new Set(rows.flatMap((other, q) => (q < r && other.some((j) => cols.includes(j)) ? [colors[q]] : [])));
      let lowest = 0;
      while (taken.has(lowest)) lowest++;
      assert.is(colors[r], lowest, `row ${r}`);
    });
    assert.is(colorCount, rows.length === 0 ? 0 : Math.max(...colors) + 1);
  }), { numRuns: 200, seed: 7 });
});

test.run();
