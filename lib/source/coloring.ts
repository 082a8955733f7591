/**
 * Coloring the columns of a Jacobian's sparsity pattern: columns that share
 * no row may share a color, and then one forward direction carries them
 * all. The coloring is greedy, in column order, with each row keeping a bit
 * set of the colors used in it.
 */
/**
 * A greedy coloring of the columns, in column order: each column takes the
 * lowest color no column sharing a row with it has. Rows keep a bit set of
 * the colors used in them, 32 colors per word, so the coloring costs
 * O(nonzeros x colors / 32).
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
  const used: Int32Array[] = [];
  const colors = new Int32Array(n);
  let colorCount = 0;
  for (let j = 0; j < n; j++) {
    let color = -1;
    for (let w = 0; color < 0; w++) {
      if (w === used.length) used.push(new Int32Array(m));
      let taken = 0;
      for (let k = colPtr[j]; k < colPtr[j + 1]; k++) taken |= used[w][rowsOf[k]];
      if (taken !== -1) {
        const free = ~taken & (taken + 1);
        color = w * 32 + (31 - Math.clz32(free));
        for (let k = colPtr[j]; k < colPtr[j + 1]; k++) used[w][rowsOf[k]] |= free;
      }
    }
    colors[j] = color;
    colorCount = Math.max(colorCount, color + 1);
  }
  return { colors, colorCount };
}
