/**
 * Coloring a Jacobian's sparsity pattern. Columns that share no row may
 * share a color, and then one forward direction carries them all; rows
 * that share no column may share a color, and then one cotangent of the
 * adjoint carries them all. Both colorings are greedy, in index order,
 * with each row (or column) they conflict in keeping a bit set of the
 * colors used in it.
 */

/**
 * Greedy coloring of `items` items, item i touching the slots
 * index[ptr[i] .. ptr[i + 1] - 1]: each item takes the lowest color that
 * no item sharing a slot with it has. Slots keep a bit set of their
 * colors, 32 per word, so the coloring costs O(entries x colors / 32).
 */
function greedy(ptr: Int32Array, index: Int32Array, items: number, slots: number): { colors: Int32Array; colorCount: number } {
  const used: Int32Array[] = [];
  const colors = new Int32Array(items);
  let colorCount = 0;
  for (let i = 0; i < items; i++) {
    let color = -1;
    for (let w = 0; color < 0; w++) {
      if (w === used.length) used.push(new Int32Array(slots));
      let taken = 0;
      for (let k = ptr[i]; k < ptr[i + 1]; k++) taken |= used[w][index[k]];
      if (taken !== -1) {
        const free = ~taken & (taken + 1);
        color = w * 32 + (31 - Math.clz32(free));
        for (let k = ptr[i]; k < ptr[i + 1]; k++) used[w][index[k]] |= free;
      }
    }
    colors[i] = color;
    colorCount = Math.max(colorCount, color + 1);
  }
  return { colors, colorCount };
}

/**
 * A greedy coloring of the columns, in column order: each column takes the
 * lowest color no column sharing a row with it has.
 *
 * @example
 * ```ts
 * colorColumns(Int32Array.of(0, 1, 2), Int32Array.of(0, 1), 2, 2); // one color: the columns share no row
 * ```
 */
export function colorColumns(rowPtr: Int32Array, colIndex: Int32Array, m: number, n: number): { colors: Int32Array; colorCount: number } {
  // The rows of each column (the pattern transposed).
  const colPtr = new Int32Array(n + 1);
  for (let k = 0; k < colIndex.length; k++) colPtr[colIndex[k] + 1]++;
  for (let j = 0; j < n; j++) colPtr[j + 1] += colPtr[j];
  const rowsOf = new Int32Array(colIndex.length);
  const fill = colPtr.slice(0, n);
  for (let r = 0; r < m; r++) for (let k = rowPtr[r]; k < rowPtr[r + 1]; k++) rowsOf[fill[colIndex[k]]++] = r;
  return greedy(colPtr, rowsOf, n, m);
}

/**
 * A greedy coloring of the rows, in row order: each row takes the lowest
 * color no row sharing a column with it has (the coloring reverse mode
 * compresses by).
 *
 * @example
 * ```ts
 * colorRows(Int32Array.of(0, 1, 2), Int32Array.of(0, 1), 2, 2); // one color: the rows share no column
 * ```
 */
export function colorRows(rowPtr: Int32Array, colIndex: Int32Array, m: number, n: number): { colors: Int32Array; colorCount: number } {
  return greedy(rowPtr, colIndex, m, n);
}
