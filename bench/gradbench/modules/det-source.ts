/**
 * The determinant by Laplace expansion as loops with explicit arrays, for
 * the source compiler (which refuses recursion) and as the plain-JS primal:
 * one copy of the program for both.
 *
 * The recursive expansion along the first row of every minor visits a tree
 * whose root-to-leaf paths are the ℓ! permutations: row r takes one of the
 * columns the rows above left free, with sign (-1)^(its rank among the free
 * columns). Here that tree is walked depth first with an explicit stack, one
 * slot per row: `next[r]` is the first column row r has not tried yet,
 * `chosen[r]` the column it holds, `sign[r]` = (-1)^(that column's rank
 * among the free ones), flipped at each free column rather than computed
 * with `%` (which on doubles is a slow library call), `used[c]` marks the columns held by rows above, and `prod[r]`
 * is the signed product of the entries chosen in rows 0..r-1. Every node
 * costs one multiplication and every leaf one addition: O(ℓ!) like the
 * recursion, which also spends one multiplication per node of the same tree.
 *
 * Shaped for the reverse sweep: the entry is read through `chosen[row]` (an
 * array written once per node) rather than the search variable `c` (rewritten
 * on every step), and the sign is a branch rather than a factor, so the sweep
 * saves about 28 bytes per node (ℓ = 9: 27 MB).
 */

/**
 * The determinant of the ℓ×ℓ matrix `a` (row-major, flat).
 *
 * @example
 * ```ts
 * detSource([1, 2, 3, 4], 2); // -2
 * ```
 */
export function detSource(a: ArrayLike<number>, ell: number): number {
  const next = new Float64Array(ell);
  const chosen = new Float64Array(ell);
  const sign = new Float64Array(ell);
  const used = new Float64Array(ell);
  const prod = new Float64Array(ell);
  prod[0] = 1;
  sign[0] = -1;
  let total = 0;
  let row = 0;
  while (row >= 0) {
    // Release the column this row held, then find its next free one.
    let c = next[row]!;
    if (c > 0) used[c - 1] = 0;
    while (c < ell && used[c] === 1) c++;
    if (c === ell) {
      row--;
    } else {
      next[row] = c + 1;
      chosen[row] = c;
      sign[row] = -sign[row]!;
      const even = sign[row]! > 0;
      if (row === ell - 1) {
        total += even ? prod[row]! * a[row * ell + chosen[row]!]! : -prod[row]! * a[row * ell + chosen[row]!]!;
      } else {
        used[c] = 1;
        prod[row + 1] = even ? prod[row]! * a[row * ell + chosen[row]!]! : -prod[row]! * a[row * ell + chosen[row]!]!;
        row++;
        next[row] = 0;
        sign[row] = -1;
      }
    }
  }
  return total;
}
